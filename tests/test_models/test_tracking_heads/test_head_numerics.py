"""The tiny box-supervised model gives finite losses and gradients on
extreme inputs, and stops on a non-finite loss naming iteration and term.
"""
import copy
import math

import pytest
import torch
from mmengine.logging import MessageHub

from mmfvis.models.utils import NonFiniteLossError
from ...builders import (batch, boxes_only_file, build_model, load_config,
                         shapes_dataset)
from ...paths import TINY_CONFIG


@pytest.fixture(scope='module')
def tiny_model():
    torch.manual_seed(0)
    return build_model(load_config(TINY_CONFIG))


@pytest.fixture(scope='module')
def clips(shapes_root):
    cfg = load_config(TINY_CONFIG)
    dataset = shapes_dataset(cfg, shapes_root, boxes_only_file(shapes_root))
    torch.manual_seed(0)
    return batch(dataset, [0, 1])


def losses_and_gradients(model, data, autocast_dtype=None):
    """Loss terms and whether every gradient is finite after backward."""
    model.zero_grad()
    processed = model.data_preprocessor(copy.deepcopy(data), training=True)
    with torch.autocast(
            'cpu', dtype=autocast_dtype, enabled=autocast_dtype is not None):
        losses = model(**processed, mode='loss')
    sum(losses.values()).backward()
    gradients = [p.grad for p in model.parameters() if p.grad is not None]
    return losses, all(torch.isfinite(g).all() for g in gradients)


def assert_finite(losses):
    bad = {k: v.item() for k, v in losses.items() if not torch.isfinite(v)}
    assert not bad, bad


def keep_instances(frame, keep):
    frame.gt_instances = frame.gt_instances[torch.as_tensor(keep)]


def test_extreme_logits_give_finite_losses_and_gradients(tiny_model, clips):
    model = copy.deepcopy(tiny_model)
    with torch.no_grad():
        for layer in (model.track_head.mask_embed[-1],
                      model.track_head.cls_embed):
            layer.weight.mul_(1e4)
            layer.bias.mul_(1e4)
    losses, finite_gradients = losses_and_gradients(model, clips)
    assert_finite(losses)
    assert finite_gradients
    assert losses['loss_proj'] > 0


def test_clip_without_any_instance_trains_the_classifier_only(
        tiny_model, clips):
    data = copy.deepcopy(clips)
    for clip in data['data_samples']:
        for frame in clip:
            keep_instances(
                frame, torch.zeros(len(frame.gt_instances), dtype=torch.bool))
    losses, finite_gradients = losses_and_gradients(tiny_model, data)
    assert_finite(losses)
    assert finite_gradients
    for name in ('loss_proj', 'loss_pair', 'loss_temp', 'd0.loss_temp'):
        assert losses[name].item() == 0.0, name
    assert losses['loss_cls'] > 0


def test_one_background_clip_beside_an_annotated_one(tiny_model, clips):
    data = copy.deepcopy(clips)
    for frame in data['data_samples'][1]:
        keep_instances(frame,
                       torch.zeros(len(frame.gt_instances), dtype=torch.bool))
    losses, finite_gradients = losses_and_gradients(tiny_model, data)
    assert_finite(losses)
    assert finite_gradients
    assert losses['loss_proj'] > 0


def test_boxes_without_area_count_as_absent_instances(tiny_model, clips):
    """A zero-width box and a box off the frame give the losses of the same
    clips without those two instances in that frame."""
    degenerate = copy.deepcopy(clips)
    first_clip = degenerate['data_samples'][0]
    nobody = torch.zeros(len(first_clip[1].gt_instances), dtype=torch.bool)
    keep_instances(first_clip[1], nobody)  # all absent from frame 1
    removed = copy.deepcopy(degenerate)
    count = len(first_clip[0].gt_instances)
    assert count >= 3
    boxes = first_clip[0].gt_instances.bboxes
    boxes[0, 2] = boxes[0, 0]  # zero width
    boxes[-1] = torch.tensor([-50.0, -50.0, -10.0, -10.0])  # off the frame
    keep_instances(removed['data_samples'][0][0], list(range(1, count - 1)))
    torch.manual_seed(0)  # the matching samples points at random
    losses, finite_gradients = losses_and_gradients(tiny_model, degenerate)
    assert finite_gradients
    torch.manual_seed(0)
    expected, _ = losses_and_gradients(tiny_model, removed)
    assert losses.keys() == expected.keys()
    for name, value in expected.items():
        assert losses[name].item() == pytest.approx(value.item(), rel=1e-6), \
            name


# float16 autocast on CPU takes half a minute
@pytest.mark.parametrize(
    'dtype',
    [torch.bfloat16,
     pytest.param(torch.float16, marks=pytest.mark.slow)])
def test_half_precision_autocast(tiny_model, clips, dtype):
    losses, finite_gradients = losses_and_gradients(tiny_model, clips, dtype)
    assert_finite(losses)
    assert finite_gradients
    assert all(v.dtype == torch.float32 for v in losses.values())


@pytest.fixture
def runner_at_iteration_41():
    """The MessageHub as a runner sets it before its 42nd iteration; a
    fresh hub without iteration afterwards, as other tests expect."""
    MessageHub.get_instance('numerics_iteration_41').update_info('iter', 41)
    yield
    MessageHub.get_instance('numerics_no_iteration')


def test_a_non_finite_term_stops_naming_iteration_terms_and_videos(
        tiny_model, clips, runner_at_iteration_41):
    model = copy.deepcopy(tiny_model)
    model.track_head.loss_temp.loss_weight = math.nan
    processed = model.data_preprocessor(copy.deepcopy(clips), training=True)
    with pytest.raises(NonFiniteLossError) as raised:
        model(**processed, mode='loss')
    message = str(raised.value)
    assert message.startswith('non-finite loss at training iteration 42 '
                              '(as the log counts; 0-based 41): ')
    for layer in ('', 'd0.', 'd1.'):
        assert f'{layer}loss_temp = nan' in message
    assert 'loss_proj' not in message and 'loss_cls' not in message
    video_ids = [clip[0].video_id for clip in clips['data_samples']]
    assert f'batch of videos {video_ids}' in message
    assert 'before the optimizer step' in message
