"""The pair term of the pairwise and TK losses, and its fused weighted sum.

For mask logits ``x`` (pixel p) and ``y`` (its partner q), the pair term is
the negative log-probability that p and q take the same label::

    -log(s(x) s(y) + (1 - s(x)) (1 - s(y)))   with s = sigmoid
    = softplus(x) + softplus(y) - softplus(x + y)

since ``s(x) s(y) + s(-x) s(-y) = (1 + e^(x+y)) / ((1 + e^x) (1 + e^y))``.
Its derivative is ``d/dx = s(x) - s(x + y)``.
"""
from typing import Optional, Sequence

import torch
from torch import Tensor
from torch.autograd.function import once_differentiable

__all__ = ['same_label_nll', 'segmented_pair_term_sums']

# Pairs evaluated at once; bounds the temporaries of one evaluation to a few
# times 4 MiB whatever the number of pairs.
_CHUNK_PAIRS = 1 << 20


def _log1p_exp_neg_abs(z: Tensor) -> Tensor:
    """log(1 + exp(-|z|)), in (0, log 2]."""
    return torch.log1p(torch.exp(-z.abs()))


def same_label_nll(x: Tensor, y: Tensor) -> Tensor:
    """Elementwise ``-log(s(x) s(y) + (1 - s(x)) (1 - s(y)))``, s = sigmoid.

    Uses ``softplus(z) = max(z, 0) + log(1 + exp(-|z|))``: the ``max`` parts
    of ``softplus(x) + softplus(y) - softplus(x + y)`` add up to
    ``min(|x|, |y|)`` when x and y have opposite signs and to 0 otherwise,
    so no large terms cancel and logits of +-100 stay exact.

    Args:
        x (Tensor): logits of the pixels p, any shape.
        y (Tensor): logits of their partners q, broadcastable with ``x``.

    Returns:
        Tensor: the pair term in nats, >= 0, broadcast shape.
    """
    opposite_signs = torch.signbit(x) ^ torch.signbit(y)
    linear_part = torch.minimum(x.abs(), y.abs()) * opposite_signs
    return (linear_part + _log1p_exp_neg_abs(x) + _log1p_exp_neg_abs(y) -
            _log1p_exp_neg_abs(x + y))


def _chunk_bounds(segment_sizes: Sequence[int]):
    """Yield (segment index, start, stop) of chunks of the pair list."""
    start = 0
    for segment, size in enumerate(segment_sizes):
        for chunk_start in range(start, start + size, _CHUNK_PAIRS):
            yield segment, chunk_start, min(chunk_start + _CHUNK_PAIRS,
                                            start + size)
        start += size


class _SegmentedPairTermSums(torch.autograd.Function):
    """Weighted pair-term sums per segment, saving only the inputs.

    Autograd would keep every gathered logit and intermediate of
    :func:`same_label_nll` alive until backward; this function keeps the
    logits and the shared index lists only, and recomputes the gathers in
    backward.
    """

    @staticmethod
    def forward(ctx, logits: Tensor, first: Tensor, second: Tensor,
                weights: Optional[Tensor],
                segment_sizes: Sequence[int]) -> Tensor:
        sums = logits.new_zeros(len(segment_sizes))
        for segment, start, stop in _chunk_bounds(segment_sizes):
            terms = same_label_nll(
                logits.index_select(0, first[start:stop]),
                logits.index_select(0, second[start:stop]))
            if weights is not None:
                terms = terms * weights[start:stop]
            sums[segment] += terms.sum()
        ctx.save_for_backward(logits, first, second, weights)
        ctx.segment_sizes = segment_sizes
        return sums

    @staticmethod
    @once_differentiable
    def backward(ctx, grad_sums: Tensor):
        logits, first, second, weights = ctx.saved_tensors
        grad_logits = torch.zeros_like(logits)
        for segment, start, stop in _chunk_bounds(ctx.segment_sizes):
            x = logits.index_select(0, first[start:stop])
            y = logits.index_select(0, second[start:stop])
            sigmoid_sum = torch.sigmoid(x + y)
            grad_x = torch.sigmoid(x).sub_(sigmoid_sum)
            grad_y = torch.sigmoid(y).sub_(sigmoid_sum)
            scale = grad_sums[segment]
            if weights is not None:
                scale = scale * weights[start:stop]
            grad_logits.index_add_(0, first[start:stop], grad_x.mul_(scale))
            grad_logits.index_add_(0, second[start:stop], grad_y.mul_(scale))
        return grad_logits, None, None, None, None


def segmented_pair_term_sums(logits: Tensor, first: Tensor, second: Tensor,
                             weights: Optional[Tensor],
                             segment_sizes: Sequence[int]) -> Tensor:
    """Sum ``weight * same_label_nll(logits[first], logits[second])``.

    The pair list is cut into consecutive segments (frame pairs of the TK
    loss, say) and each segment is summed separately. The backward pass
    needs no stored intermediates.

    Args:
        logits (Tensor): (L,) flat mask logits, float32 or float64.
        first (Tensor): (M,) int32/int64 indices into ``logits`` of p.
        second (Tensor): (M,) indices of the partners q.
        weights (Tensor, optional): (M,) pair weights; None means all ones.
        segment_sizes (Sequence[int]): S lengths adding up to M.

    Returns:
        Tensor: (S,) weighted sums of the pair term, ``logits``' dtype.
    """
    if logits.dim() != 1:
        raise ValueError(
            f'logits must be flat (L,), got {tuple(logits.shape)}')
    if first.shape != second.shape or first.dim() != 1:
        raise ValueError('first and second must be (M,) alike, got '
                         f'{tuple(first.shape)} and {tuple(second.shape)}')
    if sum(segment_sizes) != first.numel():
        raise ValueError(f'segment_sizes add up to {sum(segment_sizes)} but '
                         f'there are {first.numel()} pairs')
    if weights is not None:
        weights = weights.to(logits.dtype)
    return _SegmentedPairTermSums.apply(logits, first, second, weights,
                                        tuple(segment_sizes))
