"""Every config loads, builds its model and trains one step on a CPU."""
import glob
import math
import os.path as osp

import pytest
import torch

from ..builders import (build_model, is_image_config, load_config,
                        tiny_training_batch)
from ..paths import CONFIG_DIR

CONFIGS = sorted(glob.glob(osp.join(CONFIG_DIR, '*.py')))
# Swin-L's step takes about a minute on 2 cores
SLOW_CONFIGS = {'mfvis_swin-l_ytvis21.py'}


def config_params():
    """CONFIGS as parameters, the slow ones marked."""
    return [
        pytest.param(
            path,
            marks=[pytest.mark.slow]
            if osp.basename(path) in SLOW_CONFIGS else []) for path in CONFIGS
    ]


def test_there_are_configs():
    names = {osp.basename(path) for path in CONFIGS}
    assert {
        'mfvis_ytvis.py', 'mfvis_ytvis21.py', 'mfvis_ovis.py',
        'mfvis_r101_ytvis.py', 'mfvis_swin-l_ytvis21.py', 'mfvis_tiny_cpu.py',
        'mfvis_coco_box_pretrain.py', 'mfvis_coco_box_pretrain_tiny_cpu.py',
        'mfvis_ytvis_coco_box_init.py', 'mfvis_ytvis_coco_joint.py',
        'mfvis_mask_rcnn_coco_box.py', 'mfvis_masktrack_rcnn_ytvis.py',
        'mfvis_masktrack_rcnn_shapes_cpu.py'
    } <= names


def _mask_heads(roi_head):
    heads = roi_head.mask_head
    return heads if isinstance(heads, list) else [heads]


def _expected_model(cfg):
    """Check the box-supervised parts of the model config; return the
    names of two losses the step must give."""
    model = cfg.model
    if 'roi_head' in model.get('detector', model):
        roi_head = model.get('detector', model).roi_head
        assert {head.type
                for head in _mask_heads(roi_head)
                } == {'BoxSupervisedFCNMaskHead'}
        if 'detector' in model:
            assert model.type == 'BoxSupervisedMaskTrackRCNN'
            assert model.data_preprocessor.type == 'BoxVISDataPreprocessor'
            return 'loss_pair', 'loss_temp'
        assert model.data_preprocessor.type == 'BoxDetDataPreprocessor'
        return 'loss_proj', 'loss_pair'
    num_layers = None
    if is_image_config(cfg):
        head = model.panoptic_head
        assert head.type == 'BoxSupervisedMask2FormerHead'
        assert model.data_preprocessor.type == 'BoxDetDataPreprocessor'
        last_loss = 'loss_pair'
    else:
        head = model.track_head
        assert head.type == 'BoxSupervisedMask2FormerTrackHead'
        assert model.data_preprocessor.type == 'BoxVISDataPreprocessor'
        last_loss = 'loss_temp'
    num_layers = head.transformer_decoder.num_layers
    return last_loss, f'd{num_layers - 1}.{last_loss}'


@pytest.mark.parametrize('path', config_params(), ids=osp.basename)
def test_config_trains_one_step_on_a_tiny_input(path, shapes_root):
    cfg = load_config(path)
    expected_losses = _expected_model(cfg)
    data = tiny_training_batch(cfg, shapes_root)
    torch.manual_seed(0)
    model = build_model(cfg)
    model.train()
    optimizer = torch.optim.SGD(model.parameters(), lr=1e-6)
    processed = model.data_preprocessor(data, training=True)
    losses = model(**processed, mode='loss')
    # mmengine's sum of the terms (R-CNNs give lists per FPN level)
    total, _ = model.parse_losses(losses)
    assert math.isfinite(total.item())
    total.backward()
    optimizer.step()
    assert set(expected_losses) <= set(losses)
