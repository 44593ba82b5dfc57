"""Annotation files of the size of the real VIS and box-tracking datasets.

``python tools/analysis/generate_dataset_files.py OUT_DIR [--presets NAME
...] [--scale 1.0] [--seed 0] [--no-frames]``

Writes, under ``OUT_DIR/<preset>/``, seeded annotation files in each
dataset's own format, as the importers and ``tools/misc/check_dataset.py``
read them, at the sizes of the real training splits (``--scale`` shrinks
them: the number of videos, or the frames of MOT20's 4 sequences):

- ``ytvis2019``, ``ytvis2021``, ``ovis``: the official YouTube-VIS json
  (per track ``bboxes``, ``areas`` and compressed-RLE ``segmentations``,
  None where the object is absent); OVIS with its crowded videos;
- ``bdd100k``: a ``box_track_20`` label folder, one json per video, with
  BDD100K's categories, its ignored ones and crowd boxes;
- ``mot20``: MOT20's 4 sequences (``seqinfo.ini``, ``gt/gt.txt``), with
  rows of other classes at confidence 0 as MOTChallenge writes them;
- ``cvat``: "CVAT for video 1.1" exports, a box per frame of each track,
  a box ``outside`` where a track ends, a few polygon tracks;
- ``long_video``: one rendered 1280x720 video, as mp4 files of its first
  100, 250 and 500 frames and as frames, with an official YouTube-VIS json
  (masks) per length, for inference and testing at length.

The frames are there only because the importers and the checker look at
every one: each frame is a symbolic link to one of a few real 1280x720
JPEGs (``OUT_DIR/frame_pool/``), under the name the format gives it. The
boxes move smoothly within the frame; a mask is the ellipse inscribed in
its box.
"""
import argparse
import json
import math
import os
import os.path as osp
import sys
from collections import Counter
from dataclasses import dataclass, replace
from typing import Callable, Dict, Iterator, List, Optional, Sequence, Tuple

import cv2
import numpy as np
from mmdet.datasets import YouTubeVISDataset
from pycocotools import mask as mask_utils
from tqdm import tqdm

from mmfvis.datasets.synthetic.rendering import background_noise

FRAME_WIDTH, FRAME_HEIGHT = 1280, 720
POOL_SIZE = 8  # real JPEGs every frame links to
POOL_FOLDER = 'frame_pool'
JPEG_QUALITY = 90

# OVIS's classes, category ids 1 to 25 (configs/mfvis_ovis.py)
OVIS_CLASSES = ('Person', 'Bird', 'Cat', 'Dog', 'Horse', 'Sheep', 'Cow',
                'Elephant', 'Bear', 'Zebra', 'Giraffe', 'Poultry',
                'Giant_panda', 'Lizard', 'Parrot', 'Monkey', 'Rabbit', 'Tiger',
                'Fish', 'Turtle', 'Bicycle', 'Motorcycle', 'Airplane', 'Boat',
                'Vehical')
# BDD100K box-tracking categories as its labels name them, with their share
# of the tracks (ignored categories included; the importer leaves them out)
BDD100K_CATEGORY_SHARES = {
    'car': 0.62,
    'pedestrian': 0.17,
    'truck': 0.07,
    'bus': 0.03,
    'bicycle': 0.02,
    'rider': 0.015,
    'motorcycle': 0.01,
    'train': 0.005,
    'other vehicle': 0.04,
    'other person': 0.01,
    'trailer': 0.01
}
BDD100K_CROWD_SHARE = 0.01  # tracks whose boxes are marked crowd
# MOT20 ground-truth classes and their share of the rows: only class 1
# (pedestrian) has conf 1, the others 0 as MOTChallenge writes them
MOT_CLASS_SHARES = {1: 0.86, 7: 0.06, 8: 0.03, 2: 0.02, 6: 0.02, 12: 0.01}
# MOT20's training sequences and their lengths in frames
MOT20_SEQUENCES = {
    'MOT20-01': 429,
    'MOT20-02': 2782,
    'MOT20-03': 2405,
    'MOT20-05': 3315
}
CVAT_LABELS = ('car', 'person', 'bicycle', 'truck')
CVAT_POLYGON_SHARE = 0.02  # tracks drawn as polygons (left out on import)
LONG_VIDEO_LENGTHS = (100, 250, 500)
# the long video's classes: the tiny CPU config's
LONG_VIDEO_CLASSES = ('triangle', 'star', 'cross')
MOT20_BOXES_PER_FRAME = 150


@dataclass(frozen=True)
class Preset:
    """The size and look of one generated dataset, at scale 1.

    Attributes:
        writer (str): the format: a key of ``WRITERS``.
        videos (int): videos (sequences, exports) in the split.
        frames (tuple[int, int]): least and most frames of a video, drawn
            uniformly.
        tracks (float): mean tracks (instances) per video.
        track_span (tuple[float, float]): the share of its video a track
            covers, drawn uniformly.
        box_height (tuple[float, float]): least and most box height in
            pixels, drawn log-uniformly.
        aspect (tuple[float, float]): box width over height, drawn
            uniformly.
        classes (tuple): the category names (MOT: class numbers).
        class_shares (tuple[float], optional): each class's share of the
            tracks; None: uniform.
        crowded_share (float): the share of videos with 6 times the mean
            tracks (OVIS's crowds of occluded objects).
    """
    writer: str
    videos: int
    frames: Tuple[int, int]
    tracks: float
    track_span: Tuple[float, float]
    box_height: Tuple[float, float]
    aspect: Tuple[float, float]
    classes: tuple
    class_shares: Optional[Tuple[float, ...]] = None
    crowded_share: float = 0.0


def youtube_vis_classes(version: str) -> tuple:
    """YouTube-VIS's classes of ``version`` ('2019' or '2021') in mmdet's
    order, category ids 1 to 40."""
    YouTubeVISDataset.set_dataset_classes(version)
    return tuple(YouTubeVISDataset.METAINFO['classes'])


# The real training splits: YouTube-VIS 2019 (2,238 videos, 61,845
# annotated frames, 3,774 instances), 2021 (2,985 videos, 90,160 frames,
# 6,283 instances), OVIS (607 videos, 42,149 frames, 3,579 instances, 4.7
# a frame, crowds of dozens), BDD100K box tracking (1,400 videos of 200
# frames, over 3 million boxes), MOT20 (4 sequences, 8,931 frames, 1.3
# million boxes). CVAT has no public split: 100 exports of 1,000 frames.
PRESETS = {
    'ytvis2019':
    Preset('youtube_vis', 2238, (19, 36), 1.7, (0.6, 1.0), (80, 600),
           (0.5, 2.0), youtube_vis_classes('2019')),
    'ytvis2021':
    Preset('youtube_vis', 2985, (20, 40), 2.1, (0.6, 1.0), (80, 600),
           (0.5, 2.0), youtube_vis_classes('2021')),
    'ovis':
    Preset(
        'youtube_vis',
        607, (20, 119),
        4.0, (0.5, 1.0), (60, 400), (0.5, 2.0),
        OVIS_CLASSES,
        crowded_share=0.1),
    'bdd100k':
    Preset('bdd100k', 1400, (200, 200), 60.0, (0.05, 0.35), (20, 300),
           (0.4, 2.0), tuple(BDD100K_CATEGORY_SHARES),
           tuple(BDD100K_CATEGORY_SHARES.values())),
    'mot20':
    Preset('mot', len(MOT20_SEQUENCES), (0, 0), 0.0, (0.1, 0.6), (50, 180),
           (0.35, 0.45), tuple(MOT_CLASS_SHARES),
           tuple(MOT_CLASS_SHARES.values())),
    'cvat':
    Preset('cvat', 100, (1000, 1000), 15.0, (0.4, 1.0), (30, 400), (0.5, 2.0),
           CVAT_LABELS),
    'long_video':
    Preset('long_video', 1, (0, 0), 6.0, (1.0, 1.0), (120, 360), (0.6, 1.6),
           LONG_VIDEO_CLASSES),
}


@dataclass
class Track:
    """One object of a generated video.

    Attributes:
        track_id (int): unique in its video, from 1 (YouTube-VIS: over the
            file).
        category (int): index into the preset's classes.
        first_frame (int): the frame it appears in.
        boxes (np.ndarray): (frames, 4) x, y, w, h in pixels, one row per
            frame from ``first_frame`` on, inside the frame.
    """
    track_id: int
    category: int
    first_frame: int
    boxes: np.ndarray

    @property
    def last_frame(self) -> int:
        """The frame after the last it is in."""
        return self.first_frame + len(self.boxes)


def track_boxes(rng: np.random.Generator, num_frames: int,
                preset: Preset) -> np.ndarray:
    """(num_frames, 4) x, y, w, h in pixels of one object moving smoothly
    within the frame, its size changing by a factor of about e^0.5 at
    most over the track."""
    frame_size = np.array([FRAME_WIDTH, FRAME_HEIGHT], np.float64)
    low, high = (math.log(side) for side in preset.box_height)
    height = math.exp(rng.uniform(low, high))
    size = np.array([height * rng.uniform(*preset.aspect), height])
    steps = np.arange(num_frames, dtype=np.float64)[:, None]
    growth = np.exp(rng.normal(0, 0.5 / num_frames) * steps)
    sizes = np.minimum(size * growth, frame_size * 0.9)
    velocity = rng.normal(0, min(3.0, 400 / num_frames), 2)
    jitter = np.cumsum(rng.normal(0, 0.5, (num_frames, 2)), axis=0)
    centers = rng.uniform(0, 1, 2) * frame_size + velocity * steps + jitter
    top_left = np.clip(centers - sizes / 2, 0, frame_size - sizes)
    return np.concatenate([top_left, sizes], axis=1)


def track_count(rng: np.random.Generator, preset: Preset) -> int:
    """Tracks of one video: 1 more than a Poisson draw around the mean, 6
    times more in a crowded video."""
    mean = preset.tracks
    if preset.crowded_share and rng.uniform() < preset.crowded_share:
        mean *= 6
    return 1 + int(rng.poisson(max(mean - 1, 0)))


def video_tracks(rng: np.random.Generator, num_frames: int, num_tracks: int,
                 preset: Preset, first_track_id: int) -> List[Track]:
    """``num_tracks`` tracks of a video, each over a share of its frames.
    """
    tracks = []
    for offset in range(num_tracks):
        span = max(1, round(num_frames * rng.uniform(*preset.track_span)))
        first = int(rng.integers(0, num_frames - span + 1))
        category = int(rng.choice(len(preset.classes), p=preset.class_shares))
        tracks.append(
            Track(first_track_id + offset, category, first,
                  track_boxes(rng, span, preset)))
    return tracks


def ellipse_rle(box: np.ndarray, height: int, width: int) -> Tuple[dict, int]:
    """The compressed RLE (json-ready) and area in pixels of the ellipse
    inscribed in ``box`` (x, y, w, h, pixels) in a ``height`` x ``width``
    frame.

    The runs are computed column by column (RLE is column-major): no mask
    is drawn.
    """
    x, y, w, h = (float(value) for value in box)
    columns = np.arange(max(0, math.floor(x)), min(width, math.ceil(x + w)))
    offsets = (columns + 0.5 - (x + w / 2)) / (w / 2)
    half_heights = (h / 2) * np.sqrt(np.clip(1 - offsets**2, 0, None))
    tops = np.clip(np.round(y + h / 2 - half_heights), 0, height)
    bottoms = np.clip(np.round(y + h / 2 + half_heights), 0, height)
    inside = bottoms > tops
    starts = (columns * height + tops)[inside].astype(np.int64)
    ends = (columns * height + bottoms)[inside].astype(np.int64)
    touching = np.nonzero(ends[:-1] == starts[1:])[0]
    starts, ends = np.delete(starts, touching + 1), np.delete(ends, touching)
    edges = np.stack([starts, ends], axis=1).ravel()
    counts = np.diff(np.concatenate([[0], edges, [height * width]]))
    rle = mask_utils.frPyObjects(
        dict(counts=counts.tolist(), size=[height, width]), height, width)
    area = int((bottoms - tops)[inside].sum())
    return dict(size=[height, width], counts=rle['counts'].decode()), area


def write_text(text: str, path: str) -> None:
    os.makedirs(osp.dirname(path), exist_ok=True)
    with open(path, 'w') as file:
        file.write(text)


def pool_image(rng: np.random.Generator) -> np.ndarray:
    """A 1280x720 BGR image of the detail (and JPEG size) of a photo: a
    noisy gradient under overlapping ellipses, with fine grain."""
    image = background_noise(rng, FRAME_HEIGHT, FRAME_WIDTH)
    for _ in range(int(rng.integers(12, 24))):
        center = (int(rng.integers(FRAME_WIDTH)),
                  int(rng.integers(FRAME_HEIGHT)))
        axes = (int(rng.integers(20, 300)), int(rng.integers(20, 200)))
        cv2.ellipse(image, center, axes, float(rng.uniform(0, 180)), 0, 360,
                    rng.uniform(0, 255, 3).tolist(), -1)
    image += rng.normal(0, 8, image.shape).astype(np.float32)
    return np.clip(image, 0, 255).astype(np.uint8)


def write_frame_pool(out_dir: str, seed: int) -> List[str]:
    """The pool's JPEGs (written when missing); their absolute paths."""
    folder = osp.abspath(osp.join(out_dir, POOL_FOLDER))
    os.makedirs(folder, exist_ok=True)
    rng = np.random.default_rng([seed, len(PRESETS)])
    paths = []
    for index in range(POOL_SIZE):
        path = osp.join(folder, f'pool_{index:02d}.jpg')
        image = pool_image(rng)
        if not osp.isfile(path):
            cv2.imwrite(path, image, [cv2.IMWRITE_JPEG_QUALITY, JPEG_QUALITY])
        paths.append(path)
    return paths


@dataclass
class Job:
    """What a format's writer needs.

    Attributes:
        name (str): the preset's name.
        preset (Preset): its sizes, scaled.
        scale (float): the share of the real size (MOT20 and the long
            video scale their frames with it).
        rng (np.random.Generator): seeded by the preset and the seed.
        root (str): the preset's folder.
        pool (list[str]): the real JPEGs the frames link to.
        with_frames (bool): False: no frame is written.
    """
    name: str
    preset: Preset
    scale: float
    rng: np.random.Generator
    root: str
    pool: List[str]
    with_frames: bool

    def link_frames(self, folder: str, names: Sequence[str],
                    video_index: int) -> None:
        """Frames ``names`` in ``folder``: frame k of video v links to pool
        image (v + k) mod the pool's size."""
        if not self.with_frames:
            return
        os.makedirs(folder, exist_ok=True)
        for index, name in enumerate(names):
            path = osp.join(folder, name)
            if osp.lexists(path):
                os.remove(path)
            os.symlink(self.pool[(video_index + index) % len(self.pool)], path)

    def videos(self) -> Iterator[int]:
        """The video indices, with a progress bar."""
        return iter(
            tqdm(
                range(self.preset.videos),
                desc=self.name,
                unit=' videos',
                file=sys.stderr))


def scaled_lengths(lengths: Dict, scale: float) -> Dict:
    """Frames per sequence times ``scale``, at least 2."""
    return {
        key: max(2, round(length * scale))
        for key, length in lengths.items()
    }


def counted(tracks: List[Track]) -> Counter:
    """The counts a writer returns for one video."""
    return Counter(
        videos=1,
        frames=0,
        tracks=len(tracks),
        boxes=sum(len(track.boxes) for track in tracks))


# YouTube-VIS 2019/2021, OVIS ------------------------------------------------
def youtube_vis_track(track: Track, num_frames: int, video_id: int) -> dict:
    """One official annotation: per frame its box, area and RLE mask, None
    where the object is absent."""
    bboxes, areas, segmentations = ([None] * num_frames for _ in range(3))
    for frame, box in enumerate(np.round(track.boxes), track.first_frame):
        segmentations[frame], areas[frame] = ellipse_rle(
            box, FRAME_HEIGHT, FRAME_WIDTH)
        bboxes[frame] = [float(value) for value in box]
    return dict(
        id=track.track_id,
        video_id=video_id,
        category_id=track.category + 1,
        iscrowd=0,
        width=FRAME_WIDTH,
        height=FRAME_HEIGHT,
        length=1,
        bboxes=bboxes,
        areas=areas,
        segmentations=segmentations)


def youtube_vis_video(video_id: int, file_names: List[str]) -> dict:
    return dict(
        id=video_id,
        width=FRAME_WIDTH,
        height=FRAME_HEIGHT,
        length=len(file_names),
        file_names=file_names,
        license=1,
        date_captured='2019-04-11 00:00:00.000000')


def youtube_vis_file(videos: List[dict], annotations: List[dict],
                     classes: Sequence[str]) -> str:
    """An official json, as text."""
    categories = [
        dict(id=index, name=name, supercategory='object')
        for index, name in enumerate(classes, start=1)
    ]
    return json.dumps(
        dict(
            info=dict(description='generated'),
            licenses=[],
            videos=videos,
            categories=categories,
            annotations=annotations))


def youtube_vis_names(job: Job, num_frames: int) -> List[str]:
    """A video's frame files as the dataset names them: YouTube-VIS every
    5th frame of ``<10 hex digits>/00000.jpg``, OVIS
    ``<8 hex digits>/img_0000001.jpg``."""
    if job.name == 'ovis':
        folder = job.rng.bytes(4).hex()
        return [
            f'{folder}/img_{index + 1:07d}.jpg' for index in range(num_frames)
        ]
    folder = job.rng.bytes(5).hex()
    return [f'{folder}/{index * 5:05d}.jpg' for index in range(num_frames)]


def youtube_vis_layout(name: str, root: str) -> dict:
    """The official file and frame folder of a YouTube-VIS-format preset."""
    if name == 'ovis':
        return dict(
            annotations=osp.join(root, 'annotations_train.json'),
            img_root=osp.join(root, 'train'))
    return dict(
        annotations=osp.join(root, 'train.json'),
        img_root=osp.join(root, 'train', 'JPEGImages'))


def write_youtube_vis(job: Job) -> Tuple[dict, Counter]:
    """The official json of a YouTube-VIS 2019/2021 or OVIS training
    split, and its frames."""
    layout = youtube_vis_layout(job.name, job.root)
    videos, annotations, counts = [], [], Counter()
    low, high = job.preset.frames
    for video_index in job.videos():
        num_frames = int(job.rng.integers(low, high + 1))
        file_names = youtube_vis_names(job, num_frames)
        videos.append(youtube_vis_video(video_index + 1, file_names))
        tracks = video_tracks(job.rng, num_frames,
                              track_count(job.rng, job.preset), job.preset,
                              len(annotations) + 1)
        annotations += [
            youtube_vis_track(track, num_frames, video_index + 1)
            for track in tracks
        ]
        job.link_frames(
            osp.join(layout['img_root'], osp.dirname(file_names[0])),
            [osp.basename(name) for name in file_names], video_index)
        counts += counted(tracks) + Counter(frames=num_frames)
    write_text(
        youtube_vis_file(videos, annotations, job.preset.classes),
        layout['annotations'])
    return layout, counts


# BDD100K ---------------------------------------------------------------------
def bdd100k_track_labels(track: Track, category: str,
                         crowd: bool) -> List[dict]:
    """A track's Scalabel labels, frame by frame: ``box2d`` corners
    inclusive, float32 values as BDD100K writes them."""
    x, y, w, h = track.boxes.T
    corners = np.stack([x, y, x + w - 1, y + h - 1], axis=1)
    as_float32 = corners.astype(np.float32).astype(np.float64).tolist()
    attributes = dict(occluded=False, truncated=False, crowd=crowd)
    return [
        dict(
            id=f'{track.track_id:08d}',
            category=category,
            attributes=attributes,
            box2d=dict(x1=x1, y1=y1, x2=x2, y2=y2))
        for x1, y1, x2, y2 in as_float32
    ]


def bdd100k_frames(job: Job, name: str, tracks: List[Track],
                   num_frames: int) -> List[dict]:
    """The label file of one video: its frames with their labels."""
    frames = [
        dict(
            name=f'{name}-{index + 1:07d}.jpg',
            videoName=name,
            frameIndex=index,
            labels=[]) for index in range(num_frames)
    ]
    for track in tracks:
        crowd = bool(job.rng.uniform() < BDD100K_CROWD_SHARE)
        labels = bdd100k_track_labels(track,
                                      job.preset.classes[track.category],
                                      crowd)
        for frame, label in enumerate(labels, track.first_frame):
            frames[frame]['labels'].append(label)
    return frames


def bdd100k_layout(root: str) -> dict:
    return dict(
        labels=osp.join(root, 'labels', 'box_track_20', 'train'),
        img_root=osp.join(root, 'images', 'track', 'train'))


def write_bdd100k(job: Job) -> Tuple[dict, Counter]:
    """A ``box_track_20`` label folder (one json per video) and frames."""
    layout = bdd100k_layout(job.root)
    counts = Counter()
    num_frames = job.preset.frames[0]
    for video_index in job.videos():
        name = f'{job.rng.bytes(4).hex()}-{job.rng.bytes(4).hex()}'
        tracks = video_tracks(job.rng, num_frames,
                              track_count(job.rng, job.preset), job.preset,
                              counts['tracks'] + 1)
        frames = bdd100k_frames(job, name, tracks, num_frames)
        write_text(
            json.dumps(frames), osp.join(layout['labels'], f'{name}.json'))
        job.link_frames(
            osp.join(layout['img_root'], name),
            [frame['name'] for frame in frames], video_index)
        counts += counted(tracks) + Counter(frames=num_frames)
    return layout, counts


# MOT20 -----------------------------------------------------------------------
def mot_tracks(job: Job, num_frames: int) -> List[Track]:
    """The tracks of one sequence: MOT20's crowds, about
    ``MOT20_BOXES_PER_FRAME`` boxes a frame."""
    tracks: List[Track] = []
    boxes = 0
    while boxes < MOT20_BOXES_PER_FRAME * num_frames:
        tracks += video_tracks(job.rng, num_frames, 1, job.preset,
                               len(tracks) + 1)
        boxes += len(tracks[-1].boxes)
    return tracks


def mot_gt_text(job: Job, tracks: List[Track]) -> str:
    """``gt.txt``: rows ``frame, id, x, y, w, h, conf, class, visibility``
    by track then frame, as MOTChallenge orders them; frames from 1."""
    lines = []
    for track in tracks:
        class_number = job.preset.classes[track.category]
        conf = int(class_number == 1)
        visibility = np.clip(job.rng.normal(0.8, 0.25, len(track.boxes)), 0, 1)
        for frame, (x, y, w, h), seen in zip(
                range(track.first_frame + 1, track.last_frame + 1),
                np.round(track.boxes).astype(int).tolist(), visibility):
            lines.append(f'{frame},{track.track_id},{x},{y},{w},{h},{conf},'
                         f'{class_number},{seen:.5f}\n')
    return ''.join(lines)


def seqinfo_text(name: str, num_frames: int) -> str:
    return (f'[Sequence]\nname={name}\nimDir=img1\nframeRate=25\n'
            f'seqLength={num_frames}\nimWidth={FRAME_WIDTH}\n'
            f'imHeight={FRAME_HEIGHT}\nimExt=.jpg\n')


def mot_layout(root: str) -> dict:
    """The sequences folder, which the frame paths are relative to."""
    sequences = osp.join(root, 'train')
    return dict(sequences=sequences, img_root=sequences)


def write_mot(job: Job) -> Tuple[dict, Counter]:
    """MOT20's 4 training sequences: ``seqinfo.ini``, ``gt/gt.txt`` and
    ``img1/`` frames (1280x720 here; MOT20's are 1920x1080)."""
    layout = mot_layout(job.root)
    counts = Counter()
    lengths = scaled_lengths(MOT20_SEQUENCES, job.scale)
    for index, (name, num_frames) in enumerate(
            tqdm(lengths.items(), desc=job.name, file=sys.stderr)):
        folder = osp.join(layout['sequences'], name)
        tracks = mot_tracks(job, num_frames)
        write_text(mot_gt_text(job, tracks), osp.join(folder, 'gt', 'gt.txt'))
        write_text(
            seqinfo_text(name, num_frames), osp.join(folder, 'seqinfo.ini'))
        job.link_frames(
            osp.join(folder, 'img1'),
            [f'{number:06d}.jpg' for number in range(1, num_frames + 1)],
            index)
        counts += counted(tracks) + Counter(frames=num_frames)
    return layout, counts


# CVAT ------------------------------------------------------------------------
def cvat_box(frame: int, box: Sequence[float], outside: bool) -> str:
    x, y, w, h = box
    return (f'    <box frame="{frame}" keyframe="{int(outside)}" '
            f'outside="{int(outside)}" occluded="0" xtl="{x:.2f}" '
            f'ytl="{y:.2f}" xbr="{x + w:.2f}" ybr="{y + h:.2f}" '
            'z_order="0">\n    </box>')


def cvat_polygon(frame: int, box: Sequence[float]) -> str:
    x, y, w, h = box
    points = f'{x:.2f},{y:.2f};{x + w:.2f},{y:.2f};{x + w / 2:.2f},{y + h:.2f}'
    return (f'    <polygon frame="{frame}" keyframe="1" outside="0" '
            f'occluded="0" points="{points}" z_order="0">\n    </polygon>')


def cvat_track(track: Track, label: str, num_frames: int,
               polygon: bool) -> List[str]:
    """A ``<track>``: a box a frame, then a box ``outside`` where the
    object leaves before the video's end; or a polygon a frame."""
    boxes = track.boxes.tolist()
    shapes = [
        cvat_polygon(frame, box) if polygon else cvat_box(frame, box, False)
        for frame, box in enumerate(boxes, track.first_frame)
    ]
    if not polygon and track.last_frame < num_frames:
        shapes.append(cvat_box(track.last_frame, boxes[-1], True))
    return [
        f'  <track id="{track.track_id - 1}" label="{label}" '
        'source="manual">', *shapes, '  </track>'
    ]


def cvat_meta(name: str, num_frames: int) -> List[str]:
    """The export's head: its task of ``num_frames`` frames, its labels
    and the frames' size."""
    labels = ''.join(f'<label><name>{label}</name><type>rectangle</type>'
                     '</label>' for label in CVAT_LABELS)
    return [
        '<?xml version="1.0" encoding="utf-8"?>', '<annotations>',
        '  <version>1.1</version>',
        f'  <meta><task><name>{name}</name><size>{num_frames}</size>'
        '<mode>interpolation</mode><start_frame>0</start_frame>'
        f'<stop_frame>{num_frames - 1}</stop_frame><frame_filter>'
        f'</frame_filter><labels>{labels}</labels><original_size><width>'
        f'{FRAME_WIDTH}</width><height>{FRAME_HEIGHT}</height>'
        '</original_size></task></meta>'
    ]


def cvat_layout(root: str) -> dict:
    """The exports folder, which the frame paths are relative to."""
    exports = osp.join(root, 'train')
    return dict(exports=exports, img_root=exports)


def write_cvat(job: Job) -> Tuple[dict, Counter]:
    """One "CVAT for video 1.1" export folder per video: its
    ``annotations.xml`` and ``images/frame_000000.jpg``..."""
    layout = cvat_layout(job.root)
    counts = Counter()
    num_frames = job.preset.frames[0]
    for video_index in job.videos():
        folder = osp.join(layout['exports'], f'video_{video_index + 1:04d}')
        tracks = video_tracks(job.rng, num_frames,
                              track_count(job.rng, job.preset), job.preset, 1)
        lines = cvat_meta(osp.basename(folder), num_frames)
        polygons = [
            job.rng.uniform() < CVAT_POLYGON_SHARE for _ in range(len(tracks))
        ]
        for track, polygon in zip(tracks, polygons):
            lines += cvat_track(track, job.preset.classes[track.category],
                                num_frames, polygon)
        write_text('\n'.join(lines + ['</annotations>\n']),
                   osp.join(folder, 'annotations.xml'))
        job.link_frames(
            osp.join(folder, 'images'),
            [f'frame_{index:06d}.jpg' for index in range(num_frames)],
            video_index)
        box_tracks = [t for t, polygon in zip(tracks, polygons) if not polygon]
        counts += counted(box_tracks) + Counter(frames=num_frames)
    return layout, counts


# The long video -------------------------------------------------------------
def rendered_frames(job: Job, tracks: List[Track],
                    num_frames: int) -> List[np.ndarray]:
    """Each track an ellipse filling its box, in a colour of its own, over
    the first pool image."""
    background = cv2.imread(job.pool[0])
    colours = [job.rng.uniform(0, 255, 3).tolist() for _ in tracks]
    frames = []
    for frame in range(num_frames):
        image = background.copy()
        for track, colour in zip(tracks, colours):
            x, y, w, h = track.boxes[frame - track.first_frame]
            cv2.ellipse(image, (round(x + w / 2), round(y + h / 2)),
                        (round(w / 2), round(h / 2)), 0, 0, 360, colour, -1)
        frames.append(image)
    return frames


def long_video_layout(root: str) -> dict:
    """The frames folder (``frames/long_video/00000.jpg``...) and, per
    length, the mp4 and the official json."""
    layout = dict(img_root=osp.join(root, 'frames'))
    for length in LONG_VIDEO_LENGTHS:
        layout[f'video_{length}'] = osp.join(root, f'long_video_{length}.mp4')
        layout[f'annotations_{length}'] = osp.join(root,
                                                   f'valid_{length}.json')
    return layout


def write_mp4(path: str, frames: List[np.ndarray]) -> None:
    writer = cv2.VideoWriter(path, cv2.VideoWriter_fourcc(*'mp4v'), 25,
                             (FRAME_WIDTH, FRAME_HEIGHT))
    for frame in frames:
        writer.write(frame)
    writer.release()


def write_long_video(job: Job) -> Tuple[dict, Counter]:
    """One rendered video: its frames (JPEG), and an mp4 and an official
    json (masks) of its first 100, 250 and 500 frames (times the scale)
    under the names of those lengths."""
    layout = long_video_layout(job.root)
    lengths = scaled_lengths({n: n for n in LONG_VIDEO_LENGTHS}, job.scale)
    num_frames = max(lengths.values())
    tracks = video_tracks(job.rng, num_frames, round(job.preset.tracks),
                          job.preset, 1)
    frames = rendered_frames(job, tracks, num_frames)
    names = [f'long_video/{index:05d}.jpg' for index in range(num_frames)]
    os.makedirs(osp.join(layout['img_root'], 'long_video'), exist_ok=True)
    for image, name in zip(
            tqdm(frames, desc=job.name, file=sys.stderr), names):
        cv2.imwrite(
            osp.join(layout['img_root'], name), image,
            [cv2.IMWRITE_JPEG_QUALITY, JPEG_QUALITY])
    for key, length in lengths.items():
        write_mp4(layout[f'video_{key}'], frames[:length])
        annotations = [
            youtube_vis_track(
                replace(track, boxes=track.boxes[:length]), length, 1)
            for track in tracks
        ]
        write_text(
            youtube_vis_file([youtube_vis_video(1, names[:length])],
                             annotations, job.preset.classes),
            layout[f'annotations_{key}'])
    return layout, counted(tracks) + Counter(frames=num_frames)


# where the box-track and long video writers put their files
LAYOUTS: Dict[str, Callable[[str], dict]] = dict(
    bdd100k=bdd100k_layout,
    mot=mot_layout,
    cvat=cvat_layout,
    long_video=long_video_layout)
WRITERS: Dict[str, Callable[[Job], Tuple[dict, Counter]]] = dict(
    youtube_vis=write_youtube_vis,
    bdd100k=write_bdd100k,
    mot=write_mot,
    cvat=write_cvat,
    long_video=write_long_video)


def layout(preset_name: str, out_dir: str) -> dict:
    """Where :func:`generate` writes a preset's files under ``out_dir``."""
    root = osp.join(out_dir, preset_name)
    writer = PRESETS[preset_name].writer
    if writer == 'youtube_vis':
        return youtube_vis_layout(preset_name, root)
    return LAYOUTS[writer](root)


def generate(preset_name: str,
             out_dir: str,
             scale: float = 1.0,
             seed: int = 0,
             with_frames: bool = True,
             preset: Optional[Preset] = None) -> dict:
    """Write one preset's files under ``out_dir/<preset_name>/``.

    Args:
        preset_name (str): a key of :data:`PRESETS`.
        out_dir (str): the folder of every preset and of the frame pool.
        scale (float): the share of the real size to write: the videos, or
            the frames of MOT20's sequences and of the long video.
        seed (int): the same seed writes the same files.
        with_frames (bool): also the frames (symbolic links to the pool;
            the long video's are always written).
        preset (Preset, optional): other sizes than the named preset's.

    Returns:
        dict: the paths written (:func:`layout`; ``img_root`` the folder
        the frame paths are relative to) and the counts: videos, frames,
        tracks, boxes.
    """
    preset = preset or PRESETS[preset_name]
    if preset.writer not in ('mot', 'long_video'):
        preset = replace(preset, videos=max(1, round(preset.videos * scale)))
    preset_number = list(PRESETS).index(preset_name)
    job = Job(
        name=preset_name,
        preset=preset,
        scale=scale,
        rng=np.random.default_rng([seed, preset_number]),
        root=osp.join(out_dir, preset_name),
        pool=write_frame_pool(out_dir, seed),
        with_frames=with_frames)
    written, counts = WRITERS[preset.writer](job)
    return dict(written, **counts)


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Generate annotation files of the size of the real VIS '
        'and box-tracking datasets')
    parser.add_argument('out_dir', help='folder to write the presets in')
    parser.add_argument(
        '--presets',
        nargs='+',
        choices=list(PRESETS),
        default=list(PRESETS),
        help='the datasets to write (default all)')
    parser.add_argument(
        '--scale',
        type=float,
        default=1.0,
        help='share of the real size: of the videos, or of the frames of '
        'MOT20 and the long video (default 1)')
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument(
        '--no-frames',
        action='store_true',
        help='no frame links (the importers and the checker with '
        '--img-root need them)')
    args = parser.parse_args(argv)
    if args.scale <= 0:
        parser.error(f'--scale must be positive, got {args.scale}')
    return args


def main(argv: Optional[List[str]] = None) -> None:
    args = parse_args(argv)
    counted_keys = ('videos', 'frames', 'tracks', 'boxes')
    counts = {}
    for name in args.presets:
        written = generate(name, args.out_dir, args.scale, args.seed,
                           not args.no_frames)
        counts[name] = {key: written[key] for key in counted_keys}
        line = ', '.join(f'{written[key]} {key}' for key in counted_keys)
        print(f'{name}: {line} in {osp.join(args.out_dir, name)}')
    # the counts again as one json line, the last, for the benchmark
    print(json.dumps(counts))


if __name__ == '__main__':
    main()
