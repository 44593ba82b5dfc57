from .clip_shapes import check_clip_shapes, compute_dtype
from .color import (lab_at_logit_resolution, pool_to_logit_resolution,
                    rgb_to_lab)
from .finite_losses import NonFiniteLossError, check_finite_losses
from .roi_grid import box_masks_on_roi_grid, lab_on_roi_grid
from .warmup import LinearWarmupMixin

__all__ = [
    'LinearWarmupMixin', 'rgb_to_lab', 'pool_to_logit_resolution',
    'lab_at_logit_resolution', 'check_clip_shapes', 'compute_dtype',
    'NonFiniteLossError', 'check_finite_losses', 'box_masks_on_roi_grid',
    'lab_on_roi_grid'
]
