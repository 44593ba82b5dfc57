"""Image-only parts of the pairwise and TK losses.

Colour similarities between neighbouring pixels, patch similarities between
frames and the top-K selection depend on the LAB frames only, never on the
mask logits: they are computed once per clip and shared by every decoder
layer. Offsets are (dy, dx) in pixels at logit resolution; a partner
``q = p + (dy, dx)`` outside the frame reads zeros (zero padding).
"""
from dataclasses import dataclass
from typing import List, Sequence, Tuple

import torch
import torch.nn.functional as F
from torch import Tensor

__all__ = [
    'grid_offsets', 'shift_with_zero_fill', 'inside_frame_mask',
    'neighbour_color_similarity', 'similar_neighbours', 'ColourPairCounts',
    'colour_pair_share', 'scored_pairs_cut', 'patch_candidate_similarity',
    'keep_top_candidates', 'cyclic_frame_pairs', 'knn_patch_candidates'
]

Offset = Tuple[int, int]
# Frames (a, b) of the TK loss: pixels of b, candidates in a.
FramePair = Tuple[int, int]


def grid_offsets(size: int, dilation: int,
                 include_centre: bool) -> List[Offset]:
    """Offsets of a ``size`` x ``size`` grid with spacing ``dilation``.

    Args:
        size (int): odd grid width, e.g. 3.
        dilation (int): spacing between grid points in pixels, >= 1.
        include_centre (bool): keep the (0, 0) offset.

    Returns:
        list[tuple[int, int]]: (dy, dx) in row-major order.
    """
    if size < 1 or size % 2 == 0:
        raise ValueError(f'grid size must be odd and positive, got {size}')
    if dilation < 1:
        raise ValueError(f'dilation must be >= 1, got {dilation}')
    radius = size // 2
    steps = range(-radius, radius + 1)
    return [(dy * dilation, dx * dilation) for dy in steps for dx in steps
            if include_centre or (dy, dx) != (0, 0)]


def shift_with_zero_fill(images: Tensor, dy: int, dx: int) -> Tensor:
    """Read each pixel's partner: ``out[..., y, x] = images[..., y+dy, x+dx]``.

    Args:
        images (Tensor): (..., H, W).
        dy (int): row offset in pixels.
        dx (int): column offset in pixels.

    Returns:
        Tensor: (..., H, W), zero where ``(y+dy, x+dx)`` is off the frame.
    """
    height, width = images.shape[-2:]
    shifted = torch.zeros_like(images)
    if abs(dy) >= height or abs(dx) >= width:
        return shifted
    rows_out = slice(max(-dy, 0), height - max(dy, 0))
    cols_out = slice(max(-dx, 0), width - max(dx, 0))
    rows_in = slice(max(dy, 0), height + min(dy, 0))
    cols_in = slice(max(dx, 0), width + min(dx, 0))
    shifted[..., rows_out, cols_out] = images[..., rows_in, cols_in]
    return shifted


def inside_frame_mask(height: int, width: int, offsets: Sequence[Offset],
                      device: torch.device) -> Tensor:
    """Where the partner ``p + offset`` lies inside the frame.

    Returns:
        Tensor: (K, H, W) bool, one plane per offset.
    """
    ones = torch.ones(len(offsets), height, width, device=device)
    return torch.stack([
        shift_with_zero_fill(plane, dy, dx) > 0
        for plane, (dy, dx) in zip(ones, offsets)
    ])


def _similarity(squared_distance: Tensor) -> Tensor:
    """``exp(-d / 2)`` from the squared L2 distance ``d**2``."""
    return torch.exp(-0.5 * torch.sqrt(squared_distance))


def neighbour_color_similarity(images_lab: Tensor,
                               offsets: Sequence[Offset]) -> Tensor:
    """Colour similarity of each pixel to its neighbours in the same frame.

    Args:
        images_lab (Tensor): (T, 3, H, W) LAB frames, L in 0..100.
        offsets (Sequence[tuple[int, int]]): K neighbour offsets.

    Returns:
        Tensor: (T, K, H, W) ``exp(-||lab_p - lab_q||_2 / 2)``, in (0, 1];
        an off-frame neighbour has LAB 0.
    """
    similarities = [
        _similarity(
            (images_lab -
             shift_with_zero_fill(images_lab, dy, dx)).square().sum(-3))
        for dy, dx in offsets
    ]
    return torch.stack(similarities, dim=1)


def similar_neighbours(images_lab: Tensor, *, size: int, dilation: int,
                       color_thresh: float) -> Tuple[Tensor, List[Offset]]:
    """Neighbours of the pairwise loss whose colour similarity passes.

    Args:
        images_lab (Tensor): (T, 3, H, W) LAB frames.
        size (int): neighbourhood grid width (odd), centre excluded.
        dilation (int): grid spacing in pixels.
        color_thresh (float): minimum similarity kept.

    Returns:
        tuple[Tensor, list]: (T, K, H, W) bool kept neighbours, including
        off-frame ones, and the K offsets.
    """
    offsets = grid_offsets(size, dilation, include_centre=False)
    similarity = neighbour_color_similarity(images_lab, offsets)
    return similarity >= color_thresh, offsets


@dataclass(frozen=True)
class ColourPairCounts:
    """Neighbour pairs of the pairwise term inside the frames, and those
    passing its colour threshold; the same for the pairs whose first pixel
    lies in a box. Counts of several clips add up (``+``)."""
    passed: int = 0
    pairs: int = 0
    passed_in_boxes: int = 0
    pairs_in_boxes: int = 0

    def __add__(self, other: 'ColourPairCounts') -> 'ColourPairCounts':
        return ColourPairCounts(self.passed + other.passed,
                                self.pairs + other.pairs,
                                self.passed_in_boxes + other.passed_in_boxes,
                                self.pairs_in_boxes + other.pairs_in_boxes)

    @property
    def share(self) -> float:
        """Passed / all pairs inside the frames (0 for none)."""
        return self.passed / max(self.pairs, 1)

    @property
    def share_in_boxes(self) -> float:
        """Passed / all pairs starting in a box (0 for none)."""
        return self.passed_in_boxes / max(self.pairs_in_boxes, 1)


def colour_pair_share(images_lab: Tensor, box_masks: Tensor, *, size: int,
                      dilation: int, color_thresh: float) -> ColourPairCounts:
    """How many of the pairwise term's neighbour pairs pass its colour
    threshold: the selection of :func:`similar_neighbours`, counted over
    the pairs whose partner is inside the frame.

    Args:
        images_lab (Tensor): (T, 3, h, w) LAB frames at logit resolution.
        box_masks (Tensor): (N, T, h, w) filled box masks, 0/1 (N may be
            0); a pair is in a box when its first pixel is in any of them.
        size, dilation, color_thresh: those of :func:`similar_neighbours`.

    Returns:
        ColourPairCounts: the counts of the clip.
    """
    keep, offsets = similar_neighbours(
        images_lab, size=size, dilation=dilation, color_thresh=color_thresh)
    inside = inside_frame_mask(*images_lab.shape[-2:], offsets,
                               images_lab.device)
    keep = keep & inside
    # (T, 1, h, w): the first pixel in a box
    in_boxes = (box_masks > 0).any(0)[:, None]
    return ColourPairCounts(
        passed=int(keep.sum()),
        pairs=int(inside.sum()) * images_lab.shape[0],
        passed_in_boxes=int((keep & in_boxes).sum()),
        pairs_in_boxes=int((inside & in_boxes).sum()))


def scored_pairs_cut(images_lab: Tensor, box_masks: Tensor, masks: Tensor, *,
                     size: int, dilation: int,
                     color_thresh: float) -> Tuple[Tensor, Tensor]:
    """The pairs the pairwise term scores for each instance, and how many
    of them a mask labels differently (one pixel in, one out): with near
    0/1 probabilities, the term's value at that mask is about the cut
    share times ``-log(eps)``.

    A pair is scored when its first pixel is in the instance's box, its
    colour similarity passes (:func:`similar_neighbours`) and its partner
    is inside the frame.

    Args:
        images_lab (Tensor): (T, 3, h, w) LAB frames at logit resolution.
        box_masks (Tensor): (N, T, h, w) filled box masks, 0/1.
        masks (Tensor): (N, T, h, w) masks to score, 0/1 (the true masks,
            or the boxes themselves).
        size, dilation, color_thresh: those of :func:`similar_neighbours`.

    Returns:
        tuple[Tensor, Tensor]: (N, T) int64 scored pairs and cut pairs.
    """
    keep, offsets = similar_neighbours(
        images_lab, size=size, dilation=dilation, color_thresh=color_thresh)
    keep = keep & inside_frame_mask(*images_lab.shape[-2:], offsets,
                                    images_lab.device)
    in_box, labels = box_masks > 0, masks > 0
    scored = torch.zeros(box_masks.shape[:2], dtype=torch.int64)
    cut = torch.zeros_like(scored)
    for index, (dy, dx) in enumerate(offsets):
        pairs = in_box & keep[:, index]
        partner = shift_with_zero_fill(labels, dy, dx)
        scored += pairs.sum((-2, -1))
        cut += (pairs & (partner != labels)).sum((-2, -1))
    return scored, cut


def _window_sum(values: Tensor, size: int) -> Tensor:
    """Sums over ``size`` x ``size`` windows, without padding.

    (..., H + size - 1, W + size - 1) -> (..., H, W).
    """
    height = values.shape[-2] - size + 1
    width = values.shape[-1] - size + 1
    rows = sum(values[..., start:start + height, :] for start in range(size))
    return sum(rows[..., start:start + width] for start in range(size))


def patch_candidate_similarity(frames_centre: Tensor, frames_partner: Tensor,
                               offsets: Sequence[Offset],
                               patch_size: int) -> Tensor:
    """Patch similarity of each pixel p to the candidates ``p + offset``.

    The patches are ``patch_size`` x ``patch_size`` windows of all channels
    (27 values for 3x3 LAB), zero outside the frame. An off-frame
    candidate's patch is all zeros, as in the published code, which zero
    pads the map of patches. The squared distance of two patches is a
    window sum of per-pixel squared differences, so no patch is stacked.

    Args:
        frames_centre (Tensor): (..., C, H, W) frames of the pixels p.
        frames_partner (Tensor): (..., C, H, W) frames of the candidates.
        offsets (Sequence[tuple[int, int]]): K candidate offsets.
        patch_size (int): odd patch width.

    Returns:
        Tensor: (..., K, H, W) ``exp(-d / 2)``, d the L2 distance of the
        patches (no normalisation).
    """
    if patch_size < 1 or patch_size % 2 == 0:
        raise ValueError(
            f'patch_size must be odd and positive, got {patch_size}')
    height, width = frames_centre.shape[-2:]
    padding = (patch_size // 2, ) * 4
    centre = F.pad(frames_centre, padding)
    partner = F.pad(frames_partner, padding)
    # Squared distance to an all-zero (off-frame) patch.
    centre_energy = _window_sum(centre.square().sum(-3), patch_size)
    partner_inside = inside_frame_mask(height, width, offsets,
                                       frames_centre.device)
    similarities = []
    for (dy, dx), inside in zip(offsets, partner_inside):
        squared_difference = (
            centre - shift_with_zero_fill(partner, dy, dx)).square().sum(-3)
        squared_distance = torch.where(
            inside, _window_sum(squared_difference, patch_size), centre_energy)
        similarities.append(_similarity(squared_distance))
    return torch.stack(similarities, dim=-3)


def keep_top_candidates(similarity: Tensor, topk: int,
                        sim_thresh: float) -> Tensor:
    """Keep the ``topk`` most similar candidates that reach ``sim_thresh``.

    Ties are broken in favour of the lower candidate index (row-major
    offset order), the same on every device; they only matter for exactly
    equal patches, such as all-zero (black) patches next to off-frame
    candidates.

    Args:
        similarity (Tensor): (..., K, H, W), candidates along dim -3.
        topk (int): candidates kept per pixel before thresholding, >= 0.
        sim_thresh (float): minimum similarity of a kept candidate.

    Returns:
        Tensor: (..., K, H, W) bool.
    """
    if topk < 0:
        raise ValueError(f'topk must be >= 0, got {topk}')
    kept = min(topk, similarity.shape[-3])
    values, indices = similarity.sort(dim=-3, descending=True, stable=True)
    keep = torch.zeros_like(similarity, dtype=torch.bool)
    return keep.scatter_(-3, indices.narrow(-3, 0, kept),
                         values.narrow(-3, 0, kept) >= sim_thresh)


def cyclic_frame_pairs(num_frames: int) -> List[FramePair]:
    """Frame pairs (a, b) of the TK loss: (0,1), ..., (T-2,T-1), (T-1,0).

    Two frames give the single pair (0, 1); one frame gives none.
    """
    if num_frames < 2:
        return []
    pairs = [(index, index + 1) for index in range(num_frames - 1)]
    if num_frames > 2:
        pairs.append((num_frames - 1, 0))
    return pairs


def knn_patch_candidates(images_lab: Tensor, frame_pairs: Sequence[FramePair],
                         *, patch_size: int, search_size: int,
                         search_dilation: int, topk: int,
                         sim_thresh: float) -> Tuple[Tensor, List[Offset]]:
    """Kept temporal candidates of the TK loss for each frame pair.

    For a pair (a, b), each pixel p of frame b has the candidates p + o in
    frame a, o on a ``search_size`` grid with spacing ``search_dilation``
    (centre included). The ``topk`` most patch-similar ones are kept if
    their similarity reaches ``sim_thresh``.

    Args:
        images_lab (Tensor): (T, 3, H, W) LAB frames.
        frame_pairs (Sequence[tuple[int, int]]): P pairs (a, b).
        patch_size, search_size, search_dilation, topk, sim_thresh: see
            :func:`temporal_knn_patch_loss`.

    Returns:
        tuple[Tensor, list]: (P, K, H, W) bool kept candidates, including
        off-frame ones, and the K offsets.
    """
    offsets = grid_offsets(search_size, search_dilation, include_centre=True)
    # One pair at a time bounds the memory of the similarities and sort.
    keep = [
        keep_top_candidates(
            patch_candidate_similarity(images_lab[b], images_lab[a], offsets,
                                       patch_size), topk, sim_thresh)
        for a, b in frame_pairs
    ]
    if not keep:
        height, width = images_lab.shape[-2:]
        return torch.zeros(
            0,
            len(offsets),
            height,
            width,
            dtype=torch.bool,
            device=images_lab.device), offsets
    return torch.stack(keep), offsets
