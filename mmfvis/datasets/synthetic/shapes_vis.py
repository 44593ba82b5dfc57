"""Generated videos of textured shapes: the embedded default VIS dataset.

Each video shows a few striped shapes (triangles, stars, crosses) that move,
scale, rotate and occlude each other over a textured background. Shapes are
far from boxes (a filled box is a poor mask for them), so a box-supervised
model must learn the real outline to score well. With ``style='blobs'``
the videos show deforming blobs instead, whose outlines no two objects
share (:mod:`~mmfvis.datasets.synthetic.blobs_vis`). Everything is drawn
from one seed: the same arguments give the same files, byte for byte.

Files, under ``out_dir``:

- ``<split>/JPEGImages/<video>/<frame>.jpg``
- ``annotations/<split>.json``: the official YouTube-VIS format, with masks
  (compressed RLE) for evaluation;
- ``annotations/<split>_mmdet.json``: mmdet's video format, with masks;
- ``annotations/<split>_mmdet_boxes.json``: mmdet's video format without
  any mask, the file box-supervised training reads;
- ``annotations/<split>_settings.json``: the generator's version and
  arguments, so that files made by other settings are never taken for
  these (see :func:`generation_settings`).
"""
import inspect
import json
import math
import os.path as osp
from typing import Dict, List, Optional, Tuple

import cv2
import numpy as np
from mmengine.utils import ProgressBar, mkdir_or_exist
from pycocotools import mask as mask_utils

from ..importers.youtube_vis_format import convert_youtube_vis
from .blobs_vis import BLOB_CLASSES, render_blob_video
from .rendering import (RenderedVideo, StripedObject, background_noise,
                        render_frames)

__all__ = [
    'SHAPE_CLASSES', 'STYLES', 'generate_shapes_vis', 'generation_settings',
    'render_shapes_video', 'shape_polygon'
]

SHAPE_CLASSES = ('triangle', 'star', 'cross')
# Pixels an instance must show in a frame to count as present there.
MIN_VISIBLE_AREA = 12
# Raised whenever the same arguments start giving different videos.
GENERATOR_VERSION = 3


def shape_polygon(shape: str, center: Tuple[float, float], radius: float,
                  angle: float) -> np.ndarray:
    """Vertices (K, 2) in pixels (x, y) of a shape inscribed in a circle."""
    if shape == 'triangle':
        radii, angles = [1.0] * 3, np.arange(3) * 2 * np.pi / 3
    elif shape == 'star':
        radii = [1.0, 0.42] * 5
        angles = np.arange(10) * np.pi / 5
    elif shape == 'cross':
        # a plus sign whose arms are 0.6 of its span wide
        a = 0.3
        xy = np.array([(a, 1), (-a, 1), (-a, a), (-1, a), (-1, -a), (-a, -a),
                       (-a, -1), (a, -1), (a, -a), (1, -a), (1, a), (a, a)])
        radii = np.hypot(xy[:, 0], xy[:, 1]) / math.hypot(1, a)
        angles = np.arctan2(xy[:, 1], xy[:, 0])
    else:
        raise ValueError(f'unknown shape {shape!r}; '
                         f'expected one of {SHAPE_CLASSES}')
    angles = np.asarray(angles) + angle
    radii = np.asarray(radii) * radius
    return np.stack([
        center[0] + radii * np.cos(angles), center[1] + radii * np.sin(angles)
    ],
                    axis=1)


class _MovingShape(StripedObject):
    """A shape's trajectory: position, size and rotation at every frame."""
    stripe_contrast = 5.0

    def __init__(self, rng: np.random.Generator, height: int, width: int,
                 num_frames: int, label: int, lane: Tuple[float, float]):
        self.label = label
        self.height, self.width = height, width
        self.radius = rng.uniform(0.18, 0.30) * min(height, width)
        self.center = np.array(
            [rng.uniform(*lane) * width,
             rng.uniform(0.2, 0.8) * height])
        speed = rng.uniform(0.01, 0.035) * min(height, width)
        direction = rng.uniform(0, 2 * np.pi)
        self.velocity = speed * np.array(
            [math.cos(direction), math.sin(direction)])
        self.growth = rng.uniform(-0.4, 0.4) / max(num_frames, 1)
        self.angle = rng.uniform(0, 2 * np.pi)
        self.spin = rng.uniform(-0.08, 0.08)
        # each class has its own band of hues (OpenCV's 0..180 scale): the
        # demo is about learning masks, and a tiny model trained for
        # minutes tells the shapes apart more reliably with this cue
        hue = (label * 60 + rng.uniform(-20, 20)) % 180
        hsv = np.uint8([[[hue, rng.uniform(170, 255), rng.uniform(170, 255)]]])
        self.colour = cv2.cvtColor(hsv,
                                   cv2.COLOR_HSV2RGB)[0, 0].astype(np.float32)
        self.stripe_period = rng.uniform(0.6, 1.2) * self.radius
        self.stripe_angle = rng.uniform(0, np.pi)

    def step(self) -> None:
        """Advance one frame."""
        self.move()
        self.radius *= 1 + self.growth
        self.angle += self.spin

    def polygons(self) -> List[np.ndarray]:
        return [
            shape_polygon(SHAPE_CLASSES[self.label], self.center, self.radius,
                          self.angle)
        ]


def _encode_mask(mask: np.ndarray) -> dict:
    rle = mask_utils.encode(np.asfortranarray(mask.astype(np.uint8)))
    rle['counts'] = rle['counts'].decode('ascii')
    return rle


def _visible_masks(full_masks: List[np.ndarray]) -> List[np.ndarray]:
    """Later shapes are drawn on top: each keeps what nothing covers."""
    covered = np.zeros_like(full_masks[0])
    visible = []
    for mask in reversed(full_masks):
        visible.append(mask & ~covered)
        covered |= mask
    return visible[::-1]


def render_shapes_video(rng: np.random.Generator, num_frames: int, height: int,
                        width: int, max_objects: int) -> RenderedVideo:
    """Draw one video of 1 to ``max_objects`` moving shapes."""
    num_objects = int(rng.integers(1, max_objects + 1))
    # each shape starts in its own vertical lane: they occlude each other
    # as they move, not all the time (boxes cannot tell who is in front)
    lanes = np.linspace(0.15, 0.85, num_objects + 1)
    shapes = [
        _MovingShape(rng, height, width, num_frames,
                     int(rng.integers(len(SHAPE_CLASSES))),
                     (lanes[index], lanes[index + 1]))
        for index in range(num_objects)
    ]
    background = background_noise(rng, height, width)
    return render_frames(background, shapes, num_frames)


# What ``style`` draws: a video renderer and the class names.
STYLES = dict(
    shapes=(render_shapes_video, SHAPE_CLASSES),
    blobs=(render_blob_video, BLOB_CLASSES))


def _write_frames(frames: List[np.ndarray], video_dir: str,
                  video_name: str) -> List[str]:
    """Write (H, W, 3) uint8 RGB frames as JPEGs; their file names."""
    file_names = []
    for frame_id, rgb in enumerate(frames):
        cv2.imwrite(
            osp.join(video_dir, f'{frame_id:05d}.jpg'),
            cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR),
            [cv2.IMWRITE_JPEG_QUALITY, 95])
        file_names.append(f'{video_name}/{frame_id:05d}.jpg')
    return file_names


def _track_record(video_id: int, shape,
                  masks: List[np.ndarray]) -> Optional[dict]:
    """Official YouTube-VIS record of one object (``label``, ``height``,
    ``width``) from its visible masks; None if never visible."""
    bboxes, areas, segmentations = [], [], []
    for mask in masks:
        area = int(mask.sum())
        if area < MIN_VISIBLE_AREA:
            bboxes.append(None)
            areas.append(None)
            segmentations.append(None)
            continue
        ys, xs = np.nonzero(mask)
        x0, y0 = int(xs.min()), int(ys.min())
        bboxes.append([x0, y0, int(xs.max()) + 1 - x0, int(ys.max()) + 1 - y0])
        areas.append(area)
        segmentations.append(_encode_mask(mask))
    if all(box is None for box in bboxes):
        return None
    return dict(
        video_id=video_id,
        category_id=shape.label + 1,
        iscrowd=0,
        bboxes=bboxes,
        areas=areas,
        segmentations=segmentations,
        height=shape.height,
        width=shape.width)


def generate_shapes_vis(out_dir: str,
                        split: str = 'train',
                        num_videos: int = 8,
                        num_frames: int = 8,
                        frame_size: Tuple[int, int] = (96, 128),
                        max_objects: int = 3,
                        seed: int = 0,
                        style: str = 'shapes',
                        show_progress: bool = True) -> Dict[str, str]:
    """Write a split of the shapes dataset; see the module docstring.

    Args:
        out_dir (str): dataset root.
        split (str): split name, used in paths.
        num_videos (int): number of videos.
        num_frames (int): frames per video.
        frame_size (tuple[int, int]): (height, width) in pixels.
        max_objects (int): at most this many objects per video (at least
            1).
        seed (int): random seed; the same seed gives the same files.
        style (str): what the videos show: ``'shapes'``, shapes of three
            classes (triangle, star, cross) each with its own outline and
            hues; ``'blobs'``, deforming blobs of one class, ``blob``, no
            two alike, some coloured as the background (see
            :mod:`~mmfvis.datasets.synthetic.blobs_vis`).
        show_progress (bool): draw a progress bar.

    Returns:
        dict: paths of the ``official``, ``mmdet``, ``mmdet_boxes`` and
        ``settings`` json files and of ``img_dir``, the folder the file
        names are relative to.
    """
    if style not in STYLES:
        raise ValueError(f'unknown style {style!r}; expected one of '
                         f'{tuple(STYLES)}')
    render_video, classes = STYLES[style]
    height, width = frame_size
    rng = np.random.default_rng(seed)
    img_dir = osp.join(out_dir, split, 'JPEGImages')
    ann_dir = osp.join(out_dir, 'annotations')
    mkdir_or_exist(ann_dir)
    official = dict(
        videos=[],
        annotations=[],
        categories=[
            dict(id=i + 1, name=name, supercategory='shape')
            for i, name in enumerate(classes)
        ])
    progress = ProgressBar(num_videos) if show_progress else None
    for video_id in range(1, num_videos + 1):
        video_name = f'{split}_{video_id:04d}'
        video_dir = osp.join(img_dir, video_name)
        mkdir_or_exist(video_dir)
        video = render_video(rng, num_frames, height, width, max_objects)
        file_names = _write_frames(video.frames, video_dir, video_name)
        masks = [_visible_masks(frame) for frame in video.full_masks]
        official['videos'].append(
            dict(
                id=video_id,
                width=width,
                height=height,
                length=num_frames,
                file_names=file_names))
        for index, shape in enumerate(video.objects):
            record = _track_record(video_id, shape,
                                   [frame[index] for frame in masks])
            if record is not None:
                record['id'] = len(official['annotations']) + 1
                official['annotations'].append(record)
        if progress is not None:
            progress.update()
    paths = dict(
        official=osp.join(ann_dir, f'{split}.json'),
        mmdet=osp.join(ann_dir, f'{split}_mmdet.json'),
        mmdet_boxes=osp.join(ann_dir, f'{split}_mmdet_boxes.json'),
        settings=osp.join(ann_dir, f'{split}_settings.json'),
        img_dir=img_dir)
    contents = dict(
        official=official,
        mmdet=convert_youtube_vis(official),
        mmdet_boxes=convert_youtube_vis(official, boxes_only=True),
        settings=generation_settings(
            split=split,
            num_videos=num_videos,
            num_frames=num_frames,
            frame_size=frame_size,
            max_objects=max_objects,
            seed=seed,
            style=style))
    for key, content in contents.items():
        with open(paths[key], 'w') as f:
            json.dump(content, f)
    return paths


def generation_settings(**generate) -> dict:
    """What determines a split's files: the generator version and the
    arguments of :func:`generate_shapes_vis`, defaults filled in.

    Args:
        **generate: arguments of :func:`generate_shapes_vis` but
            ``out_dir`` (``show_progress`` is ignored).

    Returns:
        dict: json-ready, equal for equal files.
    """
    arguments = inspect.signature(generate_shapes_vis).bind(None, **generate)
    arguments.apply_defaults()
    settings = dict(arguments.arguments, version=GENERATOR_VERSION)
    del settings['out_dir'], settings['show_progress']
    settings['frame_size'] = list(settings['frame_size'])
    return settings
