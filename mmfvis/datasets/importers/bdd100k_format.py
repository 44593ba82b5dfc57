"""BDD100K box-tracking labels (Scalabel format) as box-track videos.

The labels of ``box_track_20`` are one json per video: a list of frames
(or ``{"frames": [...]}``), each with ``videoName``, ``name`` (the frame's
file in ``<images>/<videoName>/``), ``frameIndex`` and ``labels``: ``id``
(the track), ``category``, ``box2d`` (``x1, y1, x2, y2``, corners
inclusive: the box is ``x2 - x1 + 1`` wide, as BDD100K's own COCO
conversion computes it) and ``attributes`` (``crowd``...). BDD100K's
classes are its 8 tracked ones; its renamed categories (``person`` for
``pedestrian``...) are renamed as its toolkit does; its ignored categories
(``other person``, ``other vehicle``, ``trailer``) and crowd boxes are left
out and recorded.
"""
import os
import os.path as osp
import sys
from typing import Dict, List, Optional, Sequence, Tuple

from tqdm import tqdm

from ..checks.annotation_json import load_annotation_json
from ..checks.box_checks import is_finite_number
from .box_tracks import (BoxTrackVideo, ImportSkips, TrackBox,
                         check_frames_on_disk, fail)

__all__ = [
    'BDD100K_CLASSES', 'BDD100K_IGNORED', 'BDD100K_RENAMED', 'bdd100k_classes',
    'read_bdd100k'
]

# BDD100K's box-tracking classes, category ids 1 to 8 in this order
BDD100K_CLASSES = ('pedestrian', 'rider', 'car', 'truck', 'bus', 'train',
                   'motorcycle', 'bicycle')
# categories BDD100K's toolkit renames (its name_mapping) ...
BDD100K_RENAMED = {
    'bike': 'bicycle',
    'caravan': 'car',
    'motor': 'motorcycle',
    'person': 'pedestrian',
    'van': 'car'
}
# ... and those it ignores in evaluation (its ignore_mapping)
BDD100K_IGNORED = ('other person', 'other vehicle', 'trailer')
BOX_KEYS = ('x1', 'y1', 'x2', 'y2')
# each category's one string: json gives every label its own copy
_CATEGORY_NAMES = {name: name for name in BDD100K_CLASSES + BDD100K_IGNORED}


def bdd100k_classes(names: Optional[Sequence[str]] = None) -> Dict[str, dict]:
    """The kept classes, category name -> ``dict(id, name)`` of the
    output (BDD100K's ids); default all 8.

    Raises:
        ValueError: a name that is not a BDD100K box-tracking class.
    """
    names = BDD100K_CLASSES if names is None else names
    unknown = [name for name in names if name not in BDD100K_CLASSES]
    if unknown:
        raise ValueError(f'{unknown} are not BDD100K box-tracking classes '
                         f'{list(BDD100K_CLASSES)}')
    return {
        name: dict(id=BDD100K_CLASSES.index(name) + 1, name=name)
        for name in names
    }


def _label_files(labels: str) -> List[str]:
    if osp.isfile(labels):
        return [labels]
    if not osp.isdir(labels):
        fail(labels, 'labels', 'no such file or folder')
    files = sorted(
        osp.join(labels, name) for name in os.listdir(labels)
        if name.endswith('.json'))
    if not files:
        fail(labels, 'labels', 'no .json file in the folder')
    return files


def _file_frames(path: str) -> list:
    data = load_annotation_json(path)
    if isinstance(data, dict) and isinstance(data.get('frames'), list):
        return data['frames']
    if not isinstance(data, list):
        fail(
            path, 'top level', 'must be a list of frames (or an object '
            f"with 'frames'), got {type(data).__name__}")
    return data


def _check_frame(frame, index: int, path: str) -> str:
    """The frame's place, once its fields are checked."""
    if not isinstance(frame, dict):
        fail(path, f'frame #{index}', 'must be an object')
    where = f"frame #{index} ({frame.get('name')})"
    for key in ('videoName', 'name'):
        if not isinstance(frame.get(key), str) or not frame[key]:
            fail(
                path, where, f"field '{key}' must be a non-empty string, "
                f'got {frame.get(key)!r}')
    where = f"video {frame['videoName']}, {where}"
    frame_index = frame.get('frameIndex')
    if not isinstance(frame_index, int) or isinstance(frame_index, bool) \
            or frame_index < 0:
        fail(
            path, where, "field 'frameIndex' must be an integer >= 0, got "
            f'{frame_index!r}')
    if not isinstance(frame.get('labels') or [], list):
        fail(path, where, "field 'labels' must be a list or null")
    return f"video {frame['videoName']}, frame {frame_index} ({frame['name']})"


def _label_category(label: dict, path: str, where: str) -> str:
    category = label.get('category')
    if not isinstance(category, str):
        fail(path, where, "field 'category' must be a string, got "
             f'{category!r}')
    category = BDD100K_RENAMED.get(category, category)
    if category not in BDD100K_CLASSES + BDD100K_IGNORED:
        fail(
            path, where, f"field 'category' is {category!r}, not a BDD100K "
            f'box-tracking category {list(BDD100K_CLASSES)} (or an ignored '
            f'one {list(BDD100K_IGNORED)})')
    return _CATEGORY_NAMES[category]


def _label_box(label: dict, path: str, where: str) -> List[float]:
    box = label.get('box2d')
    if not isinstance(box, dict) or not all(
            is_finite_number(box.get(key)) for key in BOX_KEYS):
        fail(
            path, where, "field 'box2d' must hold finite numbers x1, y1, "
            f'x2, y2, got {box!r}')
    x1, y1, x2, y2 = (box[key] for key in BOX_KEYS)
    if x2 - x1 + 1 < 0 or y2 - y1 + 1 < 0:
        fail(path, where, f"field 'box2d' {box!r} has x2 < x1 or y2 < y1")
    return [x1, y1, x2 - x1 + 1, y2 - y1 + 1]


def _label_skip(label: dict, category: str) -> Optional[Tuple[str, str]]:
    if category in BDD100K_IGNORED:
        return ('ignored category',
                f"field 'category' is {category!r}: BDD100K ignores it")
    attributes = label.get('attributes')
    if isinstance(attributes, dict) and attributes.get('crowd'):
        return ('crowd box', "attribute 'crowd' is set: a box around a "
                'crowd, not one object')
    return None


def _frame_boxes(frame: dict, path: str) -> List[TrackBox]:
    """The frame's boxes; they share one ``where`` (the frame's place) and
    their track ids' strings, held by the million at the real size."""
    boxes = []
    in_frame = f"frame {frame['frameIndex']} ({frame['name']})"
    for index, label in enumerate(frame.get('labels') or []):
        track = label.get('id') if isinstance(label, dict) else None
        if not isinstance(track, (str, int)) or isinstance(track, bool):
            fail(path, f"video {frame['videoName']}, {in_frame}, label "
                 f'#{index}', "must be an object with a string 'id'")
        where = f"video {frame['videoName']}, {in_frame}, label {track}"
        category = _label_category(label, path, where)
        boxes.append(
            TrackBox(
                frame_id=frame['frameIndex'],
                track=sys.intern(track) if isinstance(track, str) else track,
                category=category,
                bbox=_label_box(label, path, where),
                where=in_frame,
                skip=_label_skip(label, category)))
    return boxes


def _videos_of_files(files: List[str],
                     show_progress: bool) -> Dict[str, BoxTrackVideo]:
    videos: Dict[str, BoxTrackVideo] = {}
    frame_places: Dict[Tuple[str, int], str] = {}
    for path in tqdm(
            files,
            desc='reading label files',
            file=sys.stderr,
            disable=not show_progress):
        for index, frame in enumerate(_file_frames(path)):
            where = _check_frame(frame, index, path)
            name, frame_index = frame['videoName'], frame['frameIndex']
            first = frame_places.setdefault((name, frame_index),
                                            f'{path}: {where}')
            if first != f'{path}: {where}':
                fail(
                    path, where, f'a second frame {frame_index} of the '
                    f'video (the first: {first})')
            video = videos.setdefault(
                name,
                BoxTrackVideo(
                    name=name,
                    source=path,
                    frames=[],
                    category_field='category',
                    box_field='box2d (as x, y, w, h)',
                    track_field='label'))
            video.frames.append((frame_index, f"{name}/{frame['name']}"))
            video.boxes += _frame_boxes(frame, path)
    return videos


def read_bdd100k(
    labels: str,
    img_root: str,
    classes: Optional[Sequence[str]] = None,
    show_progress: bool = False
) -> Tuple[List[BoxTrackVideo], Dict[str, dict], ImportSkips]:
    """Read BDD100K box-tracking labels.

    Args:
        labels (str): a folder of label files (``labels/box_track_20/
            train``) or one file.
        img_root (str): the folder of the videos' frame folders
            (``images/track/train``); frame paths are relative to it.
        classes (Sequence[str], optional): the classes to keep, in label
            order; default BDD100K's 8.
        show_progress (bool): a progress bar over the label files.

    Returns:
        tuple: the videos by name (frames checked on disk, sizes read from
        them), the kept classes (:func:`bdd100k_classes`) and the boxes
        left out so far, for :func:`box_tracks_to_mmdet`.

    Raises:
        BoxTrackFormatError: a malformed frame or label, an unknown
            category, a frame given twice or missing from disk, naming the
            file, video, frame, label and field.
        VideoAnnotationError: a file that is not valid JSON (truncated).
    """
    kept = bdd100k_classes(classes)
    videos = _videos_of_files(_label_files(labels), show_progress)
    for video in videos.values():
        video.frames.sort()
        check_frames_on_disk(video, img_root)
    return [videos[name] for name in sorted(videos)], kept, ImportSkips()
