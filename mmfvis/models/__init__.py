from . import data_preprocessors, losses, tracking_heads, utils

__all__ = ['data_preprocessors', 'losses', 'tracking_heads', 'utils']
