from . import (data_preprocessors, dense_heads, losses, roi_heads,
               tracking_heads, utils, vis)

__all__ = [
    'data_preprocessors', 'dense_heads', 'losses', 'roi_heads',
    'tracking_heads', 'utils', 'vis'
]
