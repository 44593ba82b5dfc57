"""Box projection loss (BoxInst): the mask's x and y shadows match the box's.
"""
from typing import Sequence, Tuple, Union

import torch
import torch.nn as nn
from mmdet.registry import MODELS
from torch import Tensor

from ..utils import check_clip_shapes, compute_dtype

__all__ = [
    'box_projection_dice_sum', 'box_projection_loss', 'BoxProjectionLoss'
]


def _dice_loss(predicted: Tensor, target: Tensor) -> Tensor:
    """``1 - 2 sum(xy) / (sum(x^2) + sum(y^2) + 1e-5)`` over the last dim."""
    overlap = (predicted * target).sum(-1)
    norms = predicted.square().sum(-1) + target.square().sum(-1)
    return 1.0 - 2.0 * overlap / (norms + 1e-5)


def box_projection_dice_sum(mask_logits: Tensor,
                            box_masks: Tensor) -> Tuple[Tensor, int]:
    """Summed projection dice losses of one clip, and the number of masks.

    For each (instance, frame) mask: dice of the max-projections onto the x
    axis plus dice of the max-projections onto the y axis, with the sigmoid
    mask against the box mask. A head pools clips by adding the sums and
    the counts before dividing.

    Args:
        mask_logits (Tensor): (N, T, h, w) mask logits.
        box_masks (Tensor): (N, T, h, w) filled box masks, 0/1; an empty
            box where the instance is absent.

    Returns:
        tuple[Tensor, int]: scalar sum (float32, or float64 for float64
        logits) and the number of masks N * T.
    """
    check_clip_shapes(mask_logits=mask_logits, box_masks=box_masks)
    dtype = compute_dtype(mask_logits)
    logits = mask_logits.to(dtype)
    boxes = box_masks.to(dtype)
    # sigmoid is increasing, so projecting the logits first gives the same
    # values and keeps no full-size sigmoid map for backward.
    dice = (
        _dice_loss(torch.sigmoid(logits.amax(-2)), boxes.amax(-2)) +
        _dice_loss(torch.sigmoid(logits.amax(-1)), boxes.amax(-1)))
    return dice.sum(), dice.numel()


def box_projection_loss(mask_logits: Tensor, box_masks: Tensor) -> Tensor:
    """Box projection loss of one clip, averaged over its masks.

    Args:
        mask_logits (Tensor): (N, T, h, w) mask logits.
        box_masks (Tensor): (N, T, h, w) filled box masks, 0/1.

    Returns:
        Tensor: scalar, 0 when there is no mask.
    """
    total, count = box_projection_dice_sum(mask_logits, box_masks)
    return total / max(count, 1)


@MODELS.register_module()
class BoxProjectionLoss(nn.Module):
    """Box projection loss of BoxInst, weighted.

    Args:
        loss_weight (float): multiplier of the loss. Default 5.0, the
            published weight.
    """

    def __init__(self, loss_weight: float = 5.0) -> None:
        super().__init__()
        self.loss_weight = loss_weight

    def forward(self, mask_logits: Union[Tensor, Sequence[Tensor]],
                box_masks: Union[Tensor, Sequence[Tensor]]) -> Tensor:
        """Weighted loss of one clip, or pooled over the clips of a batch.

        Args:
            mask_logits (Tensor | Sequence[Tensor]): (N, T, h, w) logits, or
                one such tensor per clip.
            box_masks (Tensor | Sequence[Tensor]): (N, T, h, w) box masks,
                matching ``mask_logits``.

        Returns:
            Tensor: scalar ``loss_weight`` times the mean over all masks.
        """
        if isinstance(mask_logits, Tensor) and isinstance(box_masks, Tensor):
            mask_logits, box_masks = [mask_logits], [box_masks]
        elif isinstance(mask_logits, Tensor) or isinstance(box_masks, Tensor):
            raise ValueError('mask_logits and box_masks must both be tensors '
                             '(one clip) or both sequences (one per clip)')
        if len(mask_logits) != len(box_masks) or not mask_logits:
            raise ValueError(f'got {len(mask_logits)} mask_logits and '
                             f'{len(box_masks)} box_masks; need as many, >0')
        sums, counts = zip(*(box_projection_dice_sum(logits, boxes)
                             for logits, boxes in zip(mask_logits, box_masks)))
        return self.loss_weight * torch.stack(sums).sum() / max(sum(counts), 1)
