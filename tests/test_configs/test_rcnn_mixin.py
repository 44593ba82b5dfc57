"""The R-CNN mixin on mmdet's own configs: Cascade Mask R-CNN (one mask
head a stage) trains a step from boxes; Mask R-CNN's losses ignore masks."""
import copy
import math
import os.path as osp

import torch

from ..builders import (batch, build_model, load_config, shapes_coco_dataset,
                        tiny_training_batch, with_masks_file)
from ..paths import CONFIG_DIR
from ..test_models.head_training import assert_masks_change_no_loss


def test_cascade_mask_rcnn_trains_a_step_from_boxes(tmp_path, shapes_root):
    path = tmp_path / 'cascade_boxes.py'
    mixin = osp.join(CONFIG_DIR, '_base_', 'box_supervision_rcnn.py')
    path.write_text(
        "_base_ = ['mmdet::cascade_rcnn/cascade-mask-rcnn_r50_fpn_1x_coco.py',"
        f' {mixin!r}]\n')
    cfg = load_config(str(path))
    data = tiny_training_batch(cfg, shapes_root)
    assert all('masks' not in sample.gt_instances
               for sample in data['data_samples'])
    torch.manual_seed(0)
    model = build_model(cfg)
    model.train()
    stages = model.roi_head.mask_head
    assert [type(head).__name__
            for head in stages] == ['BoxSupervisedFCNMaskHead'] * 3
    losses = model(**model.data_preprocessor(data, training=True), mode='loss')
    assert {
        f's{stage}.{name}'
        for stage in range(3)
        for name in ('loss_proj', 'loss_pair')
    } <= set(losses)
    total, _ = model.parse_losses(losses)
    assert math.isfinite(total.item())
    total.backward()
    assert all(head.conv_logits.weight.grad is not None for head in stages)


def test_mask_rcnn_ground_truth_masks_change_no_loss(shapes_root):
    cfg = load_config(osp.join(CONFIG_DIR, 'mfvis_mask_rcnn_coco_box.py'))
    pipeline = copy.deepcopy(cfg.train_dataloader.dataset.pipeline)
    for transform in pipeline:
        if transform.type == 'LoadAnnotations':
            transform.with_mask = True
    data = batch(
        shapes_coco_dataset(pipeline, shapes_root,
                            with_masks_file(shapes_root)), [0, 1])
    torch.manual_seed(0)
    model = build_model(cfg)
    model.train()
    assert assert_masks_change_no_loss(model, data)['loss_proj'] > 0
