"""Data samples of whole videos, as mmdet's VIS test loop hands them to a
metric: ground truth in the frames' metainfo, predictions per frame."""
from typing import List, Sequence

import numpy as np
from mmdet.registry import METRICS
from mmdet.structures import TrackDataSample
from mmengine.evaluator import Evaluator
from pycocotools import mask as mask_utils

from mmfvis.evaluation import predicted_video_sample as video_sample
from mmfvis.evaluation import \
    video_sample_from_ground_truth as dataset_video_sample

__all__ = [
    'box_of', 'dataset_video_sample', 'evaluate', 'gt_instance', 'rle',
    'video_sample'
]


def rle(mask: np.ndarray) -> dict:
    encoded = mask_utils.encode(np.asfortranarray(mask.astype(np.uint8)))
    encoded['counts'] = encoded['counts'].decode()
    return encoded


def box_of(mask: np.ndarray) -> List[float]:
    """x1, y1, x2, y2 of a non-empty mask, pixel edges."""
    ys, xs = np.nonzero(mask)
    return [float(xs.min()), float(ys.min()), xs.max() + 1., ys.max() + 1.]


def gt_instance(mask: np.ndarray,
                label: int,
                instance_id: int,
                with_mask: bool = True) -> dict:
    """A ground-truth instance as mmdet's video dataset parses it."""
    instance = dict(
        bbox=box_of(mask),
        bbox_label=label,
        instance_id=instance_id,
        ignore_flag=0)
    if with_mask:
        instance['mask'] = rle(mask)
    return instance


def evaluate(videos: Sequence[TrackDataSample], classes: Sequence[str],
             **metric_args) -> dict:
    """What mmengine's test loop does with the metric of a config."""
    evaluator = Evaluator(
        METRICS.build(dict(type='YouTubeVISMaskMetric', **metric_args)))
    evaluator.dataset_meta = dict(classes=tuple(classes))
    for video in videos:
        evaluator.process(data_samples=[video])
    return evaluator.evaluate(len(videos))
