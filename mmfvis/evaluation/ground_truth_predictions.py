"""Predictions made from the ground truth, as a VIS metric receives them.

For baselines (the ground-truth boxes, filled, as masks) and for checking
an evaluator: the samples have the layout mmdet's VIS test loop hands a
metric, ground truth in each frame's metainfo and predictions per frame.
"""
from typing import Callable, List, Optional, Sequence, Union

import numpy as np
import torch
from mmdet.registry import METRICS
from mmdet.structures import DetDataSample, TrackDataSample
from mmengine.dataset import BaseDataset
from mmengine.evaluator import Evaluator
from mmengine.structures import InstanceData
from mmengine.utils import ProgressBar

__all__ = [
    'evaluate_filled_boxes', 'filled_box_mask', 'predicted_video_sample',
    'video_sample_from_ground_truth'
]

MaskOf = Callable[[dict, tuple], np.ndarray]


def predicted_video_sample(video_id: int,
                           frame_shape: Sequence[int],
                           gt_frames: Sequence[List[dict]],
                           pred_masks: Optional[np.ndarray] = None,
                           pred_labels: Sequence[int] = (),
                           pred_scores: Sequence[float] = (),
                           first_img_id: int = 0) -> TrackDataSample:
    """One video with its predictions.

    Args:
        video_id (int): the video's id.
        frame_shape (tuple[int, int]): (H, W) of the frames.
        gt_frames (list[list[dict]]): per frame, the ground-truth instances
            as mmdet's video dataset parses them (``bbox``, ``bbox_label``,
            ``instance_id``, optional ``mask``).
        pred_masks (np.ndarray, optional): (N tracks, T, H, W) bool.
        pred_labels, pred_scores: one class index and score per track.
        first_img_id (int): image id of the first frame.
    """
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


def video_sample_from_ground_truth(info: dict, mask_of: MaskOf,
                                   score: float) -> TrackDataSample:
    """A video of a loaded mmdet video dataset (its ``get_data_info``) with
    one predicted track per ground-truth track, of the given score and the
    class of the ground truth, its masks ``mask_of(instance, (H, W))``."""
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
    return predicted_video_sample(info['video_id'], shape,
                                  [f['instances'] for f in frames], masks,
                                  labels, [score] * len(track_ids),
                                  frames[0]['img_id'])


def filled_box_mask(instance: dict, shape: tuple) -> np.ndarray:
    """(H, W) bool: the instance's box (x1, y1, x2, y2), rounded, filled."""
    x1, y1, x2, y2 = (int(round(v)) for v in instance['bbox'])
    mask = np.zeros(shape, bool)
    mask[max(y1, 0):y2, max(x1, 0):x2] = True
    return mask


def evaluate_filled_boxes(dataset: BaseDataset,
                          metric: Union[dict, Sequence[dict]],
                          show_progress: bool = True) -> dict:
    """The metric of the ground-truth boxes, filled, as predicted masks.

    The baseline a box-supervised model has to beat: what its supervision
    says without learning anything. Every track gets score 1 and its true
    class, so the number measures the masks alone.

    Args:
        dataset (BaseDataset): an mmdet video dataset with masks.
        metric (dict | Sequence[dict]): config of the metric, e.g.
            ``dict(type='YouTubeVISMaskMetric')``, or of several.
        show_progress (bool): draw a progress bar.

    Returns:
        dict: the metrics' results.
    """
    metrics = [metric] if isinstance(metric, dict) else list(metric)
    evaluator = Evaluator([METRICS.build(cfg) for cfg in metrics])
    evaluator.dataset_meta = dataset.metainfo
    progress = ProgressBar(len(dataset)) if show_progress else None
    for index in range(len(dataset)):
        video = video_sample_from_ground_truth(
            dataset.get_data_info(index), filled_box_mask, score=1.0)
        evaluator.process(data_samples=[video])
        if progress is not None:
            progress.update()
    return evaluator.evaluate(len(dataset))
