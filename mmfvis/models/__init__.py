from . import losses

__all__ = ['losses']
