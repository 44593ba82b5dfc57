import loop_reference as ref
import pytest
import torch
from clip_factory import random_clip
from mmdet.registry import MODELS

from mmfvis.models.losses import (BoxProjectionLoss, box_projection_dice_sum,
                                  box_projection_loss)


@pytest.mark.parametrize('num_instances,num_frames,size', [
    (1, 1, (7, 9)),
    (3, 2, (10, 13)),
    (2, 3, (7, 9)),
    (4, 5, (10, 13)),
])
def test_matches_loop_reference(num_instances, num_frames, size):
    logits, _, boxes = random_clip(
        num_instances, num_frames, *size, seed=num_frames)
    loss = box_projection_loss(logits, boxes)
    assert loss.dtype == torch.float64
    assert loss.item() == pytest.approx(
        ref.projection_loss(logits, boxes), rel=1e-12)
    total, count = box_projection_dice_sum(logits, boxes)
    assert count == num_instances * num_frames
    assert total.item() == pytest.approx(
        ref.projection_parts(logits, boxes)[0], rel=1e-12)


def test_absent_instance_and_no_instance():
    logits, _, boxes = random_clip(2, 3, 7, 9, seed=1)
    boxes[1] = 0.0
    assert box_projection_loss(logits, boxes).item() == pytest.approx(
        ref.projection_loss(logits, boxes), rel=1e-12)
    empty = torch.zeros(0, 3, 7, 9, requires_grad=True)
    loss = box_projection_loss(empty, empty.detach())
    loss.backward()
    assert loss.item() == 0.0


def test_mask_filling_its_box_costs_nothing():
    boxes = torch.zeros(1, 2, 7, 9)
    boxes[:, :, 2:5, 0:4] = 1.0
    assert box_projection_loss(60.0 * boxes - 30.0,
                               boxes).item() == pytest.approx(
                                   0.0, abs=1e-5)


def test_gradient_matches_finite_differences():
    logits, _, boxes = random_clip(2, 3, 5, 6, seed=6)
    logits.requires_grad_()
    assert torch.autograd.gradcheck(lambda x: box_projection_loss(x, boxes),
                                    (logits, ))


def test_registered_module_pools_clips():
    import mmfvis  # noqa: F401  (registers the losses)
    logits_a, _, boxes_a = random_clip(2, 3, 7, 9, seed=1)
    logits_b, _, boxes_b = random_clip(3, 3, 7, 9, seed=2)
    assert BoxProjectionLoss().loss_weight == 5.0
    loss_module = MODELS.build(dict(type='BoxProjectionLoss', loss_weight=2.0))
    assert loss_module(logits_a, boxes_a).item() == pytest.approx(
        2.0 * ref.projection_loss(logits_a, boxes_a), rel=1e-12)
    sum_a, count_a = ref.projection_parts(logits_a, boxes_a)
    sum_b, count_b = ref.projection_parts(logits_b, boxes_b)
    pooled = loss_module([logits_a, logits_b], [boxes_a, boxes_b])
    assert pooled.item() == pytest.approx(
        2.0 * (sum_a + sum_b) / (count_a + count_b), rel=1e-12)
    with pytest.raises(ValueError, match='both'):
        loss_module([logits_a], boxes_a)


def test_bad_shapes_are_named():
    with pytest.raises(ValueError, match=r'mask_logits and box_masks'):
        box_projection_loss(torch.zeros(2, 3, 7, 9), torch.zeros(2, 3, 7, 8))
    with pytest.raises(ValueError, match='mask_logits must be'):
        box_projection_loss(torch.zeros(3, 7, 9), torch.zeros(3, 7, 9))
