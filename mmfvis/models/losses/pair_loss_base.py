"""What the pairwise affinity and TK losses share: a loss over logit pairs
precomputed from the images and boxes, weighted and optionally warmed up."""
from typing import Optional

import torch.nn as nn
from torch import Tensor

from ..utils import LinearWarmupMixin, compute_dtype
from .logit_pairs import (ClipsInput, LogitPairs, LogitsInput, pairs_for_clips,
                          pairs_or_precompute)

__all__ = ['PairLossBase']


def _zero_like_loss(mask_logits: LogitsInput) -> Tensor:
    """0 in the dtype and on the device the loss would have."""
    first = mask_logits if isinstance(mask_logits, Tensor) else mask_logits[0]
    return first.new_zeros((), dtype=compute_dtype(first))


class PairLossBase(nn.Module, LinearWarmupMixin):
    """``loss_weight`` x warm-up factor x the loss of :class:`LogitPairs`.

    Compute the pairs once per batch with :meth:`precompute` and pass them
    to every decoder layer's call; or pass the raw inputs. Subclasses build
    one clip's pairs in :meth:`_build`.

    Args:
        loss_weight (float): multiplier.
        warmup_iters (int): length of the linear ramp of the weight (see
            :class:`LinearWarmupMixin`); 0 for none.
        warmup_begin (int): iteration where the ramp starts; the weight is
            0 before. Default 0.
    """

    def __init__(self,
                 loss_weight: float,
                 warmup_iters: int,
                 warmup_begin: int = 0) -> None:
        super().__init__()
        self.loss_weight = loss_weight
        self._set_warmup(warmup_iters, warmup_begin)

    def _build(self, images_lab: Tensor, box_masks: Tensor) -> LogitPairs:
        """The pairs of one clip: (T, 3, h, w) LAB, (N, T, h, w) boxes."""
        raise NotImplementedError

    def precompute(self, images_lab: ClipsInput,
                   box_masks: ClipsInput) -> Optional[LogitPairs]:
        """Pairs of one clip, or of the clips of a batch pooled segment by
        segment (for the TK-loss, frame pair by frame pair: all clips need
        the same number of frames).

        Args:
            images_lab (Tensor | Sequence[Tensor]): (T, 3, h, w) per clip.
            box_masks (Tensor | Sequence[Tensor]): (N, T, h, w) per clip.

        Returns:
            LogitPairs | None: for ``forward(mask_logits, pairs=...)``;
            None when ``loss_weight`` is 0, the loss being 0 whatever the
            pairs (a row of an ablation that turns the term off).
        """
        if self.loss_weight == 0:
            return None
        return pairs_for_clips(self._build, images_lab, box_masks)

    def forward(self,
                mask_logits: LogitsInput,
                images_lab: Optional[ClipsInput] = None,
                box_masks: Optional[ClipsInput] = None,
                *,
                pairs: Optional[LogitPairs] = None,
                iteration: Optional[int] = None) -> Tensor:
        """Weighted, warmed-up loss from raw inputs or precomputed pairs.

        Args:
            mask_logits (Tensor | Sequence[Tensor]): (N, T, h, w) logits, or
                one per clip, ordered like the box masks.
            images_lab, box_masks: raw inputs, as for :meth:`precompute`.
            pairs (LogitPairs, optional): result of :meth:`precompute`.
            iteration (int, optional): training iteration for the warm-up;
                read from the MessageHub when None.

        Returns:
            Tensor: scalar loss times ``loss_weight`` and the warm-up factor;
            a constant 0 (float32, or float64 for float64 logits) when
            ``loss_weight`` is 0, no pair being built or read.
        """
        if self.loss_weight == 0:
            return _zero_like_loss(mask_logits)
        pairs = pairs_or_precompute(self.precompute, images_lab, box_masks,
                                    pairs)
        weight = self.loss_weight * self.warmup_factor(iteration)
        return weight * pairs.loss(mask_logits)
