import loop_reference as ref
import pytest
import torch
from clip_factory import random_clip
from mmdet.registry import MODELS
from mmengine.logging import MessageHub

from mmfvis.models.losses import (LogitPairs, TemporalKNNPatchLoss,
                                  temporal_knn_patch_loss,
                                  temporal_knn_patch_pairs)

SHAPES = [
    # (N, T, (h, w))
    (1, 1, (7, 9)),
    (1, 2, (7, 9)),
    (3, 2, (10, 13)),
    (2, 3, (7, 9)),
    (3, 3, (10, 13)),
    (2, 5, (7, 9)),
]


@pytest.mark.parametrize('num_instances,num_frames,size', SHAPES)
@pytest.mark.parametrize('dark', [False, True])
def test_matches_loop_reference(num_instances, num_frames, size, dark):
    logits, lab, boxes = random_clip(
        num_instances, num_frames, *size, seed=num_frames, dark=dark)
    expected = ref.tk_loss(logits, lab, boxes)
    loss = temporal_knn_patch_loss(logits, lab, boxes)
    assert loss.dtype == torch.float64
    assert loss.item() == pytest.approx(expected, rel=1e-10, abs=1e-12)


def test_five_frames_at_ten_by_thirteen():
    logits, lab, boxes = random_clip(3, 5, 10, 13, seed=11, dark=True)
    loss = temporal_knn_patch_loss(logits, lab, boxes)
    assert loss.item() == pytest.approx(
        ref.tk_loss(logits, lab, boxes), rel=1e-10)


@pytest.mark.parametrize('config', [
    dict(search_size=3, search_dilation=5),
    dict(search_size=5, search_dilation=2, topk=3),
    dict(patch_size=1, topk=9, sim_thresh=0.2),
    dict(patch_size=5, search_dilation=1, topk=1),
    dict(topk=0),
])
def test_other_settings_match_loop_reference(config):
    logits, lab, boxes = random_clip(2, 3, 7, 9, seed=5, dark=True)
    expected = ref.tk_loss(logits, lab, boxes, **config)
    loss = temporal_knn_patch_loss(logits, lab, boxes, **config)
    assert loss.item() == pytest.approx(expected, rel=1e-10, abs=1e-12)


def test_float32_matches_loop_reference():
    logits, lab, boxes = random_clip(
        3, 3, 10, 13, seed=2, dark=True, dtype=torch.float32)
    loss = temporal_knn_patch_loss(logits, lab, boxes)
    assert loss.dtype == torch.float32
    assert loss.item() == pytest.approx(
        ref.tk_loss(logits, lab, boxes), rel=1e-5)


def test_soft_box_masks_weigh_pairs_by_their_union():
    logits, lab, boxes = random_clip(2, 3, 7, 9, seed=8, dark=True)
    boxes = boxes * torch.rand(boxes.shape, dtype=boxes.dtype)
    assert temporal_knn_patch_loss(logits, lab, boxes).item() == (
        pytest.approx(ref.tk_loss(logits, lab, boxes), rel=1e-10))


def test_single_frame_gives_zero_with_a_gradient():
    logits, lab, boxes = random_clip(2, 1, 7, 9, seed=0)
    logits.requires_grad_()
    loss = temporal_knn_patch_loss(logits, lab, boxes)
    loss.backward()
    assert loss.item() == 0.0
    assert torch.count_nonzero(logits.grad) == 0


def test_static_textured_video_with_consistent_masks_costs_nothing():
    generator = torch.Generator().manual_seed(0)
    frame = 50.0 + 15.0 * torch.randn(3, 10, 13, generator=generator)
    lab = frame.expand(4, -1, -1, -1)
    shape = torch.zeros(10, 13)
    shape[2:7, 3:9] = 1.0
    logits = (60.0 * shape - 30.0).expand(2, 4, -1, -1)
    boxes = torch.ones(2, 4, 10, 13)
    assert temporal_knn_patch_loss(logits, lab, boxes).item() < 1e-9
    flipped = logits.clone()
    flipped[:, 1] = -flipped[:, 1]
    assert temporal_knn_patch_loss(flipped, lab, boxes).item() > 1.0


def test_constant_colour_with_uniform_saturated_masks_costs_nothing():
    lab = torch.tensor([60.0, 5.0, 5.0])[None, :, None,
                                         None].expand(5, 3, 9, 11)
    logits = torch.full((2, 5, 9, 11), 30.0)
    logits[1] = -30.0
    boxes = torch.zeros(2, 5, 9, 11)
    boxes[:, :, 1:8, 2:10] = 1.0
    assert temporal_knn_patch_loss(logits, lab, boxes).item() < 1e-9


def test_instance_without_boxes_changes_nothing():
    logits, lab, boxes = random_clip(2, 3, 7, 9, seed=4, dark=True)
    extra_logits = torch.cat([logits, torch.randn(1, 3, 7, 9).double()])
    extra_boxes = torch.cat([boxes, torch.zeros(1, 3, 7, 9).double()])
    assert temporal_knn_patch_loss(extra_logits, lab, extra_boxes).item() == (
        pytest.approx(temporal_knn_patch_loss(logits, lab, boxes).item()))
    assert temporal_knn_patch_loss(logits, lab, 0 * boxes).item() == 0.0


def test_gradient_matches_finite_differences():
    logits, lab, boxes = random_clip(2, 3, 5, 6, seed=6, dark=True)
    logits.requires_grad_()
    assert torch.autograd.gradcheck(
        lambda x: temporal_knn_patch_loss(x, lab, boxes), (logits, ))


def test_precomputed_pairs_equal_the_raw_path():
    _, lab, boxes = random_clip(3, 5, 7, 9, seed=1, dark=True)
    pairs = temporal_knn_patch_pairs(lab, boxes)
    assert pairs.num_segments == 5
    for seed in range(3):
        logits = torch.randn(
            3, 5, 7, 9, generator=torch.Generator().manual_seed(seed))
        logits = logits.double()
        assert pairs.loss(logits).item() == pytest.approx(
            temporal_knn_patch_loss(logits, lab, boxes).item(), rel=1e-12)


def test_batch_pooling_pools_numerators_and_denominators_per_pair():
    logits_a, lab_a, boxes_a = random_clip(2, 3, 7, 9, seed=1, dark=True)
    logits_b, lab_b, boxes_b = random_clip(3, 3, 7, 9, seed=2)
    merged = LogitPairs.merge([
        temporal_knn_patch_pairs(lab_a, boxes_a),
        temporal_knn_patch_pairs(lab_b, boxes_b)
    ])
    parts_a = ref.tk_parts(logits_a, lab_a, boxes_a)
    parts_b = ref.tk_parts(logits_b, lab_b, boxes_b)
    expected = sum((num_a + num_b) / max(den_a + den_b, 1.0)
                   for (num_a, den_a), (num_b, den_b) in zip(parts_a, parts_b))
    loss = merged.loss([logits_a, logits_b])
    assert loss.item() == pytest.approx(expected, rel=1e-10)
    numerators = merged.numerators([logits_a, logits_b])
    assert numerators.tolist() == pytest.approx(
        [num_a + num_b for (num_a, _), (num_b, _) in zip(parts_a, parts_b)])
    assert merged.denominators.tolist() == pytest.approx(
        [den_a + den_b for (_, den_a), (_, den_b) in zip(parts_a, parts_b)])


def test_merged_clips_with_same_frames_equal_one_clip():
    logits, lab, boxes = random_clip(4, 3, 7, 9, seed=3, dark=True)
    merged = LogitPairs.merge([
        temporal_knn_patch_pairs(lab, boxes[:1]),
        temporal_knn_patch_pairs(lab, boxes[1:])
    ])
    assert merged.loss([logits[:1], logits[1:]]).item() == pytest.approx(
        temporal_knn_patch_loss(logits, lab, boxes).item(), rel=1e-12)
    assert merged.loss(logits).item() == pytest.approx(
        temporal_knn_patch_loss(logits, lab, boxes).item(), rel=1e-12)


@pytest.mark.parametrize('bad, message', [
    (dict(mask_logits=torch.zeros(2, 3, 7)), 'mask_logits'),
    (dict(box_masks=torch.zeros(2, 3, 7, 8)), 'box_masks'),
    (dict(images_lab=torch.zeros(4, 3, 7, 9)), 'images_lab'),
    (dict(images_lab=torch.zeros(3, 1, 7, 9)), 'images_lab'),
])
def test_bad_shapes_are_named(bad, message):
    inputs = dict(
        mask_logits=torch.zeros(2, 3, 7, 9),
        images_lab=torch.zeros(3, 3, 7, 9),
        box_masks=torch.zeros(2, 3, 7, 9))
    inputs.update(bad)
    with pytest.raises(ValueError, match=message):
        temporal_knn_patch_loss(**inputs)


@pytest.fixture
def message_hub():
    """A fresh current MessageHub (the newest instance is the current)."""
    return MessageHub.get_instance('test_temporal_knn_patch_loss_warmup')


def test_registered_module_weight_and_warmup(message_hub):
    import mmfvis  # noqa: F401  (registers the losses)
    logits, lab, boxes = random_clip(2, 3, 7, 9, seed=1, dark=True)
    plain = temporal_knn_patch_loss(logits, lab, boxes).item()
    loss_module = MODELS.build(
        dict(type='TemporalKNNPatchLoss', loss_weight=2.0, warmup_iters=200))
    assert isinstance(loss_module, TemporalKNNPatchLoss)
    for iteration, factor in ((0, 0.0), (100, 0.5), (200, 1.0), (350, 1.0)):
        message_hub.update_info('iter', iteration)
        assert loss_module.warmup_factor() == factor
        loss = loss_module(logits, lab, boxes)
        assert loss.item() == pytest.approx(2.0 * factor * plain, rel=1e-12)
    message_hub.update_info('iter', 0)
    explicit = loss_module(logits, lab, boxes, iteration=50)
    assert explicit.item() == pytest.approx(0.5 * plain, rel=1e-12)


def test_warmup_can_begin_late():
    ramp = TemporalKNNPatchLoss(warmup_iters=200, warmup_begin=300)
    assert [ramp.warmup_factor(i) for i in (0, 299, 300, 400, 500, 900)
            ] == [0.0, 0.0, 0.0, 0.5, 1.0, 1.0]
    step = TemporalKNNPatchLoss(warmup_iters=0, warmup_begin=300)
    assert [step.warmup_factor(i) for i in (299, 300)] == [0.0, 1.0]
    with pytest.raises(ValueError, match='warmup_begin must be >= 0'):
        TemporalKNNPatchLoss(warmup_begin=-1)


def test_module_without_iteration_has_no_warmup():
    hub = MessageHub.get_instance('test_temporal_knn_patch_loss_no_iter')
    assert hub.get_info('iter') is None
    loss_module = TemporalKNNPatchLoss()
    assert loss_module.loss_weight == 0.5
    assert loss_module.warmup_iters == 200
    assert loss_module.warmup_factor() == 1.0
    assert TemporalKNNPatchLoss(warmup_iters=0).warmup_factor(0) == 1.0


def test_module_precompute_pools_clips(message_hub):
    message_hub.update_info('iter', 1000)
    logits_a, lab_a, boxes_a = random_clip(2, 3, 7, 9, seed=1, dark=True)
    logits_b, lab_b, boxes_b = random_clip(1, 3, 7, 9, seed=2, dark=True)
    loss_module = TemporalKNNPatchLoss(search_dilation=2)
    pairs = loss_module.precompute([lab_a, lab_b], [boxes_a, boxes_b])
    expected = LogitPairs.merge([
        temporal_knn_patch_pairs(lab_a, boxes_a, search_dilation=2),
        temporal_knn_patch_pairs(lab_b, boxes_b, search_dilation=2)
    ]).loss([logits_a, logits_b])
    loss = loss_module([logits_a, logits_b], pairs=pairs)
    assert loss.item() == pytest.approx(0.5 * expected.item(), rel=1e-12)
    with pytest.raises(ValueError, match='either pairs'):
        loss_module(logits_a, lab_a, boxes_a, pairs=pairs)
    with pytest.raises(ValueError, match='required'):
        loss_module(logits_a, lab_a)
