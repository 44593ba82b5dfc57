"""Models and batches built the way the runner builds them, for tests."""
import copy
import json
import os.path as osp

from mmdet.registry import DATASETS, MODELS
from mmdet.utils import register_all_modules
from mmengine.config import Config
from mmengine.dataset import pseudo_collate

from mmfvis.datasets import SHAPE_CLASSES
from mmfvis.engine import apply_box_supervision

register_all_modules()

# The shapes splits of the session's ``shapes_root`` fixture: every dataset
# built on that folder names them, or it would be generated again.
SHAPES_SPLITS = dict(
    train=dict(split='train', num_videos=4, num_frames=6, seed=0),
    val=dict(split='val', num_videos=2, num_frames=6, seed=1))


def shapes_split_options(loader, split):
    """--cfg-options giving a dataloader the ``shapes_root`` settings."""
    return [
        f'{loader}_dataloader.dataset.generate.{key}={value}'
        for key, value in SHAPES_SPLITS[split].items()
    ]


def load_config(path):
    """The config as the runner sees it, without pretrained weights (also
    those of MaskTrack R-CNN's detector)."""
    cfg = apply_box_supervision(Config.fromfile(path))
    cfg.model.init_cfg = None
    detector = cfg.model.get('detector', cfg.model)
    detector.init_cfg = None
    detector.backbone.init_cfg = None
    return cfg


def build_model(cfg):
    model = MODELS.build(cfg.model)
    model.init_weights()
    return model


def _set_resize_scale(pipeline, scale):
    """Resize (and LSJ's RandomResize and RandomCrop) to ``scale`` (w, h)."""
    for transform in pipeline:
        if transform.get('type') in ('Resize', 'RandomResize'):
            transform['scale'] = scale
        if transform.get('type') == 'RandomCrop':
            transform['crop_size'] = scale[::-1]
        _set_resize_scale(transform.get('transforms', []), scale)


def _shapes_classes(cfg):
    """The shapes classes a video config's head can label: the first
    ones for a head of fewer classes (boxes of the others are skipped).
    Mask2Former-VIS heads hold the class count; in MaskTrack R-CNN, its
    detector's box head."""
    model = cfg.model
    head = model.track_head if 'num_classes' in model.track_head else \
        model.detector.roi_head.bbox_head
    return SHAPE_CLASSES[:head.num_classes]


def shapes_dataset(cfg, shapes_root, ann_file, scale=(128, 96)):
    """The config's training pipeline over the generated shapes videos,
    resized to ``scale`` (w, h)."""
    pipeline = copy.deepcopy(cfg.train_dataloader.dataset.pipeline)
    _set_resize_scale(pipeline, scale)
    return DATASETS.build(
        dict(
            type='ShapesVISDataset',
            metainfo=dict(classes=_shapes_classes(cfg)),
            data_root=shapes_root,
            ann_file=ann_file,
            data_prefix=dict(img_path='train/JPEGImages'),
            generate=SHAPES_SPLITS['train'],
            pipeline=pipeline))


def shapes_coco_dataset(pipeline, shapes_root, ann_file, scale=(128, 96)):
    """An image pipeline over the generated shapes frames read as COCO
    images, resized to ``scale`` (w, h)."""
    pipeline = copy.deepcopy(pipeline)
    _set_resize_scale(pipeline, scale)
    return DATASETS.build(
        dict(
            type='ShapesCocoDataset',
            data_root=shapes_root,
            ann_file=ann_file,
            data_prefix=dict(img='train/JPEGImages/'),
            generate=SHAPES_SPLITS['train'],
            pipeline=pipeline))


def is_image_config(cfg):
    """An image model (Mask2Former's ``panoptic_head``, an R-CNN's
    ``roi_head``), not a video one (Mask2Former-VIS, MaskTrack R-CNN)."""
    return 'panoptic_head' in cfg.model or 'roi_head' in cfg.model


def _loads_images(pipeline):
    return any(t.get('type') == 'LoadAnnotations' for t in pipeline)


def tiny_training_batch(cfg, shapes_root, scale=(64, 48)):
    """Two training samples of the config's pipelines on shapes data of
    ``scale`` (w, h): images for an image config; clips for a video config,
    one per dataset of a ConcatDataset (video clips, or COCO-style image
    pseudo-clips). An image config's fixed-size batch padding shrinks to
    64 x 64."""
    dataset_cfg = cfg.train_dataloader.dataset
    if is_image_config(cfg):
        for augment in cfg.model.data_preprocessor.get('batch_augments') or []:
            augment['size'] = (64, 64)
        images = shapes_coco_dataset(dataset_cfg.pipeline, shapes_root,
                                     boxes_only_file(shapes_root), scale)
        return batch(images, [0, 1])
    if 'datasets' not in dataset_cfg:
        return batch(
            shapes_dataset(cfg, shapes_root, boxes_only_file(shapes_root),
                           scale), [0, 1])
    samples = []
    for part in dataset_cfg.datasets:
        if _loads_images(part.pipeline):
            dataset = shapes_coco_dataset(part.pipeline, shapes_root,
                                          boxes_only_file(shapes_root), scale)
        else:
            part_cfg = copy.deepcopy(cfg)
            part_cfg.train_dataloader.dataset = part
            dataset = shapes_dataset(part_cfg, shapes_root,
                                     boxes_only_file(shapes_root), scale)
        samples.append(dataset[0])
    return pseudo_collate(samples)


def batch(dataset, indices):
    return pseudo_collate([dataset[i] for i in indices])


def boxes_only_file(shapes_root):
    return osp.join(shapes_root, 'annotations', 'train_mmdet_boxes.json')


def with_masks_file(shapes_root):
    return osp.join(shapes_root, 'annotations', 'train_mmdet.json')


def coco_file_from_shapes(shapes_root, out_path, with_masks=False):
    """The generated training frames as a plain COCO instances file (no
    video keys), boxes only unless ``with_masks``; images lie under
    ``<shapes_root>/train/JPEGImages/``."""
    source = with_masks_file(shapes_root) if with_masks else boxes_only_file(
        shapes_root)
    with open(source) as f:
        video_format = json.load(f)
    image_keys = ('id', 'file_name', 'height', 'width')
    annotation_keys = ('id', 'image_id', 'category_id', 'bbox', 'area',
                       'iscrowd', 'segmentation')
    coco = dict(
        images=[{
            key: image[key]
            for key in image_keys
        } for image in video_format['images']],
        annotations=[{
            key: annotation[key]
            for key in annotation_keys if key in annotation
        } for annotation in video_format['annotations']],
        categories=video_format['categories'])
    with open(out_path, 'w') as f:
        json.dump(coco, f)
    return out_path
