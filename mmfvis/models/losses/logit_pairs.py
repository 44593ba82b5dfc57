"""Precomputed (p, q) pairs of mask-logit positions for one clip or batch.

The pairwise and TK losses are ``sum(term * w) / max(sum(w), 1)`` per
segment (one segment for the pairwise loss, one per frame pair for the TK
loss). Which pairs count and their weights depend on the images and boxes
only, so :class:`LogitPairs` lists them once, as flat indices into the
flattened ``(N, T, h, w)`` logits, together with the denominators. Each
decoder layer then only gathers logits and evaluates the pair term.
"""
from dataclasses import dataclass
from typing import Callable, Optional, Sequence, Tuple, Union

import torch
from torch import Tensor

from ..utils.clip_shapes import compute_dtype
from .affinity import Offset, inside_frame_mask
from .pair_term import segmented_pair_term_sums

__all__ = [
    'LogitPairs', 'LogitsInput', 'ClipsInput', 'pairs_for_clips',
    'pairs_or_precompute'
]

# One tensor (N, T, h, w), or one per clip of a batch, in the order of the
# clips whose pairs were merged.
LogitsInput = Union[Tensor, Sequence[Tensor]]
# Images or box masks of one clip, or one tensor per clip of a batch.
ClipsInput = Union[Tensor, Sequence[Tensor]]
# build(images_lab (T, 3, h, w), box_masks (N, T, h, w)) -> LogitPairs
PairBuilder = Callable[[Tensor, Tensor], 'LogitPairs']


def _index_dtype(num_logits: int) -> torch.dtype:
    """int32 halves the memory of the index lists when it can hold them."""
    return torch.int32 if num_logits < 2**31 else torch.int64


@dataclass(frozen=True, eq=False)
class LogitPairs:
    """Weighted pairs of mask-logit positions, in consecutive segments.

    Attributes:
        first (Tensor): (M,) int32/int64 flat indices of the pixels p (the
            pixel whose box gates the pair).
        second (Tensor): (M,) flat indices of their partners q, all inside
            the frame (off-frame partners cost 0 and are not listed).
        weights (Tensor | None): (M,) weights (float32, or float64 for
            float64 box masks), None when all are 1.
        segment_sizes (tuple[int]): S numbers of pairs, one per segment;
            the pairs of segment s follow those of segment s - 1.
        denominators (Tensor): (S,) float64 sums of the weights, including
            the pairs with an off-frame partner.
        num_logits (int): number of logits indexed (N * T * h * w summed
            over the clips).
    """

    first: Tensor
    second: Tensor
    weights: Optional[Tensor]
    segment_sizes: Tuple[int, ...]
    denominators: Tensor
    num_logits: int

    @property
    def num_segments(self) -> int:
        return len(self.segment_sizes)

    def flat_logits(self, mask_logits: LogitsInput) -> Tensor:
        """Flatten (and concatenate) the logits the pairs index.

        Args:
            mask_logits (Tensor | Sequence[Tensor]): (N, T, h, w) logits
                ordered like the box masks of the precompute step, or one
                such tensor per clip for merged pairs.

        Returns:
            Tensor: (num_logits,) in float32, or float64 for float64 input.
        """
        if isinstance(mask_logits, Tensor):
            pieces = [mask_logits]
        else:
            pieces = list(mask_logits)
        if not pieces:
            raise ValueError('mask_logits is an empty sequence')
        numel = sum(piece.numel() for piece in pieces)
        if numel != self.num_logits:
            shapes = [tuple(piece.shape) for piece in pieces]
            raise ValueError(f'mask_logits of shapes {shapes} hold {numel} '
                             f'logits but the pairs index {self.num_logits}')
        dtype = compute_dtype(pieces[0])
        flat = [piece.reshape(-1).to(dtype) for piece in pieces]
        return flat[0] if len(flat) == 1 else torch.cat(flat)

    def numerators(self, mask_logits: LogitsInput) -> Tensor:
        """Per-segment ``sum(term * w)`` for these logits.

        Returns:
            Tensor: (S,) float32 (float64 for float64 logits).
        """
        logits = self.flat_logits(mask_logits)
        return segmented_pair_term_sums(logits, self.first, self.second,
                                        self.weights, self.segment_sizes)

    def loss(self, mask_logits: LogitsInput) -> Tensor:
        """``sum over segments of numerator / max(denominator, 1)``.

        Returns:
            Tensor: scalar, 0 when there is no segment.
        """
        numerators = self.numerators(mask_logits)
        denominators = self.denominators.to(numerators.dtype).clamp(min=1.0)
        return (numerators / denominators).sum()

    @classmethod
    def merge(cls, pairs: Sequence['LogitPairs']) -> 'LogitPairs':
        """Pool the pairs of several clips of a batch.

        Segment s of the result holds segment s of every clip, so its
        denominator is the batch sum: the loss divides the pooled numerator
        by the pooled denominator, as for one clip with all the instances.
        The merged pairs index the clips' logits flattened and concatenated
        in the given order (pass the per-clip logits as a list).

        Args:
            pairs (Sequence[LogitPairs]): one per clip, with equal numbers
                of segments.

        Returns:
            LogitPairs: the pooled pairs.
        """
        if not pairs:
            raise ValueError('pairs is an empty sequence')
        num_segments = {item.num_segments for item in pairs}
        if len(num_segments) != 1:
            raise ValueError('every clip must have the same number of '
                             f'segments (frame pairs), got {num_segments}')
        num_logits = sum(item.num_logits for item in pairs)
        index_dtype = _index_dtype(num_logits)
        offsets = [0]
        for item in pairs[:-1]:
            offsets.append(offsets[-1] + item.num_logits)
        weight_dtypes = [
            item.weights.dtype for item in pairs if item.weights is not None
        ]
        first, second, weights, segment_sizes = [], [], [], []
        for segment in range(num_segments.pop()):
            segment_sizes.append(0)
            for item, offset in zip(pairs, offsets):
                start = sum(item.segment_sizes[:segment])
                stop = start + item.segment_sizes[segment]
                first.append(item.first[start:stop].to(index_dtype) + offset)
                second.append(item.second[start:stop].to(index_dtype) + offset)
                if weight_dtypes:
                    weights.append(
                        _weights_or_ones(item, start, stop, weight_dtypes[0]))
                segment_sizes[-1] += stop - start
        device = pairs[0].denominators.device
        return cls(
            first=_cat_or_empty(first, index_dtype, device),
            second=_cat_or_empty(second, index_dtype, device),
            weights=torch.cat(weights) if weight_dtypes else None,
            segment_sizes=tuple(segment_sizes),
            denominators=torch.stack([item.denominators
                                      for item in pairs]).sum(0),
            num_logits=num_logits)

    @classmethod
    def from_candidates(cls, keep: Tensor, gate: Tensor,
                        offsets: Sequence[Offset], *,
                        centre_frames: Sequence[int],
                        partner_frames: Sequence[int], segments: Sequence[int],
                        num_frames: int) -> 'LogitPairs':
        """List the weighted pairs of kept candidates inside the gates.

        The candidates come in G groups (a frame, or a frame pair): group g
        pairs each pixel p of frame ``centre_frames[g]`` with
        ``p + offsets[k]`` in frame ``partner_frames[g]`` where
        ``keep[g, k, p]``. For instance n the pair weighs ``gate[n, g, p]``.

        Args:
            keep (Tensor): (G, K, h, w) bool, image-only selection.
            gate (Tensor): (N, G, h, w) weights of p per instance (box mask,
                or union of the boxes over the clip).
            offsets (Sequence[tuple[int, int]]): K (dy, dx) offsets.
            centre_frames (Sequence[int]): G frames of p.
            partner_frames (Sequence[int]): G frames of q.
            segments (Sequence[int]): G segment indices, non-decreasing.
            num_frames (int): T, frames of the clip's logits.

        Returns:
            LogitPairs: indexing logits of shape (N, T, h, w).
        """
        num_groups, num_offsets, height, width = keep.shape
        num_instances = gate.shape[0]
        if gate.shape != (num_instances, num_groups, height, width):
            raise ValueError(f'gate must be (N, {num_groups}, {height}, '
                             f'{width}), got {tuple(gate.shape)}')
        if list(segments) != sorted(segments):
            raise ValueError(f'segments must be non-decreasing: {segments}')
        num_segments = segments[-1] + 1 if len(segments) else 0
        device = keep.device
        layout = _ClipLayout(
            num_instances, num_frames, height, width, offsets,
            _index_dtype(num_instances * num_frames * height * width))
        partner_inside = inside_frame_mask(height, width, offsets, device)
        weighted = not bool(((gate == 0) | (gate == 1)).all())
        denominators = torch.zeros(
            num_segments, dtype=torch.float64, device=device)
        first, second, weights = [], [], []
        segment_sizes = [0] * num_segments
        for group, segment in enumerate(segments):
            group_gate = gate[:, group]
            # Every kept candidate counts in the denominator, off-frame too.
            denominators[segment] += (keep[group].double() *
                                      group_gate.sum(0).double()).sum()
            active = ((keep[group] & partner_inside)[None]
                      & (group_gate > 0)[:, None])
            group_first, group_second, instance_pixel = layout.pair_indices(
                active, centre_frames[group], partner_frames[group])
            first.append(group_first)
            second.append(group_second)
            if weighted:
                weights.append(
                    group_gate.reshape(-1)[instance_pixel].to(
                        compute_dtype(gate)))
            segment_sizes[segment] += group_first.numel()
        return cls(
            first=_cat_or_empty(first, layout.index_dtype, device),
            second=_cat_or_empty(second, layout.index_dtype, device),
            weights=torch.cat(weights) if weighted else None,
            segment_sizes=tuple(segment_sizes),
            denominators=denominators,
            num_logits=layout.num_logits)


@dataclass(frozen=True)
class _ClipLayout:
    """Flat positions in (N, T, h, w) logits of pairs found on a grid."""

    num_instances: int
    num_frames: int
    height: int
    width: int
    offsets: Sequence[Offset]
    index_dtype: torch.dtype

    @property
    def num_logits(self) -> int:
        return self.num_instances * self.num_frames * self.height * self.width

    def pair_indices(self, active: Tensor, centre_frame: int,
                     partner_frame: int) -> Tuple[Tensor, Tensor, Tensor]:
        """Flat indices of the active (instance, offset, pixel) pairs.

        Args:
            active (Tensor): (N, K, h, w) bool.
            centre_frame (int): frame of the pixels p.
            partner_frame (int): frame of the partners q = p + offset.

        Returns:
            tuple[Tensor, Tensor, Tensor]: (M,) indices of p and of q in
            the flattened logits (``index_dtype``), and (M,) int64 indices
            of (instance, p) in a flattened (N, h, w) map.
        """
        pixels = self.height * self.width
        flat = active.reshape(-1).nonzero().squeeze(1)
        pixel = flat % pixels
        instance_offset = flat.div_(pixels, rounding_mode='floor')
        offset_index = instance_offset % len(self.offsets)
        instance = instance_offset.div_(
            len(self.offsets), rounding_mode='floor')
        instance_pixel = instance * pixels + pixel
        first = instance.mul_(self.num_frames * pixels).add_(
            centre_frame * pixels).add_(pixel)
        partner_steps = torch.tensor(
            [(partner_frame - centre_frame) * pixels + dy * self.width + dx
             for dy, dx in self.offsets],
            device=active.device)
        second = first + partner_steps[offset_index]
        return (first.to(self.index_dtype), second.to(self.index_dtype),
                instance_pixel)


def _weights_or_ones(pairs: LogitPairs, start: int, stop: int,
                     dtype: torch.dtype) -> Tensor:
    """Weights of pairs[start:stop], ones when the pairs are unweighted."""
    if pairs.weights is not None:
        return pairs.weights[start:stop]
    return torch.ones(stop - start, dtype=dtype, device=pairs.first.device)


def _cat_or_empty(pieces: Sequence[Tensor], dtype: torch.dtype,
                  device: torch.device) -> Tensor:
    if not pieces:
        return torch.zeros(0, dtype=dtype, device=device)
    return torch.cat(list(pieces))


def pairs_for_clips(build: PairBuilder, images_lab: ClipsInput,
                    box_masks: ClipsInput) -> LogitPairs:
    """Run a pair builder on one clip, or on each clip and merge.

    Args:
        build (Callable): ``build(images_lab, box_masks) -> LogitPairs``.
        images_lab (Tensor | Sequence[Tensor]): (T, 3, h, w), or one per
            clip.
        box_masks (Tensor | Sequence[Tensor]): (N, T, h, w), or one per
            clip.

    Returns:
        LogitPairs: the clip's pairs, or the batch's merged pairs.
    """
    if isinstance(images_lab, Tensor) and isinstance(box_masks, Tensor):
        return build(images_lab, box_masks)
    if isinstance(images_lab, Tensor) or isinstance(box_masks, Tensor):
        raise ValueError('images_lab and box_masks must both be tensors (one '
                         'clip) or both sequences (one item per clip)')
    if len(images_lab) != len(box_masks):
        raise ValueError(f'got {len(images_lab)} images_lab but '
                         f'{len(box_masks)} box_masks')
    return LogitPairs.merge(
        [build(images, boxes) for images, boxes in zip(images_lab, box_masks)])


def pairs_or_precompute(precompute: Callable[[ClipsInput, ClipsInput],
                                             LogitPairs],
                        images_lab: Optional[ClipsInput],
                        box_masks: Optional[ClipsInput],
                        pairs: Optional[LogitPairs]) -> LogitPairs:
    """Use precomputed ``pairs``, or build them from the raw inputs.

    Raises:
        ValueError: when both or neither are given.
    """
    raw_given = images_lab is not None or box_masks is not None
    if pairs is not None and raw_given:
        raise ValueError('pass either pairs or images_lab and box_masks')
    if pairs is not None:
        return pairs
    if images_lab is None or box_masks is None:
        raise ValueError('images_lab and box_masks are required without '
                         'precomputed pairs')
    return precompute(images_lab, box_masks)
