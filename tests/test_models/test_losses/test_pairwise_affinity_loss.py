import loop_reference as ref
import pytest
import torch
from clip_factory import random_clip
from mmdet.registry import MODELS

from mmfvis.models.losses import (LogitPairs, PairwiseAffinityLoss,
                                  pairwise_affinity_loss,
                                  pairwise_affinity_pairs)


@pytest.mark.parametrize('num_instances,num_frames,size', [
    (1, 1, (7, 9)),
    (3, 2, (10, 13)),
    (2, 3, (7, 9)),
    (3, 5, (10, 13)),
])
@pytest.mark.parametrize('dark', [False, True])
def test_matches_loop_reference(num_instances, num_frames, size, dark):
    logits, lab, boxes = random_clip(
        num_instances, num_frames, *size, seed=num_frames, dark=dark)
    loss = pairwise_affinity_loss(logits, lab, boxes)
    assert loss.dtype == torch.float64
    assert loss.item() == pytest.approx(
        ref.pairwise_loss(logits, lab, boxes), rel=1e-10, abs=1e-12)


@pytest.mark.parametrize('config', [
    dict(dilation=1),
    dict(size=5, dilation=1, color_thresh=0.1),
    dict(dilation=3, color_thresh=0.5),
])
def test_other_settings_match_loop_reference(config):
    logits, lab, boxes = random_clip(2, 2, 7, 9, seed=5, dark=True)
    assert pairwise_affinity_loss(logits, lab, boxes, **config).item() == (
        pytest.approx(
            ref.pairwise_loss(logits, lab, boxes, **config), rel=1e-10))


def test_float32_and_soft_boxes_match_loop_reference():
    logits, lab, boxes = random_clip(3, 3, 10, 13, seed=2, dtype=torch.float32)
    assert pairwise_affinity_loss(logits, lab, boxes).item() == (
        pytest.approx(ref.pairwise_loss(logits, lab, boxes), rel=1e-5))
    soft = boxes * torch.rand(boxes.shape)
    assert pairwise_affinity_loss(logits, lab, soft).item() == (
        pytest.approx(ref.pairwise_loss(logits, lab, soft), rel=1e-5))


def test_empty_boxes_give_zero():
    logits, lab, boxes = random_clip(2, 3, 7, 9, seed=1)
    assert pairwise_affinity_loss(logits, lab, 0 * boxes).item() == 0.0


def test_uniform_saturated_masks_cost_nothing():
    _, lab, boxes = random_clip(2, 3, 7, 9, seed=1, dark=True)
    logits = torch.full((2, 3, 7, 9), 40.0, dtype=torch.float64)
    assert pairwise_affinity_loss(logits, lab, boxes).item() < 1e-12


def test_gradient_matches_finite_differences():
    logits, lab, boxes = random_clip(2, 3, 5, 6, seed=6, dark=True)
    boxes[0, 1] *= 0.5
    logits.requires_grad_()
    assert torch.autograd.gradcheck(
        lambda x: pairwise_affinity_loss(x, lab, boxes), (logits, ))


def test_precomputed_pairs_and_batch_pooling():
    logits_a, lab_a, boxes_a = random_clip(2, 3, 7, 9, seed=1, dark=True)
    logits_b, lab_b, boxes_b = random_clip(3, 3, 7, 9, seed=2)
    pairs_a = pairwise_affinity_pairs(lab_a, boxes_a)
    assert pairs_a.num_segments == 1
    assert pairs_a.loss(logits_a).item() == pytest.approx(
        pairwise_affinity_loss(logits_a, lab_a, boxes_a).item(), rel=1e-12)
    num_a, den_a = ref.pairwise_parts(logits_a, lab_a, boxes_a)
    num_b, den_b = ref.pairwise_parts(logits_b, lab_b, boxes_b)
    merged = LogitPairs.merge(
        [pairs_a, pairwise_affinity_pairs(lab_b, boxes_b)])
    assert merged.loss([logits_a, logits_b]).item() == pytest.approx(
        (num_a + num_b) / max(den_a + den_b, 1.0), rel=1e-10)


def test_registered_module():
    import mmfvis  # noqa: F401  (registers the losses)
    logits_a, lab_a, boxes_a = random_clip(2, 3, 7, 9, seed=1, dark=True)
    logits_b, lab_b, boxes_b = random_clip(3, 3, 7, 9, seed=2)
    assert PairwiseAffinityLoss().loss_weight == 5.0
    loss_module = MODELS.build(
        dict(type='PairwiseAffinityLoss', dilation=1, loss_weight=3.0))
    plain = pairwise_affinity_loss(logits_a, lab_a, boxes_a, dilation=1)
    assert loss_module(logits_a, lab_a, boxes_a).item() == pytest.approx(
        3.0 * plain.item(), rel=1e-12)
    pairs = loss_module.precompute([lab_a, lab_b], [boxes_a, boxes_b])
    pooled = LogitPairs.merge([
        pairwise_affinity_pairs(lab_a, boxes_a, dilation=1),
        pairwise_affinity_pairs(lab_b, boxes_b, dilation=1)
    ]).loss([logits_a, logits_b])
    assert loss_module([logits_a, logits_b], pairs=pairs).item() == (
        pytest.approx(3.0 * pooled.item(), rel=1e-12))


def test_bad_shapes_are_named():
    with pytest.raises(ValueError, match='box_masks'):
        pairwise_affinity_loss(
            torch.zeros(2, 3, 7, 9), torch.zeros(3, 3, 7, 9),
            torch.zeros(3, 3, 7, 9))
    with pytest.raises(ValueError, match='images_lab'):
        pairwise_affinity_loss(
            torch.zeros(2, 3, 7, 9), torch.zeros(3, 3, 9, 7),
            torch.zeros(2, 3, 7, 9))


def test_warm_up_ramps_the_weight_from_the_message_hub():
    from mmengine.logging import MessageHub
    torch.manual_seed(0)
    logits = torch.randn(2, 2, 6, 7)
    images_lab = torch.rand(2, 3, 6, 7) * 3
    box_masks = torch.ones(2, 2, 6, 7)
    full = PairwiseAffinityLoss(loss_weight=2.0)(logits, images_lab, box_masks)
    ramped = PairwiseAffinityLoss(loss_weight=2.0, warmup_iters=100)
    hub = MessageHub.get_instance('pairwise_warmup_test')
    for iteration, factor in [(0, 0.0), (25, 0.25), (100, 1.0), (500, 1.0)]:
        hub.update_info('iter', iteration)
        value = ramped(logits, images_lab, box_masks)
        assert value.item() == pytest.approx(factor * full.item())
