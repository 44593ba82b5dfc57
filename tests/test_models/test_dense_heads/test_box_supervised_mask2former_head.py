import copy
import json
import os.path as osp

import pytest
import torch
from mmdet.registry import DATASETS, MODELS
from mmdet.structures import DetDataSample

from mmfvis.datasets import SHAPE_CLASSES
from ...builders import build_model, coco_file_from_shapes, load_config
from ...paths import CONFIG_DIR
from ..head_training import assert_masks_change_no_loss, train_steps

TINY_IMAGE_CONFIG = osp.join(CONFIG_DIR, 'mfvis_coco_box_pretrain_tiny_cpu.py')
LOSS_NAMES = ('loss_cls', 'loss_proj', 'loss_pair')


@pytest.fixture(scope='module')
def tiny_cfg():
    return load_config(TINY_IMAGE_CONFIG)


def _coco_dataset(cfg, shapes_root, ann_file, with_mask=False):
    """mmdet's CocoDataset over a COCO file of the shapes frames, with the
    config's training pipeline."""
    pipeline = copy.deepcopy(cfg.train_dataloader.dataset.pipeline)
    for transform in pipeline:
        if transform.type == 'LoadAnnotations':
            transform.with_mask = with_mask
    return DATASETS.build(
        dict(
            type='CocoDataset',
            metainfo=dict(classes=SHAPE_CLASSES),
            data_root=shapes_root,
            ann_file=ann_file,
            data_prefix=dict(img='train/JPEGImages/'),
            pipeline=pipeline))


def _batch(dataset, indices):
    return dict(
        inputs=[dataset[i]['inputs'] for i in indices],
        data_samples=[dataset[i]['data_samples'] for i in indices])


def test_trains_on_a_coco_file_without_any_mask(tiny_cfg, shapes_root,
                                                tmp_path):
    ann_file = coco_file_from_shapes(shapes_root, str(tmp_path / 'boxes.json'))
    with open(ann_file) as f:
        assert not any('segmentation' in a
                       for a in json.load(f)['annotations'])
    dataset = _coco_dataset(tiny_cfg, shapes_root, ann_file)
    data = _batch(dataset, [0, 5])
    assert all('masks' not in sample.gt_instances
               for sample in data['data_samples'])
    assert all(len(sample.gt_instances) for sample in data['data_samples'])
    torch.manual_seed(0)
    model = build_model(tiny_cfg)
    losses, totals = train_steps(model, data)
    assert set(LOSS_NAMES) <= set(losses) and 'loss_temp' not in losses
    assert 'd1.loss_pair' in losses
    assert sum(totals[-3:]) < 0.9 * sum(totals[:3]), totals


def test_ground_truth_masks_change_no_loss(tiny_cfg, shapes_root, tmp_path):
    ann_file = coco_file_from_shapes(
        shapes_root, str(tmp_path / 'masks.json'), with_masks=True)
    dataset = _coco_dataset(tiny_cfg, shapes_root, ann_file, with_mask=True)
    assert_masks_change_no_loss(build_model(tiny_cfg), _batch(dataset, [1, 2]))


def test_stuff_classes_are_refused(tiny_cfg):
    cfg = copy.deepcopy(tiny_cfg)
    cfg.model.panoptic_head.num_stuff_classes = 2
    cfg.model.panoptic_head.loss_cls.class_weight = [1.0] * 5 + [0.1]
    with pytest.raises(ValueError, match='things only'):
        MODELS.build(cfg.model)


def test_without_the_box_preprocessor_the_error_says_which(tiny_cfg):
    head = build_model(tiny_cfg).panoptic_head
    sample = DetDataSample(metainfo=dict(img_shape=(32, 32)))
    with pytest.raises(KeyError, match='BoxDetDataPreprocessor'):
        head.loss((), [sample])
