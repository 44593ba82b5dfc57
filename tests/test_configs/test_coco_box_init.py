"""Video models start from the box-supervised COCO (image) checkpoint."""
import os.path as osp

import pytest
import torch
from mmdet.registry import MODELS
from mmengine.config import Config
from mmengine.registry import RUNNERS
from mmengine.runner import load_checkpoint

from mmfvis.compat import load_local_checkpoint
from ..builders import SHAPES_SPLITS, load_config
from ..paths import CONFIG_DIR, TINY_CONFIG

TINY_IMAGE_CONFIG = osp.join(CONFIG_DIR, 'mfvis_coco_box_pretrain_tiny_cpu.py')
PRETRAIN_CONFIG = osp.join(CONFIG_DIR, 'mfvis_coco_box_pretrain.py')
COCO_BOX_INIT_CONFIG = osp.join(CONFIG_DIR, 'mfvis_ytvis_coco_box_init.py')


def _video_key_in_image_checkpoint(key):
    """Where a Mask2FormerVideo weight lies in a Mask2Former checkpoint."""
    if key.startswith('track_head.'):
        return 'panoptic_head.' + key[len('track_head.'):]
    return key


def _pretrain_one_iteration(shapes_root, work_dir):
    """Train the tiny image config one iteration with mmengine's Runner on
    the box-only shapes frames; return its checkpoint."""
    cfg = Config.fromfile(TINY_IMAGE_CONFIG)
    cfg.work_dir = work_dir
    cfg.train_dataloader.dataset.data_root = shapes_root
    cfg.train_dataloader.dataset.generate = SHAPES_SPLITS['train']
    cfg.train_cfg.max_iters = 1
    cfg.default_hooks.checkpoint.interval = 1
    for key in ('val', 'test'):
        cfg[f'{key}_dataloader'] = cfg[f'{key}_cfg'] = None
        cfg[f'{key}_evaluator'] = None
    RUNNERS.build(cfg).train()
    return osp.join(work_dir, 'iter_1.pth')


@pytest.mark.slow
def test_tiny_video_model_loads_every_weight_of_the_image_one(
        shapes_root, tmp_path):
    checkpoint = _pretrain_one_iteration(shapes_root, str(tmp_path / 'image'))
    image_weights = load_local_checkpoint(checkpoint, 'cpu')['state_dict']
    cfg = Config.fromfile(TINY_CONFIG)
    cfg.work_dir = str(tmp_path / 'video')
    cfg.load_from = checkpoint
    runner = RUNNERS.build(cfg)
    runner.load_or_resume()
    video_weights = runner.model.state_dict()
    mapped = {_video_key_in_image_checkpoint(key) for key in video_weights}
    assert mapped == set(image_weights)
    for key, value in video_weights.items():
        assert torch.equal(
            value, image_weights[_video_key_in_image_checkpoint(key)]), key


def test_coco_box_init_config_loads_the_pretrain_checkpoint(tmp_path):
    pretrain_cfg = load_config(PRETRAIN_CONFIG)
    video_cfg = load_config(COCO_BOX_INIT_CONFIG)
    assert video_cfg.load_from == (
        'work_dirs/mfvis_coco_box_pretrain/'
        f'iter_{pretrain_cfg.train_cfg.max_iters}.pth')
    torch.manual_seed(0)
    image_model = MODELS.build(pretrain_cfg.model)
    checkpoint = str(tmp_path / 'coco_box.pth')
    torch.save(dict(state_dict=image_model.state_dict()), checkpoint)
    video_model = MODELS.build(video_cfg.model)
    class_head_before = video_model.track_head.cls_embed.weight.clone()
    load_checkpoint(video_model, checkpoint, map_location='cpu')
    image_weights = image_model.state_dict()
    not_loaded = []
    for key, value in video_model.state_dict().items():
        image_value = image_weights[_video_key_in_image_checkpoint(key)]
        if image_value.shape != value.shape:
            not_loaded.append(key)
        else:
            assert torch.equal(value, image_value), key
    # 80 COCO classes against 40 YouTube-VIS ones: only the class head is
    # left at its initialisation
    assert sorted(not_loaded) == [
        'track_head.cls_embed.bias', 'track_head.cls_embed.weight'
    ]
    assert torch.equal(video_model.track_head.cls_embed.weight,
                       class_head_before)
