"""What a video prediction becomes: an overlay video and a json file."""
from typing import Iterable, Optional, Sequence

import cv2
import numpy as np
import torch
from mmengine.structures import InstanceData
from mmengine.utils import ProgressBar
from pycocotools import mask as mask_utils

from ..visualization import VISLocalVisualizer
from .track_linking import VideoTrack
from .video_inference import VideoPrediction
from .video_io import open_video_writer

__all__ = [
    'draw_beside_ground_truth', 'frame_instances', 'ground_truth_instances',
    'prediction_to_json', 'write_overlay_video'
]


def _kept_tracks(tracks: Sequence[VideoTrack], score_thr: float) -> list:
    return [track for track in tracks if track.score >= score_thr]


def frame_instances(tracks: Sequence[VideoTrack], frame_index: int,
                    frame_shape) -> InstanceData:
    """The tracks present on one frame, as the visualiser draws them:
    ``masks`` (N, H, W) bool, ``bboxes`` (N, 4), ``labels``, ``scores``,
    ``instances_id`` (the track ids)."""
    present = [t for t in tracks if frame_index in t.segmentations]
    masks = np.zeros((len(present), *frame_shape), bool)
    for index, track in enumerate(present):
        masks[index] = mask_utils.decode(track.segmentations[frame_index])
    return InstanceData(
        masks=torch.from_numpy(masks),
        bboxes=torch.tensor([t.boxes[frame_index] for t in present],
                            dtype=torch.float32).reshape(-1, 4),
        labels=torch.tensor([t.label for t in present], dtype=torch.long),
        scores=torch.tensor([t.score for t in present]),
        instances_id=torch.tensor([t.track_id for t in present],
                                  dtype=torch.long))


def ground_truth_instances(frame_info: dict,
                           shape: Optional[tuple] = None) -> InstanceData:
    """A frame's annotated instances (mmdet video dataset ``images`` entry,
    with masks), as the visualiser draws them, with masks (N, H, W) at
    ``shape`` (default: the frame's own size; nearest-neighbour resized)."""
    instances = frame_info['instances']
    shape = shape or (frame_info['height'], frame_info['width'])
    masks = np.zeros((len(instances), *shape), bool)
    for index, instance in enumerate(instances):
        mask = mask_utils.decode(instance['mask'])
        masks[index] = cv2.resize(
            mask, shape[::-1], interpolation=cv2.INTER_NEAREST) > 0
    return InstanceData(
        masks=torch.from_numpy(masks),
        labels=torch.tensor([i['bbox_label'] for i in instances],
                            dtype=torch.long),
        instances_id=torch.tensor([i['instance_id'] for i in instances],
                                  dtype=torch.long))


def draw_beside_ground_truth(frames: Sequence[np.ndarray],
                             frame_infos: Sequence[dict],
                             prediction: VideoPrediction,
                             visualizer: VISLocalVisualizer,
                             score_thr: float = 0.5) -> np.ndarray:
    """One row per frame: the ground truth, then the prediction.

    Args:
        frames: the (H, W, 3) uint8 BGR frames to draw, at the size the
            prediction was made at (the ground truth is resized to it).
        frame_infos: their dataset entries, with masks.
        prediction: the video's prediction; ``frame_id`` of each entry
            indexes it.
        visualizer: names the classes through its ``dataset_meta``.
        score_thr: least score of a drawn track.

    Returns:
        np.ndarray: (rows * H, 2 * W, 3) uint8 RGB picture.
    """
    tracks = _kept_tracks(prediction.tracks, score_thr)
    rows = []
    for frame, info in zip(frames, frame_infos):
        rgb = np.ascontiguousarray(frame[..., ::-1])
        truth = visualizer.draw_instances(
            rgb, ground_truth_instances(info, rgb.shape[:2]))
        predicted = visualizer.draw_instances(
            rgb,
            frame_instances(tracks, info['frame_id'], prediction.frame_shape))
        rows.append(np.concatenate([truth, predicted], axis=1))
    return np.concatenate(rows, axis=0)


def write_overlay_video(frames: Iterable[np.ndarray],
                        prediction: VideoPrediction,
                        visualizer: VISLocalVisualizer,
                        out_file: str,
                        fps: float,
                        score_thr: float = 0.3,
                        progress: Optional[ProgressBar] = None) -> int:
    """Draw the tracks scoring at least ``score_thr`` over the frames.

    Args:
        frames: the video's (H, W, 3) uint8 BGR frames, read again.
        prediction: from :func:`~mmfvis.apis.inference_vis_video`.
        visualizer: draws masks, boxes, class names, track ids and scores,
            one colour per track; its ``dataset_meta`` names the classes.
        out_file: .mp4, .m4v or .avi path.
        fps: frame rate of the written video.
        progress: advanced by one per frame written.

    Returns:
        int: frames written.
    """
    tracks = _kept_tracks(prediction.tracks, score_thr)
    height, width = prediction.frame_shape
    writer = open_video_writer(out_file, fps, width, height)
    written = 0
    try:
        for frame_index, frame in enumerate(frames):
            drawn = visualizer.draw_instances(
                np.ascontiguousarray(frame[..., ::-1]),
                frame_instances(tracks, frame_index, (height, width)))
            writer.write(np.ascontiguousarray(drawn[..., ::-1]))
            written += 1
            if progress is not None:
                progress.update()
    finally:
        writer.release()
    return written


def prediction_to_json(prediction: VideoPrediction,
                       classes: Sequence[str],
                       score_thr: float = 0.3,
                       source: Optional[str] = None) -> dict:
    """The tracks scoring at least ``score_thr``, json-ready.

    Returns:
        dict: ``video`` (``source``, ``num_frames``, ``height``,
        ``width``), ``classes``, ``score_thr`` and ``tracks``, best score
        first, each with ``track_id``, ``label`` (class index),
        ``class_name``, ``score`` and per-frame lists (one entry per video
        frame, null where the track is absent) ``segmentations``
        (compressed RLE, YouTube-VIS style) and ``bboxes`` (x1, y1, x2, y2
        pixels).
    """
    height, width = prediction.frame_shape
    frames = range(prediction.num_frames)
    tracks = sorted(
        _kept_tracks(prediction.tracks, score_thr),
        key=lambda track: -track.score)
    return dict(
        video=dict(
            source=source,
            num_frames=prediction.num_frames,
            height=height,
            width=width),
        classes=list(classes),
        score_thr=score_thr,
        tracks=[
            dict(
                track_id=track.track_id,
                label=track.label,
                class_name=classes[track.label],
                score=track.score,
                segmentations=[track.segmentations.get(i) for i in frames],
                bboxes=[track.boxes.get(i) for i in frames])
            for track in tracks
        ])
