from . import losses, utils

__all__ = ['losses', 'utils']
