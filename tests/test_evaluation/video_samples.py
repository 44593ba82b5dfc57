"""Data samples of whole videos, as mmdet's VIS test loop hands them to a
metric: ground truth in the frames' metainfo, predictions per frame."""
from typing import Callable, List, Optional, Sequence

import numpy as np
import torch
from mmdet.registry import METRICS
from mmdet.structures import DetDataSample, TrackDataSample
from mmengine.evaluator import Evaluator
from mmengine.structures import InstanceData
from pycocotools import mask as mask_utils


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


def video_sample(video_id: int,
                 frame_shape: Sequence[int],
                 gt_frames: Sequence[List[dict]],
                 pred_masks: Optional[np.ndarray] = None,
                 pred_labels: Sequence[int] = (),
                 pred_scores: Sequence[float] = (),
                 first_img_id: int = 0) -> TrackDataSample:
    """One video: per frame, its ground-truth instances; predictions as
    masks (N tracks, T frames, H, W) with one label and score per track."""
    num_frames = len(gt_frames)
    if pred_masks is None:
        pred_masks = np.zeros((0, num_frames, *frame_shape), bool)
    frames = []
    for index, instances in enumerate(gt_frames):
        sample = DetDataSample(
            metainfo=dict(
                img_id=first_img_id + index,
                video_id=video_id,
                frame_id=index,
                ori_shape=tuple(frame_shape),
                ori_video_length=num_frames,
                instances=instances))
        sample.pred_track_instances = InstanceData(
            masks=torch.from_numpy(pred_masks[:, index].copy()),
            labels=torch.tensor(list(pred_labels), dtype=torch.long),
            scores=torch.tensor(list(pred_scores), dtype=torch.float32),
            instances_id=torch.arange(len(pred_masks)))
        frames.append(sample)
    track = TrackDataSample()
    track.video_data_samples = frames
    return track


def dataset_video_sample(info: dict, mask_of: Callable[[dict, tuple],
                                                       np.ndarray],
                         score: float) -> TrackDataSample:
    """A video of a loaded mmdet video dataset (``get_data_info``) with one
    predicted track per ground-truth track, of the given score and of
    masks ``mask_of(instance, (H, W))`` (bool)."""
    frames = info['images']
    shape = (frames[0]['height'], frames[0]['width'])
    track_ids = sorted(
        {i['instance_id']
         for f in frames
         for i in f['instances']})
    masks = np.zeros((len(track_ids), len(frames), *shape), bool)
    labels = [0] * len(track_ids)
    for t, frame in enumerate(frames):
        for instance in frame['instances']:
            track = track_ids.index(instance['instance_id'])
            masks[track, t] = mask_of(instance, shape)
            labels[track] = instance['bbox_label']
    return video_sample(info['video_id'], shape,
                        [f['instances'] for f in frames], masks, labels,
                        [score] * len(track_ids), frames[0]['img_id'])


def evaluate(videos: Sequence[TrackDataSample], classes: Sequence[str],
             **metric_args) -> dict:
    """What mmengine's test loop does with the metric of a config."""
    evaluator = Evaluator(
        METRICS.build(dict(type='YouTubeVISMaskMetric', **metric_args)))
    evaluator.dataset_meta = dict(classes=tuple(classes))
    for video in videos:
        evaluator.process(data_samples=[video])
    return evaluator.evaluate(len(videos))
