"""Shape checks of one clip's loss inputs, with errors that name them."""
from typing import Optional

import torch
from torch import Tensor

__all__ = ['check_clip_shapes', 'compute_dtype']


def _shape(tensor: Tensor) -> tuple:
    return tuple(tensor.shape)


def check_clip_shapes(*,
                      mask_logits: Optional[Tensor] = None,
                      images_lab: Optional[Tensor] = None,
                      box_masks: Optional[Tensor] = None) -> None:
    """Check the shapes of one clip's inputs to the mask losses.

    Args:
        mask_logits (Tensor, optional): (N instances, T frames, h, w).
        images_lab (Tensor, optional): (T, 3, h, w) LAB frames.
        box_masks (Tensor, optional): (N, T, h, w) filled box masks.

    Raises:
        ValueError: naming the argument(s) and the shapes received.
    """
    for name, tensor in (('mask_logits', mask_logits), ('box_masks',
                                                        box_masks)):
        if tensor is not None and tensor.dim() != 4:
            raise ValueError(f'{name} must be (N, T, h, w), got '
                             f'{_shape(tensor)}')
    if images_lab is not None and (images_lab.dim() != 4
                                   or images_lab.shape[1] != 3):
        raise ValueError('images_lab must be (T, 3, h, w), got '
                         f'{_shape(images_lab)}')
    if (mask_logits is not None and box_masks is not None
            and mask_logits.shape != box_masks.shape):
        raise ValueError('mask_logits and box_masks must have the same shape '
                         f'(N, T, h, w), got {_shape(mask_logits)} and '
                         f'{_shape(box_masks)}')
    per_instance = box_masks if box_masks is not None else mask_logits
    if images_lab is not None and per_instance is not None:
        lab_frames = (images_lab.shape[0], *images_lab.shape[2:])
        if lab_frames != tuple(per_instance.shape[1:]):
            name = 'box_masks' if box_masks is not None else 'mask_logits'
            raise ValueError(f'images_lab (T, 3, h, w) {_shape(images_lab)} '
                             f'does not match {name} (N, T, h, w) '
                             f'{_shape(per_instance)} in T, h, w')


def compute_dtype(tensor: Tensor) -> torch.dtype:
    """The dtype the losses compute in: at least float32.

    Half and bfloat16 inputs (autocast) are promoted so the losses stay
    finite; float64 stays float64 (gradient checks).
    """
    return torch.promote_types(tensor.dtype, torch.float32)
