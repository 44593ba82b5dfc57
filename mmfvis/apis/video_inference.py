"""Video instance segmentation of a whole video with a Mask2Former-VIS.

mmdet's ``Mask2FormerVideo`` predicts all the frames it is given at once:
its queries follow each object through them. A long video does not fit in
memory that way, so it is cut into windows of ``window`` frames, each
sharing ``overlap`` frames with the previous one, and
:class:`~mmfvis.apis.track_linking.WindowTrackLinker` carries the track
identities from window to window through the shared frames. A MaskTrack
R-CNN, which tracks frame by frame, goes through the same windows: its
tracker starts again on each, and the shared frames link its tracks.
"""
import copy
from dataclasses import dataclass
from typing import Iterable, List, Optional, Tuple, Union

import numpy as np
import torch
from mmcv.transforms import Compose
from mmdet.apis import init_track_model
from mmdet.registry import DATASETS
from mmengine.config import Config
from mmengine.dataset import pseudo_collate
from mmengine.registry import DefaultScope
from mmengine.utils import ProgressBar
from torch import nn

from .track_linking import VideoTrack, WindowTrack, WindowTrackLinker

__all__ = [
    'VideoPrediction', 'build_frames_pipeline', 'inference_vis_video',
    'init_vis_model', 'predict_window', 'window_tracks'
]

# Transforms that read annotations: there are none for a user's video.
_ANNOTATION_LOADERS = ('LoadTrackAnnotations', 'LoadAnnotations')


@dataclass
class VideoPrediction:
    """The tracks predicted on one video.

    Attributes:
        tracks (list[VideoTrack]): every track, masks at frame resolution.
        num_frames (int): frames read.
        frame_shape (tuple): (H, W) of the frames.
    """
    tracks: List[VideoTrack]
    num_frames: int
    frame_shape: Tuple[int, int]


def init_vis_model(config: Union[str, Config],
                   checkpoint: Optional[str] = None,
                   device: str = 'cpu',
                   cfg_options: Optional[dict] = None) -> nn.Module:
    """A VIS model in eval mode, with its classes in ``dataset_meta``.

    The classes come from the checkpoint (mmengine saves the training
    set's), else from the config's test dataset.
    """
    if isinstance(config, str):
        config = Config.fromfile(config)
    model = init_track_model(
        config, checkpoint, device=device, cfg_options=cfg_options)
    if not (model.dataset_meta or {}).get('classes'):
        model.dataset_meta = dict(classes=_config_classes(model.cfg))
    return model


def _config_classes(cfg: Config) -> Tuple[str, ...]:
    dataset = cfg.test_dataloader.dataset
    classes = (dataset.get('metainfo') or {}).get('classes')
    if classes is None:
        with DefaultScope.overwrite_default_scope(
                cfg.get('default_scope', 'mmdet')):
            classes = DATASETS.get(dataset.type).METAINFO.get('classes')
    if not classes:
        raise ValueError('neither the checkpoint nor the config '
                         '(test_dataloader.dataset) names the classes')
    return tuple(classes)


def _frames_transforms(transforms: List[dict]) -> List[dict]:
    """The transforms with decoded frames in place of image files, and
    without annotation loading; wrapped transform lists too."""
    adapted = []
    for transform in transforms:
        kind = transform['type'].split('.')[-1]
        if kind in _ANNOTATION_LOADERS:
            continue
        transform = copy.deepcopy(transform)
        if kind == 'LoadImageFromFile':
            transform['type'] = 'mmdet.LoadImageFromNDArray'
        if 'transforms' in transform:
            transform['transforms'] = _frames_transforms(
                transform['transforms'])
        adapted.append(transform)
    return adapted


def build_frames_pipeline(cfg: Config) -> Compose:
    """The config's test pipeline, fed with decoded frames.

    It takes a dict of per-frame lists (``img`` BGR uint8 frames,
    ``img_id``, ``frame_id``, ``video_id``, ``video_length``,
    ``ori_video_length``) as the dataset would give, and packs the inputs
    and the ``TrackDataSample`` of the model.
    """
    transforms = _frames_transforms(cfg.test_dataloader.dataset.pipeline)
    with DefaultScope.overwrite_default_scope(
            cfg.get('default_scope', 'mmdet')):
        return Compose(transforms)


def predict_window(
        model: nn.Module,
        pipeline: Compose,
        frames: List[np.ndarray],
        mask_shape: Optional[Tuple[int, int]] = None) -> List[WindowTrack]:
    """The tracks the model predicts on a window of frames.

    Args:
        model: a Mask2Former-VIS (mmdet's ``Mask2FormerVideo``), which
            segments the window's frames at once, or a MaskTrack R-CNN,
            which tracks frame by frame from the window's first.
        pipeline: from :func:`build_frames_pipeline`.
        frames: T (H, W, 3) uint8 BGR frames.
        mask_shape: (h, w) at which the model returns masks; default the
            frames' size. The model upsamples the mask logits of every
            query and frame at once, so a smaller size bounds its memory.

    Returns:
        list[WindowTrack]: the model's tracks, masks (T, h, w).
    """
    num_frames = len(frames)
    data = pipeline(
        dict(
            img=list(frames),
            img_id=list(range(num_frames)),
            frame_id=list(range(num_frames)),
            video_id=[0] * num_frames,
            video_length=[num_frames] * num_frames,
            ori_video_length=[num_frames] * num_frames))
    if mask_shape is not None:
        for sample in data['data_samples'].video_data_samples:
            _predict_at(sample, mask_shape)
    with torch.no_grad():
        result = model.test_step(pseudo_collate([data]))[0]
    predictions = [
        sample.pred_track_instances for sample in result.video_data_samples
    ]
    return window_tracks(predictions, tuple(mask_shape or frames[0].shape[:2]))


def _predict_at(sample, mask_shape: Tuple[int, int]) -> None:
    """Make a frame's predictions come at ``mask_shape``: the original
    shape, and the scale from it to the network's input (R-CNNs paste
    their masks at their boxes scaled by it)."""
    height, width = sample.img_shape[:2]
    sample.set_metainfo(
        dict(
            ori_shape=tuple(mask_shape),
            scale_factor=(width / mask_shape[1], height / mask_shape[0])))


def window_tracks(predictions: List,
                  mask_shape: Tuple[int, int]) -> List[WindowTrack]:
    """Gather the frames' predicted instances into tracks, by track id.

    Args:
        predictions: per frame, ``pred_track_instances`` with ``masks``
            (N_t, h, w), ``labels``, ``scores`` and ``instances_id``
            (Mask2Former-VIS lists the same tracks on every frame;
            MaskTrack R-CNN those it found on the frame).
        mask_shape: (h, w) of the masks.

    Returns:
        list[WindowTrack]: one per id, in order of first appearance: its
        most frequent label, its mean score over the frames it is on, and
        masks (T, h, w), empty on the other frames.
    """
    gathered = {}
    for frame_index, frame in enumerate(predictions):
        masks = frame.masks.cpu().numpy().astype(bool)
        for track_id, label, score, mask in zip(frame.instances_id.tolist(),
                                                frame.labels.tolist(),
                                                frame.scores.tolist(), masks):
            track = gathered.setdefault(
                track_id,
                dict(
                    labels=[],
                    scores=[],
                    masks=np.zeros((len(predictions), *mask_shape), bool)))
            track['labels'].append(int(label))
            track['scores'].append(float(score))
            track['masks'][frame_index] = mask
    return [
        WindowTrack(
            label=int(np.bincount(track['labels']).argmax()),
            score=float(np.mean(track['scores'])),
            masks=track['masks']) for track in gathered.values()
    ]


def _mask_shape(frame_shape: Tuple[int, int],
                max_mask_side: Optional[int]) -> Tuple[int, int]:
    height, width = frame_shape
    if not max_mask_side or max(height, width) <= max_mask_side:
        return height, width
    scale = max_mask_side / max(height, width)
    return max(1, round(height * scale)), max(1, round(width * scale))


def inference_vis_video(
        model: nn.Module,
        frames: Iterable[np.ndarray],
        window: Optional[int] = 30,
        overlap: int = 5,
        max_mask_side: Optional[int] = 1280,
        min_link_iou: float = 0.5,
        progress: Optional[ProgressBar] = None) -> VideoPrediction:
    """Segment and track the instances of a whole video.

    Args:
        model: from :func:`init_vis_model`.
        frames: (H, W, 3) uint8 BGR frames in order (e.g.
            :class:`~mmfvis.apis.video_io.VideoFrames`).
        window (int, optional): frames the model sees at once; None: the
            whole video (memory grows with its length).
        overlap (int): frames a window shares with the previous one, for
            linking tracks; less than ``window``.
        max_mask_side (int, optional): the model returns masks at most this
            many pixels on their long side, resized to the frames after;
            None: at frame resolution.
        min_link_iou (float): least IoU on the shared frames that links
            tracks of consecutive windows.
        progress: advanced by one per frame predicted.

    Returns:
        VideoPrediction: every track (whatever its score), masks and boxes
        at frame resolution.
    """
    if window is not None and not 0 <= overlap < window:
        raise ValueError(f'overlap must be in [0, window={window}), got '
                         f'{overlap}')
    pipeline = build_frames_pipeline(model.cfg)
    linker, buffer, first_frame, num_frames = None, [], 0, 0
    predicted_until = 0  # frames before this index have been predicted
    for frame in frames:
        if linker is None:
            linker = WindowTrackLinker(frame.shape[:2], min_link_iou)
            mask_shape = _mask_shape(frame.shape[:2], max_mask_side)
        buffer.append(frame)
        num_frames += 1
        if window is not None and len(buffer) == window:
            predicted_until = _predict_into(linker, model, pipeline, buffer,
                                            first_frame, predicted_until,
                                            mask_shape, progress)
            first_frame += window - overlap
            buffer = buffer[window - overlap:]
    if linker is None:
        raise ValueError('the video has no frame')
    if num_frames > predicted_until:
        _predict_into(linker, model, pipeline, buffer, first_frame,
                      predicted_until, mask_shape, progress)
    return VideoPrediction(linker.tracks, num_frames, linker.frame_shape)


def _predict_into(linker: WindowTrackLinker, model: nn.Module,
                  pipeline: Compose, frames: List[np.ndarray],
                  first_frame: int, predicted_until: int,
                  mask_shape: Tuple[int, int],
                  progress: Optional[ProgressBar]) -> int:
    """Predict one window, link its tracks; the new ``predicted_until``."""
    linker.add_window(first_frame,
                      predict_window(model, pipeline, frames, mask_shape))
    end = first_frame + len(frames)
    if progress is not None:
        for _ in range(end - predicted_until):
            progress.update()
    return end
