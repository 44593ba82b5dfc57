from . import data_preprocessors, dense_heads, losses, tracking_heads, utils

__all__ = [
    'data_preprocessors', 'dense_heads', 'losses', 'tracking_heads', 'utils'
]
