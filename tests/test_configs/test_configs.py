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


def test_there_are_configs():
    names = {osp.basename(path) for path in CONFIGS}
    assert {
        'mfvis_ytvis.py', 'mfvis_ytvis21.py', 'mfvis_ovis.py',
        'mfvis_r101_ytvis.py', 'mfvis_swin-l_ytvis21.py', 'mfvis_tiny_cpu.py',
        'mfvis_coco_box_pretrain.py', 'mfvis_coco_box_pretrain_tiny_cpu.py',
        'mfvis_ytvis_coco_box_init.py', 'mfvis_ytvis_coco_joint.py'
    } <= names


@pytest.mark.parametrize('path', CONFIGS, ids=osp.basename)
def test_config_trains_one_step_on_a_tiny_input(path, shapes_root):
    cfg = load_config(path)
    if is_image_config(cfg):
        head = cfg.model.panoptic_head
        assert head.type == 'BoxSupervisedMask2FormerHead'
        assert cfg.model.data_preprocessor.type == 'BoxDetDataPreprocessor'
        last_loss = 'loss_pair'
    else:
        head = cfg.model.track_head
        assert head.type == 'BoxSupervisedMask2FormerTrackHead'
        assert cfg.model.data_preprocessor.type == 'BoxVISDataPreprocessor'
        last_loss = 'loss_temp'
    data = tiny_training_batch(cfg, shapes_root)
    torch.manual_seed(0)
    model = build_model(cfg)
    model.train()
    optimizer = torch.optim.SGD(model.parameters(), lr=1e-6)
    processed = model.data_preprocessor(data, training=True)
    losses = model(**processed, mode='loss')
    total = sum(losses.values())
    assert math.isfinite(total.item())
    total.backward()
    optimizer.step()
    num_layers = head.transformer_decoder.num_layers
    assert f'd{num_layers - 1}.{last_loss}' in losses
