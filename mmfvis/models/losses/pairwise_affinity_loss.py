"""Pairwise colour-affinity loss (BoxInst): similar neighbours, same label.
"""
from mmdet.registry import MODELS
from torch import Tensor

from ..utils import check_clip_shapes, compute_dtype
from .affinity import similar_neighbours
from .logit_pairs import LogitPairs
from .pair_loss_base import PairLossBase

__all__ = [
    'pairwise_affinity_pairs', 'pairwise_affinity_loss', 'PairwiseAffinityLoss'
]


def pairwise_affinity_pairs(images_lab: Tensor,
                            box_masks: Tensor,
                            *,
                            size: int = 3,
                            dilation: int = 2,
                            color_thresh: float = 0.3) -> LogitPairs:
    """Precompute the weighted neighbour pairs of one clip (one segment).

    Each pixel p and its neighbours q on a ``size`` x ``size`` grid with
    spacing ``dilation`` (centre excluded) in the same frame; the pair
    weighs ``(sim >= color_thresh) * box_mask(p)`` with
    ``sim = exp(-||lab_p - lab_q||_2 / 2)`` and LAB 0 off the frame. An
    off-frame neighbour costs 0 but counts in the denominator.

    Args:
        images_lab (Tensor): (T, 3, h, w) LAB frames, L in 0..100.
        box_masks (Tensor): (N, T, h, w) filled box masks, 0/1.
        size (int): neighbourhood grid width, odd. Default 3.
        dilation (int): grid spacing in pixels. Default 2.
        color_thresh (float): minimum colour similarity. Default 0.3.

    Returns:
        LogitPairs: one segment, pooled over instances and frames.
    """
    check_clip_shapes(images_lab=images_lab, box_masks=box_masks)
    images_lab = images_lab.to(box_masks.device, compute_dtype(images_lab))
    keep, offsets = similar_neighbours(
        images_lab, size=size, dilation=dilation, color_thresh=color_thresh)
    frames = list(range(images_lab.shape[0]))
    return LogitPairs.from_candidates(
        keep,
        box_masks,
        offsets,
        centre_frames=frames,
        partner_frames=frames,
        segments=[0] * len(frames),
        num_frames=len(frames))


def pairwise_affinity_loss(mask_logits: Tensor,
                           images_lab: Tensor,
                           box_masks: Tensor,
                           *,
                           size: int = 3,
                           dilation: int = 2,
                           color_thresh: float = 0.3) -> Tensor:
    """Pairwise affinity loss of one clip.

    ``sum(term * w) / max(sum(w), 1)`` pooled over all instances, frames and
    neighbour pairs, with ``term = -log(s(x_p) s(x_q) + (1 - s(x_p))
    (1 - s(x_q)))`` and the weights of :func:`pairwise_affinity_pairs`.

    Args:
        mask_logits (Tensor): (N, T, h, w) mask logits.
        images_lab (Tensor): (T, 3, h, w) LAB frames, L in 0..100.
        box_masks (Tensor): (N, T, h, w) filled box masks, 0/1.
        size, dilation, color_thresh: see :func:`pairwise_affinity_pairs`.

    Returns:
        Tensor: scalar, float32 (float64 for float64 logits).
    """
    check_clip_shapes(
        mask_logits=mask_logits, images_lab=images_lab, box_masks=box_masks)
    pairs = pairwise_affinity_pairs(
        images_lab,
        box_masks,
        size=size,
        dilation=dilation,
        color_thresh=color_thresh)
    return pairs.loss(mask_logits)


@MODELS.register_module()
class PairwiseAffinityLoss(PairLossBase):
    """Pairwise affinity loss of BoxInst, weighted, optionally warmed up.

    BoxInst ramps this term up: from scratch, at full weight from the first
    iteration it pulls every mask to background before the projection term
    has placed them. The factor is that of :class:`LinearWarmupMixin`.

    Compute the pairs once per batch (:meth:`PairLossBase.precompute`).

    Args:
        size (int): neighbourhood grid width. Default 3.
        dilation (int): neighbourhood spacing. Default 2.
        color_thresh (float): minimum colour similarity. Default 0.3.
        loss_weight (float): multiplier. Default 5.0, the published weight.
        warmup_iters (int): length of the linear ramp. Default 0: none, as
            in the published MaskFreeVIS setting, which starts from a
            COCO-trained model.
        warmup_begin (int): iteration where the ramp starts, the term
            weighing 0 before. Default 0.
    """

    def __init__(self,
                 size: int = 3,
                 dilation: int = 2,
                 color_thresh: float = 0.3,
                 loss_weight: float = 5.0,
                 warmup_iters: int = 0,
                 warmup_begin: int = 0) -> None:
        super().__init__(loss_weight, warmup_iters, warmup_begin)
        self.size = size
        self.dilation = dilation
        self.color_thresh = color_thresh

    def _build(self, images_lab: Tensor, box_masks: Tensor) -> LogitPairs:
        return pairwise_affinity_pairs(
            images_lab,
            box_masks,
            size=self.size,
            dilation=self.dilation,
            color_thresh=self.color_thresh)
