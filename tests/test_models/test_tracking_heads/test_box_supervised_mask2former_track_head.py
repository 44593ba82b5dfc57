import copy
import math

import pytest
import torch
from mmengine.structures import InstanceData

from mmfvis.models.tracking_heads import BoxSupervisedMask2FormerTrackHead
from ...builders import (batch, boxes_only_file, build_model, load_config,
                         shapes_dataset, with_masks_file)
from ...paths import TINY_CONFIG

LOSS_NAMES = ('loss_cls', 'loss_proj', 'loss_pair', 'loss_temp')


@pytest.fixture(scope='module')
def tiny_cfg():
    return load_config(TINY_CONFIG)


def _losses(model, data, seed=0):
    torch.manual_seed(seed)
    processed = model.data_preprocessor(copy.deepcopy(data), training=True)
    return model(**processed, mode='loss')


def test_trains_on_clips_without_any_mask(tiny_cfg, shapes_root):
    dataset = shapes_dataset(tiny_cfg, shapes_root,
                             boxes_only_file(shapes_root))
    data = batch(dataset, [0, 1])
    assert all('masks' not in frame.gt_instances
               for clip in data['data_samples'] for frame in clip)
    torch.manual_seed(0)
    model = build_model(tiny_cfg)
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
    totals = []
    for step in range(12):
        losses = _losses(model, data, seed=step)
        assert set(LOSS_NAMES) <= set(losses)
        assert all(math.isfinite(value.item()) for value in losses.values())
        total = sum(losses.values())
        optimizer.zero_grad()
        total.backward()
        optimizer.step()
        totals.append(total.item())
    assert sum(totals[-3:]) < 0.9 * sum(totals[:3]), totals


def test_ground_truth_masks_change_no_loss(tiny_cfg, shapes_root):
    cfg = copy.deepcopy(tiny_cfg)
    for transform in cfg.train_dataloader.dataset.pipeline[1].transforms:
        if transform.type == 'LoadTrackAnnotations':
            transform.with_mask = True
    dataset = shapes_dataset(cfg, shapes_root, with_masks_file(shapes_root))
    data = batch(dataset, [2, 3])
    assert all('masks' in frame.gt_instances for clip in data['data_samples']
               for frame in clip)
    scrambled = copy.deepcopy(data)
    for clip in scrambled['data_samples']:
        for frame in clip:
            masks = frame.gt_instances.masks
            masks.masks = 1 - masks.masks[:, ::-1]
    model = build_model(cfg)
    reference = _losses(model, data)
    for name, value in _losses(model, scrambled).items():
        assert torch.equal(value, reference[name]), name


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


def test_matching_uses_the_box_of_the_predicted_mask(tiny_cfg):
    head = build_model(tiny_cfg).track_head
    num_queries = head.num_queries
    gt_boxes = torch.zeros(2, 2, 16, 16)
    gt_boxes[0, :, 2:10, 2:8] = 1
    gt_boxes[1, :, 8:15, 9:16] = 1
    mask_pred = torch.full((num_queries, 2, 16, 16), -5.0)
    # a star-like blob whose box is gt 0's box; a cross in gt 1's box
    mask_pred[7, :, 2:10, 4:6] = 5
    mask_pred[7, :, 5:7, 2:8] = 5
    mask_pred[3, :, 8:15, 12:13] = 5
    mask_pred[3, :, 11:12, 9:16] = 5
    gt = InstanceData(labels=torch.tensor([0, 2]), box_masks=gt_boxes)
    cls_score = torch.zeros(num_queries, head.num_classes + 1)
    *targets, matched = head._get_targets_single(cls_score, mask_pred, gt,
                                                 dict(video_id=[1]))
    assert matched.tolist() == [7, 3]
    labels = targets[0]
    assert labels[7] == 0 and labels[3] == 2
    assert (labels == head.num_classes).sum() == num_queries - 2


def test_more_instances_than_queries_is_explained(tiny_cfg):
    head = build_model(tiny_cfg).track_head
    count = head.num_queries + 1
    gt = InstanceData(
        labels=torch.zeros(count, dtype=torch.long),
        box_masks=torch.ones(count, 2, 4, 4))
    with pytest.raises(ValueError, match='video 5 .* raise num_queries'):
        head._get_targets_single(
            torch.zeros(head.num_queries, 4),
            torch.zeros(head.num_queries, 2, 4, 4), gt, dict(video_id=[5]))
