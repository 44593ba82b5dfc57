"""The box losses in the image Mask2Former head: rung R2 of the ladder
(``tools/analysis/mask_term_ladder.py``).

The ladder's images of one object each are written as a COCO dataset
(training file without masks), the head of
``configs/benchmarks/mfvis_ladder_image_cpu.py`` is trained on them with a
row's loss, and the held-out images are scored two ways: region similarity
J of the prediction assigned to the object (the highest-IoU one of the
model's outputs, one object an image), and mask AP (COCO).
"""
import json
import os
import os.path as osp
from typing import Dict, Optional

import cv2
import numpy as np
from pycocotools import mask as mask_utils

from mmfvis.datasets.synthetic.single_object_images import ObjectImages
from mmfvis.fileio import write_file_atomically
from ..paths import REPO

__all__ = [
    'IMAGE_HEAD_ROWS', 'base_config', 'row_options', 'write_coco_split',
    'run_image_head'
]

CONFIG = osp.join(REPO, 'configs', 'benchmarks', 'mfvis_ladder_image_cpu.py')
IMAGE_HEAD_ROWS = ('projection', 'projection_pairwise', 'mask')


def _annotation(index: int, mask: np.ndarray, box: np.ndarray,
                with_mask: bool) -> dict:
    x1, y1, x2, y2 = (float(v) for v in box)
    annotation = dict(
        id=index + 1,
        image_id=index + 1,
        category_id=1,
        bbox=[x1, y1, x2 - x1, y2 - y1],
        area=float(mask.sum()),
        iscrowd=0)
    if with_mask:
        rle = mask_utils.encode(np.asfortranarray(mask.astype(np.uint8)))
        annotation['segmentation'] = dict(
            size=rle['size'], counts=rle['counts'].decode())
    return annotation


def write_coco_split(images: ObjectImages, root: str, split: str) -> None:
    """Write ``root/<split>/<k>.png`` and the COCO files
    ``root/annotations/<split>.json`` (with masks) and
    ``<split>_boxes.json`` (boxes only, what training reads).

    PNG, not JPEG: the colours the losses compare stay those drawn.
    """
    os.makedirs(osp.join(root, split), exist_ok=True)
    os.makedirs(osp.join(root, 'annotations'), exist_ok=True)
    height, width = images.masks.shape[1:]
    entries = []
    for index, image in enumerate(images.images):
        name = f'{index:05d}.png'
        cv2.imwrite(osp.join(root, split, name), image[..., ::-1])
        entries.append(
            dict(id=index + 1, file_name=name, height=height, width=width))
    for with_mask, suffix in ((True, ''), (False, '_boxes')):
        content = dict(
            images=entries,
            categories=[dict(id=1, name='object')],
            annotations=[
                _annotation(index, mask, box, with_mask)
                for index, (mask,
                            box) in enumerate(zip(images.masks, images.boxes))
            ])
        write_file_atomically(
            osp.join(root, 'annotations', f'{split}{suffix}.json'),
            json.dumps(content).encode())


def base_config():
    """The R2 config as written (mmengine ``Config``)."""
    from mmengine.config import Config
    return Config.fromfile(CONFIG)


def row_options(row: str, data_root: str, iters: int, seed: int) -> dict:
    """Config overrides of one run: data, budget, seed and the row's loss
    (projection alone: the pairwise weight 0; masks: mmdet's own head)."""
    if row not in IMAGE_HEAD_ROWS:
        raise ValueError(f'unknown row {row!r}; choose among '
                         f'{IMAGE_HEAD_ROWS}')
    root = data_root.rstrip('/') + '/'
    options = {
        'train_dataloader.dataset.data_root': root,
        'val_dataloader.dataset.data_root': root,
        'test_dataloader.dataset.data_root': root,
        'test_evaluator.ann_file': root + 'annotations/test.json',
        'val_evaluator.ann_file': root + 'annotations/test.json',
        'train_cfg.max_iters': iters,
        'randomness': dict(seed=seed),
    }
    if row == 'projection':
        options['box_supervision.panoptic_head.loss_pair.loss_weight'] = 0.0
    if row == 'mask':
        options['box_supervision'] = None
        options['train_dataloader.dataset.ann_file'] = 'annotations/train.json'
        options['train_dataloader.dataset.pipeline.1.with_mask'] = True
    return options


def _assigned_prediction(predicted: np.ndarray, truth: np.ndarray):
    """(IoU, mask) of the best of (P, H, W) bool predictions against an
    (H, W) bool mask; (0, empty mask) when there is none."""
    if len(predicted) == 0:
        return 0.0, np.zeros_like(truth)
    overlap = (predicted & truth).sum((1, 2))
    union = (predicted | truth).sum((1, 2))
    ious = overlap / np.maximum(union, 1)
    return float(ious.max()), predicted[ious.argmax()]


def _test_region_similarity(runner):
    """(N,) J of the held-out images, by image id, and their (N, H, W)
    assigned predicted masks."""
    import torch
    from pycocotools.coco import COCO
    truth = COCO(runner.test_dataloader.dataset.ann_file)
    assigned = {}
    runner.model.eval()
    with torch.no_grad():
        for batch in runner.test_dataloader:
            for sample in runner.model.test_step(batch):
                image_id = sample.metainfo['img_id']
                annotation = truth.loadAnns(truth.getAnnIds(image_id))[0]
                assigned[image_id] = _assigned_prediction(
                    sample.pred_instances.masks.cpu().numpy().astype(bool),
                    truth.annToMask(annotation).astype(bool))
    order = sorted(assigned)
    return (np.asarray([assigned[i][0] for i in order]),
            np.stack([assigned[i][1] for i in order]))


def run_image_head(row: str,
                   data_root: str,
                   iters: int,
                   seed: int,
                   out_dir: str,
                   options: Optional[dict] = None) -> Dict:
    """Train the R2 config on ``data_root`` with the row's loss, then
    score the held-out images.

    Args:
        row (str): one of ``IMAGE_HEAD_ROWS``.
        data_root (str): a folder written by :func:`write_coco_split`
            (splits ``train`` and ``test``).
        iters (int): training iterations (8 images each).
        seed (int): ``randomness.seed``.
        out_dir (str): the run's work directory.
        options (dict, optional): config overrides after the row's, e.g. a
            loss weight.

    Returns:
        dict: ``J`` (mean over held-out images), ``J_per_image``, the
        assigned predicted ``masks`` (N, H, W) bool in image order, mask AP
        ``segm_mAP`` and ``segm_mAP_50``.
    """
    from mmengine.registry import RUNNERS

    import mmfvis  # noqa: F401
    from mmfvis.utils import load_runner_config
    cfg = load_runner_config(
        CONFIG,
        dict(row_options(row, data_root, iters, seed), **(options or {})),
        out_dir)
    cfg.val_cfg = cfg.val_dataloader = cfg.val_evaluator = None
    runner = RUNNERS.build(cfg)
    runner.train()
    metrics = runner.test()
    scores, masks = _test_region_similarity(runner)
    return dict(
        J=float(scores.mean()),
        J_per_image=scores,
        masks=masks,
        segm_mAP=float(metrics['coco/segm_mAP']),
        segm_mAP_50=float(metrics['coco/segm_mAP_50']))
