"""Temporal KNN-patch loss (TK-loss) of MaskFreeVIS.

Pixels of consecutive frames whose surrounding patches look alike should
take the same label. One-to-K patch matches replace optical flow: K can be
0 (occlusion) or several (texture-less regions).
"""
from mmdet.registry import MODELS
from torch import Tensor

from ..utils import check_clip_shapes, compute_dtype
from .affinity import cyclic_frame_pairs, knn_patch_candidates
from .logit_pairs import LogitPairs
from .pair_loss_base import PairLossBase

__all__ = [
    'temporal_knn_patch_pairs', 'temporal_knn_patch_loss',
    'TemporalKNNPatchLoss'
]


def temporal_knn_patch_pairs(images_lab: Tensor,
                             box_masks: Tensor,
                             *,
                             patch_size: int = 3,
                             search_size: int = 3,
                             search_dilation: int = 3,
                             topk: int = 5,
                             sim_thresh: float = 0.05) -> LogitPairs:
    """Precompute the weighted temporal pairs of one clip.

    One segment per cyclic frame pair (a, b): (0,1), ..., (T-1,0); T = 2
    gives (0,1) only and T = 1 none. Each pixel p of frame b is paired with
    its kept candidates q in frame a (see :func:`knn_patch_candidates`),
    for every instance whose boxes, united over the clip's frames, hold p.
    The weight is that union mask at p. Off-frame candidates cost 0 but
    count in the denominator.

    Args:
        images_lab (Tensor): (T, 3, h, w) LAB frames, L in 0..100.
        box_masks (Tensor): (N, T, h, w) filled box masks, 0/1.
        patch_size (int): patch width for the patch distance. Default 3.
        search_size (int): candidate grid width, centre included. Default 3.
        search_dilation (int): candidate grid spacing in pixels (search
            radius ``search_size // 2 * search_dilation``). Default 3.
        topk (int): most similar candidates kept per pixel. Default 5.
        sim_thresh (float): minimum patch similarity ``exp(-d / 2)`` of a
            kept candidate. Default 0.05.

    Returns:
        LogitPairs: one segment per frame pair, pooled over instances.
    """
    check_clip_shapes(images_lab=images_lab, box_masks=box_masks)
    frame_pairs = cyclic_frame_pairs(images_lab.shape[0])
    keep, offsets = knn_patch_candidates(
        images_lab.to(box_masks.device, compute_dtype(images_lab)),
        frame_pairs,
        patch_size=patch_size,
        search_size=search_size,
        search_dilation=search_dilation,
        topk=topk,
        sim_thresh=sim_thresh)
    box_union = box_masks.amax(dim=1, keepdim=True)
    partner_frames = [a for a, _ in frame_pairs]
    centre_frames = [b for _, b in frame_pairs]
    return LogitPairs.from_candidates(
        keep,
        box_union.expand(-1, len(frame_pairs), -1, -1),
        offsets,
        centre_frames=centre_frames,
        partner_frames=partner_frames,
        segments=list(range(len(frame_pairs))),
        num_frames=images_lab.shape[0])


def temporal_knn_patch_loss(mask_logits: Tensor,
                            images_lab: Tensor,
                            box_masks: Tensor,
                            *,
                            patch_size: int = 3,
                            search_size: int = 3,
                            search_dilation: int = 3,
                            topk: int = 5,
                            sim_thresh: float = 0.05) -> Tensor:
    """TK-loss of one clip, summed over its cyclic frame pairs.

    Per frame pair: ``sum(term * w) / max(sum(w), 1)`` pooled over the
    instances, with ``term = -log(s(x_p) s(x_q) + (1 - s(x_p))
    (1 - s(x_q)))`` and the pairs of :func:`temporal_knn_patch_pairs`.

    Args:
        mask_logits (Tensor): (N, T, h, w) mask logits.
        images_lab (Tensor): (T, 3, h, w) LAB frames, L in 0..100.
        box_masks (Tensor): (N, T, h, w) filled box masks, 0/1.
        patch_size, search_size, search_dilation, topk, sim_thresh: see
            :func:`temporal_knn_patch_pairs`.

    Returns:
        Tensor: scalar, 0 for a single frame.
    """
    check_clip_shapes(
        mask_logits=mask_logits, images_lab=images_lab, box_masks=box_masks)
    pairs = temporal_knn_patch_pairs(
        images_lab,
        box_masks,
        patch_size=patch_size,
        search_size=search_size,
        search_dilation=search_dilation,
        topk=topk,
        sim_thresh=sim_thresh)
    return pairs.loss(mask_logits)


@MODELS.register_module()
class TemporalKNNPatchLoss(PairLossBase):
    """TK-loss, weighted and linearly warmed up over the first iterations.

    The weight is ``loss_weight * min(max(iteration - warmup_begin, 0) /
    warmup_iters, 1)``, the iteration being the ``iteration`` argument of
    :meth:`forward` or the runner's (see :class:`LinearWarmupMixin`).

    Args:
        patch_size, search_size, search_dilation, topk, sim_thresh: see
            :func:`temporal_knn_patch_pairs`.
        loss_weight (float): multiplier. Default 0.5, the published
            5 x 0.1.
        warmup_iters (int): length of the linear ramp. Default 200; 0
            disables it.
        warmup_begin (int): iteration where the ramp starts, the term
            weighing 0 before. Default 0.
    """

    def __init__(self,
                 patch_size: int = 3,
                 search_size: int = 3,
                 search_dilation: int = 3,
                 topk: int = 5,
                 sim_thresh: float = 0.05,
                 loss_weight: float = 0.5,
                 warmup_iters: int = 200,
                 warmup_begin: int = 0) -> None:
        super().__init__(loss_weight, warmup_iters, warmup_begin)
        self.patch_size = patch_size
        self.search_size = search_size
        self.search_dilation = search_dilation
        self.topk = topk
        self.sim_thresh = sim_thresh

    def _build(self, images_lab: Tensor, box_masks: Tensor) -> LogitPairs:
        return temporal_knn_patch_pairs(
            images_lab,
            box_masks,
            patch_size=self.patch_size,
            search_size=self.search_size,
            search_dilation=self.search_dilation,
            topk=self.topk,
            sim_thresh=self.sim_thresh)
