"""All three losses: saturated logits, autocast, no instance."""
import pytest
import torch
from clip_factory import random_clip

from mmfvis.models.losses import (box_projection_loss, pairwise_affinity_loss,
                                  temporal_knn_patch_loss)

LOSSES = {
    'tk': temporal_knn_patch_loss,
    'pairwise': pairwise_affinity_loss,
    'projection':
    lambda logits, lab, boxes: box_projection_loss(logits, boxes),
}


def _saturated_clip():
    logits, lab, boxes = random_clip(
        3, 3, 10, 13, seed=7, dark=True, dtype=torch.float32)
    # +-100 everywhere, disagreeing between neighbours and frames.
    return 100.0 * torch.sign(logits), lab, boxes


@pytest.mark.parametrize('name', sorted(LOSSES))
def test_logits_of_plus_minus_100_are_finite(name):
    logits, lab, boxes = _saturated_clip()
    logits.requires_grad_()
    loss = LOSSES[name](logits, lab, boxes)
    loss.backward()
    assert torch.isfinite(loss) and loss.item() > 0.0
    assert torch.isfinite(logits.grad).all()
    if name != 'projection':  # a saturated sigmoid has no gradient
        assert logits.grad.abs().sum() > 0.0


@pytest.mark.parametrize('dtype', [torch.bfloat16, torch.float16])
@pytest.mark.parametrize('name', sorted(LOSSES))
def test_half_precision_logits_under_autocast(name, dtype):
    logits, lab, boxes = _saturated_clip()
    logits = logits * torch.rand(logits.shape)
    leaf = logits.clone().requires_grad_()
    with torch.autocast('cpu', dtype=dtype):
        loss = LOSSES[name](leaf.to(dtype), lab, boxes.to(dtype))
    assert loss.dtype == torch.float32
    loss.backward()
    assert torch.isfinite(loss)
    assert torch.isfinite(leaf.grad).all()
    rounded = leaf.detach().to(dtype).float()
    assert loss.item() == pytest.approx(
        LOSSES[name](rounded, lab, boxes).item(), rel=1e-6)


@pytest.mark.parametrize('name', sorted(LOSSES))
def test_no_instance_gives_zero(name):
    _, lab, _ = random_clip(1, 3, 7, 9, seed=0, dtype=torch.float32)
    logits = torch.zeros(0, 3, 7, 9, requires_grad=True)
    loss = LOSSES[name](logits, lab, torch.zeros(0, 3, 7, 9))
    loss.backward()
    assert loss.item() == 0.0
