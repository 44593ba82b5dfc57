import copy

import pytest
import torch
from mmengine.structures import InstanceData

from mmfvis.models.tracking_heads import BoxSupervisedMask2FormerTrackHead
from ...builders import (batch, boxes_only_file, build_model, load_config,
                         shapes_dataset, with_masks_file)
from ...paths import TINY_CONFIG
from ..head_training import assert_masks_change_no_loss, train_steps

LOSS_NAMES = ('loss_cls', 'loss_proj', 'loss_pair', 'loss_temp')


@pytest.fixture(scope='module')
def tiny_cfg():
    return load_config(TINY_CONFIG)


def test_trains_on_clips_without_any_mask(tiny_cfg, shapes_root):
    dataset = shapes_dataset(tiny_cfg, shapes_root,
                             boxes_only_file(shapes_root))
    data = batch(dataset, [0, 1])
    assert all('masks' not in frame.gt_instances
               for clip in data['data_samples'] for frame in clip)
    torch.manual_seed(0)
    model = build_model(tiny_cfg)
    losses, totals = train_steps(model, data)
    assert set(LOSS_NAMES) <= set(losses)
    assert sum(totals[-3:]) < 0.9 * sum(totals[:3]), totals


def test_ground_truth_masks_change_no_loss(tiny_cfg, shapes_root):
    cfg = copy.deepcopy(tiny_cfg)
    for transform in cfg.train_dataloader.dataset.pipeline[1].transforms:
        if transform.type == 'LoadTrackAnnotations':
            transform.with_mask = True
    dataset = shapes_dataset(cfg, shapes_root, with_masks_file(shapes_root))
    assert_masks_change_no_loss(build_model(cfg), batch(dataset, [2, 3]))


def _frame(ids, labels, box_masks):
    return InstanceData(
        instances_ids=torch.tensor(ids),
        labels=torch.tensor(labels),
        box_masks=box_masks)


def test_preprocess_gt_groups_frames_by_instance_id():
    head = BoxSupervisedMask2FormerTrackHead.__new__(
        BoxSupervisedMask2FormerTrackHead)
    head.num_frames = 3
    boxes = torch.rand(5, 4, 6).round()
    frames = [
        _frame([4, 9], [1, 0], boxes[0:2]),
        _frame([9], [0], boxes[2:3]),
        _frame([2, 4], [2, 1], boxes[3:5]),
    ]
    (clip, ) = head.preprocess_gt(frames)
    assert clip.labels.tolist() == [2, 1, 0]  # ids 2, 4, 9
    assert clip.instances_id.tolist() == [[-1, -1, 2], [4, -1, 4], [9, 9, -1]]
    assert clip.box_masks.shape == (3, 3, 4, 6)
    assert torch.equal(clip.box_masks[1, 0], boxes[0])
    assert torch.equal(clip.box_masks[2, 1], boxes[2])
    assert torch.equal(clip.box_masks[0, 2], boxes[3])
    assert clip.box_masks[1, 1].sum() == 0  # id 4 absent from frame 1
