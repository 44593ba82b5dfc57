import copy
import os.path as osp

import pytest
import torch
from mmdet.registry import MODELS
from mmdet.structures import DetDataSample, TrackDataSample
from mmengine.structures import InstanceData

from ...builders import (batch, build_model, load_config, shapes_dataset,
                         with_masks_file)
from ...paths import CONFIG_DIR
from ..head_training import assert_masks_change_no_loss

SHAPES_CONFIG = osp.join(CONFIG_DIR, 'mfvis_masktrack_rcnn_shapes_cpu.py')
GRID = 28


@pytest.fixture(scope='module')
def cfg():
    cfg = load_config(SHAPES_CONFIG)
    # full weights from the first step, whatever iteration an earlier test
    # left in mmengine's MessageHub
    cfg.model.loss_temp.warmup_iters = 0
    cfg.model.detector.roi_head.mask_head.loss_pair.warmup_iters = 0
    return cfg


@pytest.fixture(scope='module')
def model(cfg):
    torch.manual_seed(0)
    return build_model(cfg)


def _frame(boxes, ids, frame_lab):
    gt = InstanceData(
        bboxes=torch.tensor(boxes, dtype=torch.float32),
        labels=torch.zeros(len(ids), dtype=torch.long),
        instances_ids=torch.tensor(ids))
    gt.set_metainfo(dict(lab_frame=frame_lab, lab_stride=4))
    return DetDataSample(gt_instances=gt, metainfo=dict(video_id=3))


def _clip(key_frame, ref_frame):
    clip = TrackDataSample(
        video_data_samples=[key_frame, ref_frame],
        metainfo=dict(key_frames_inds=[0], ref_frames_inds=[1]))
    return clip


def _textured_lab(generator, height=32, width=32):
    """(3, h, w) LAB with texture everywhere: patches match only where the
    frames agree."""
    lab = 8 * torch.randn(3, height, width, generator=generator)
    lab[0] += 50
    return lab


def _disc_logits(centre_x, size=GRID, radius=8.0, scale=30.0):
    """(size, size) logits, +scale inside a disc, -scale outside: a
    saturated, binary mask."""
    ys, xs = torch.meshgrid(
        torch.arange(size) + 0.5, torch.arange(size) + 0.5, indexing='ij')
    inside = (xs - centre_x)**2 + (ys - size / 2)**2 <= radius**2
    return torch.where(inside, scale, -scale)


def _with_mask_logits(model, monkeypatch, key_logits, ref_logits):
    """The mask head's class logits are ``key_logits`` on the key features
    and ``ref_logits`` on the reference features, for every RoI."""
    key_feats, ref_feats = (torch.zeros(1, 1, 4,
                                        4), ), (torch.ones(1, 1, 4, 4), )

    def roi_class_logits(feats, rois, labels):
        logits = key_logits if feats is key_feats else ref_logits
        return logits.expand(len(rois), GRID, GRID)

    monkeypatch.setattr(model, 'roi_class_logits', roi_class_logits)
    return key_feats, ref_feats


def _temporal_loss(model, monkeypatch, key_logits, ref_logits, clips):
    feats = _with_mask_logits(model, monkeypatch, key_logits, ref_logits)
    return model.temporal_loss(*feats, clips)


def test_tk_term_is_zero_for_identical_frames_with_consistent_masks(
        model, monkeypatch):
    generator = torch.Generator().manual_seed(0)
    lab = _textured_lab(generator)
    box = [[20.0, 16.0, 100.0, 96.0]]
    clip = _clip(_frame(box, [5], lab), _frame(box, [5], lab.clone()))
    mask = _disc_logits(GRID / 2)
    loss = _temporal_loss(model, monkeypatch, mask, mask.clone(), [clip])
    assert loss.item() == pytest.approx(0.0, abs=1e-9)


def test_tk_term_is_positive_for_inconsistent_masks(model, monkeypatch):
    generator = torch.Generator().manual_seed(0)
    lab = _textured_lab(generator)
    box = [[20.0, 16.0, 100.0, 96.0]]
    clip = _clip(_frame(box, [5], lab), _frame(box, [5], lab.clone()))
    moved = _temporal_loss(model, monkeypatch, _disc_logits(GRID / 2),
                           _disc_logits(GRID / 2 + 4), [clip])
    inverted = _temporal_loss(model, monkeypatch, _disc_logits(GRID / 2),
                              -_disc_logits(GRID / 2), [clip])
    assert 0 < moved < inverted
    # the weight of the term times its warm-up factor (none out of a run)
    assert inverted > model.loss_temp.loss_weight


def test_tk_term_covers_only_instances_in_both_frames(model, monkeypatch):
    generator = torch.Generator().manual_seed(1)
    lab = _textured_lab(generator)
    key = _frame([[20.0, 16.0, 100.0, 96.0]], [5], lab)
    # instance 5 is gone from the reference frame: nothing to compare
    ref = _frame([[0.0, 0.0, 40.0, 40.0]], [6], lab.clone())
    loss = _temporal_loss(model, monkeypatch, _disc_logits(GRID / 2),
                          -_disc_logits(GRID / 2), [_clip(key, ref)])
    assert loss.item() == 0


def test_the_shared_roi_is_the_union_of_the_two_boxes(model, monkeypatch):
    generator = torch.Generator().manual_seed(2)
    lab = _textured_lab(generator)
    key = _frame([[0.0, 0.0, 8.0, 8.0], [20.0, 16.0, 60.0, 50.0]], [1, 5], lab)
    ref = _frame([[30.0, 10.0, 90.0, 40.0]], [5], lab.clone())
    seen = []
    feats = _with_mask_logits(model, monkeypatch, _disc_logits(14),
                              _disc_logits(14))
    class_logits = model.roi_class_logits

    def recording(feats, rois, labels):
        seen.append(rois)
        return class_logits(feats, rois, labels)

    monkeypatch.setattr(model, 'roi_class_logits', recording)
    model.temporal_loss(*feats, [_clip(key, ref)])
    for rois in seen:
        assert rois.tolist() == [[0.0, 20.0, 10.0, 90.0, 50.0]]


def test_roi_class_logits_are_those_of_mmdets_mask_branch(model):
    """The public path (RoI extractor, mask head's ``class_logits``) gives
    the logits of mmdet's own ``_mask_forward``, each RoI's class."""
    torch.manual_seed(3)
    feats = tuple(
        torch.randn(2, 64, 32 // 2**level, 32 // 2**level)
        for level in range(5))
    rois = torch.tensor([[0.0, 4.0, 4.0, 60.0, 50.0],
                         [1.0, 10.0, 0.0, 40.0, 30.0]])
    labels = torch.tensor([2, 0])
    roi_head = model.detector.roi_head
    with torch.no_grad():
        expected = roi_head.mask_head.roi_logits(
            roi_head._mask_forward(feats, rois)['mask_preds'], labels)
        logits = model.roi_class_logits(feats, rois, labels)
    assert logits.shape == (2, GRID, GRID)
    torch.testing.assert_close(logits, expected)


def test_trains_a_step_and_masks_change_no_loss(cfg, model, shapes_root):
    """Masks loaded (the file has them) and scrambled: the same losses."""
    dataset_cfg = copy.deepcopy(cfg)
    loader = dataset_cfg.train_dataloader.dataset.pipeline[1].transforms[1]
    loader.with_mask = True
    data = batch(
        shapes_dataset(dataset_cfg, shapes_root, with_masks_file(shapes_root)),
        [0, 1])
    model.train()
    reference = assert_masks_change_no_loss(model, data)
    assert reference['loss_temp'] > 0
    total, _ = model.parse_losses(reference)
    total.backward()
    mask_head = model.detector.roi_head.mask_head
    assert mask_head.conv_logits.weight.grad.abs().sum() > 0


def test_a_mask_supervised_mask_head_is_refused(cfg):
    model_cfg = copy.deepcopy(cfg.model)
    mask_head = model_cfg.detector.roi_head.mask_head
    mask_head.type = 'FCNMaskHead'
    del mask_head.loss_proj, mask_head.loss_pair
    with pytest.raises(TypeError, match='BoxSupervisedFCNMaskHead'):
        MODELS.build(model_cfg)
