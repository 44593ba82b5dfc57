"""Models and batches built the way the runner builds them, for tests."""
import copy
import os.path as osp

from mmdet.registry import DATASETS, MODELS
from mmdet.utils import register_all_modules
from mmengine.config import Config
from mmengine.dataset import pseudo_collate

from mmfvis.engine import apply_box_supervision

register_all_modules()


def load_config(path):
    """The config as the runner sees it, without pretrained weights."""
    cfg = apply_box_supervision(Config.fromfile(path))
    cfg.model.init_cfg = None
    cfg.model.backbone.init_cfg = None
    return cfg


def build_model(cfg):
    model = MODELS.build(cfg.model)
    model.init_weights()
    return model


def _set_resize_scale(pipeline, scale):
    for transform in pipeline:
        if transform.get('type') == 'Resize':
            transform['scale'] = scale
        _set_resize_scale(transform.get('transforms', []), scale)


def shapes_dataset(cfg, shapes_root, ann_file, scale=(128, 96)):
    """The config's training pipeline over the generated shapes videos,
    resized to ``scale`` (w, h)."""
    pipeline = copy.deepcopy(cfg.train_dataloader.dataset.pipeline)
    _set_resize_scale(pipeline, scale)
    return DATASETS.build(
        dict(
            type='ShapesVISDataset',
            data_root=shapes_root,
            ann_file=ann_file,
            data_prefix=dict(img_path='train/JPEGImages'),
            pipeline=pipeline))


def batch(dataset, indices):
    return pseudo_collate([dataset[i] for i in indices])


def boxes_only_file(shapes_root):
    return osp.join(shapes_root, 'annotations', 'train_mmdet_boxes.json')


def with_masks_file(shapes_root):
    return osp.join(shapes_root, 'annotations', 'train_mmdet.json')
