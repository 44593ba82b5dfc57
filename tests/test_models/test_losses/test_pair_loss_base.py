import pytest
import torch
from clip_factory import random_clip

from mmfvis.models.losses import PairwiseAffinityLoss, TemporalKNNPatchLoss


@pytest.mark.parametrize('loss_type',
                         [PairwiseAffinityLoss, TemporalKNNPatchLoss])
def test_a_term_of_weight_0_builds_no_pairs_and_costs_0(loss_type):
    logits, lab, boxes = random_clip(2, 3, 7, 9, seed=1)
    loss_module = loss_type(loss_weight=0.0, warmup_iters=0)
    assert loss_module.precompute([lab], [boxes]) is None
    for loss in (loss_module([logits],
                             pairs=None), loss_module(logits, lab, boxes),
                 loss_module(logits.float(), lab, boxes)):
        assert loss.item() == 0
    assert loss_module(logits, lab, boxes).dtype == torch.float64
    assert loss_module(logits.half(), lab, boxes).dtype == torch.float32
    weighted = loss_type(loss_weight=1.0, warmup_iters=0)
    assert weighted(logits, lab, boxes).item() > 0
