"""CVAT's "CVAT for video 1.1" XML exports as box-track videos.

One export is one video: ``annotations.xml`` (``<meta>`` with the task's or
job's ``size`` in frames, ``start_frame`` and ``frame_filter`` (``step=k``:
the task's frames are the video's ``start_frame + index * k``, the numbers
boxes are written with), its ``labels`` and ``original_size``; one
``<track id label>`` per object, holding ``<box frame outside occluded
keyframe xtl ytl xbr ybr>`` elements) beside its frames (``images/``, as
CVAT saves them: ``frame_000000.PNG``...). The boxes are read as CVAT
shows them: CVAT writes a box for every frame of a track, but where a
file leaves frames out between two boxes the box is interpolated linearly
(corner by corner, as CVAT interpolates), and where it leaves them out
after a box it is held, until a box marked ``outside`` (the object has
left the frame) or the end of the video. Occluded boxes are kept (the box
still bounds the object). Tracks of other shapes (polygons, points...) and
rotated boxes are left out and recorded.
"""
import os
import os.path as osp
import sys
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence, Tuple

from tqdm import tqdm

from ..checks.box_checks import is_finite_number
from .box_tracks import (BoxTrackVideo, ImportSkips, TrackBox,
                         check_frames_on_disk, fail, numbered_frame_files)

__all__ = ['ANNOTATION_FILE', 'cvat_classes', 'read_cvat_exports']

ANNOTATION_FILE = 'annotations.xml'
CORNERS = ('xtl', 'ytl', 'xbr', 'ybr')


@dataclass
class _KeyBox:
    """A ``<box>`` element as written."""
    frame: int
    outside: bool
    corners: Tuple[float, float, float, float]
    rotated: bool


def _parse(path: str) -> ElementTree.Element:
    if not osp.isfile(path):
        fail(path, 'export', 'no such file')
    try:
        return ElementTree.parse(path).getroot()
    except ElementTree.ParseError as error:
        line, column = error.position
        with open(path, 'rb') as file:
            ends_closed = file.read().rstrip().endswith(b'</annotations>')
        fail(
            path, f'line {line}, column {column}', f'not valid XML: {error}' +
            ('' if ends_closed else '; the file ends before its closing '
             '</annotations>: it is truncated (an interrupted download or '
             'copy?) or empty'))


def _int_text(element: ElementTree.Element, tag: str, path: str,
              where: str) -> int:
    text = (element.findtext(tag) or '').strip()
    if not text.isdigit() or int(text) <= 0:
        fail(path, where, f"field '{tag}' must be a positive integer, got "
             f'{text!r}')
    return int(text)


@dataclass
class _Task:
    """What the meta of an export gives: its ``size`` frames are the
    video's frames ``start_frame + index * step``, the numbers the boxes
    are written with."""
    size: int
    start_frame: int
    step: int
    width: int
    height: int
    labels: List[str]

    def index(self, frame: int) -> Optional[int]:
        """The task's index of a video frame number; None outside it."""
        index, remainder = divmod(frame - self.start_frame, self.step)
        return index if remainder == 0 and 0 <= index < self.size else None

    def frames_text(self) -> str:
        last = self.start_frame + (self.size - 1) * self.step
        every = f', every {self.step}' if self.step > 1 else ''
        return f'frames {self.start_frame} to {last}{every}'


def _frame_step(task: ElementTree.Element, path: str, where: str) -> int:
    """The k of a ``frame_filter`` ``step=k``; 1 without one."""
    text = (task.findtext('frame_filter') or '').strip()
    if not text:
        return 1
    step = text[len('step='):] if text.startswith('step=') else ''
    if not step.isdigit() or int(step) <= 0:
        fail(
            path, where, "field 'frame_filter' must be empty or 'step=k' "
            f'with k a positive integer, got {text!r}')
    return int(step)


def _meta(root: ElementTree.Element, path: str) -> _Task:
    """The task (or job) of an export; its frame size 0, 0 where the file
    gives none."""
    if root.tag != 'annotations' or root.find('meta') is None:
        fail(path, 'top level', "not a CVAT export: no <annotations> with "
             '<meta>')
    if root.find('image') is not None:
        fail(
            path, 'top level', 'this is the "CVAT for images 1.1" format '
            '(<image> elements): export the task as "CVAT for video 1.1"')
    meta = root.find('meta')
    task = meta.find('task')
    task = meta.find('job') if task is None else task
    if task is None:
        fail(path, '<meta>', 'no <task> or <job> element')
    where = f'<meta><{task.tag}>'
    start_frame = (task.findtext('start_frame') or '0').strip()
    if not start_frame.isdigit():
        fail(
            path, where, "field 'start_frame' must be an integer >= 0, got "
            f'{start_frame!r}')
    width = height = 0
    original = task.find('original_size')
    if original is not None:
        width = _int_text(original, 'width', path, f'{where}<original_size>')
        height = _int_text(original, 'height', path, f'{where}<original_size>')
    labels = []
    for label in meta.iter('label'):
        name = label.findtext('name')
        if name and name not in labels:
            labels.append(name)
    return _Task(
        size=_int_text(task, 'size', path, where),
        start_frame=int(start_frame),
        step=_frame_step(task, path, where),
        width=width,
        height=height,
        labels=labels)


def _number(text: Optional[str], path: str, where: str, name: str) -> float:
    try:
        value = float(text)
    except (TypeError, ValueError):
        value = None
    if not is_finite_number(value):
        fail(path, where, f"field '{name}' must be a finite number, got "
             f'{text!r}')
    return value


def _key_box(element: ElementTree.Element, task: _Task, path: str,
             where: str) -> _KeyBox:
    """A ``<box>``, its frame as the task's index."""
    text = element.get('frame', '')
    index = task.index(int(text)) if text.isdigit() else None
    if index is None:
        fail(
            path, where, f"field 'frame' must be a frame of the task "
            f'({task.frames_text()}), got {text!r}')
    where = f'{where} of frame {text}'
    corners = tuple(
        _number(element.get(name), path, where, name) for name in CORNERS)
    if corners[2] < corners[0] or corners[3] < corners[1]:
        fail(
            path, where, f"fields 'xtl, ytl, xbr, ybr' {list(corners)} have "
            'xbr < xtl or ybr < ytl')
    rotation = _number(element.get('rotation', '0'), path, where, 'rotation')
    return _KeyBox(
        frame=index,
        outside=element.get('outside', '0') == '1',
        corners=corners,
        rotated=rotation % 360 != 0)


def _xywh(corners: Sequence[float]) -> List[float]:
    xtl, ytl, xbr, ybr = corners
    return [xtl, ytl, xbr - xtl, ybr - ytl]


def _shown_boxes(keys: List[_KeyBox], video: BoxTrackVideo,
                 track: str) -> List[Tuple[int, List[float], str]]:
    """(frame index, x, y, w, h, place) of every frame where CVAT shows the
    track: its boxes, interpolated between two, held after the last one
    up to a box ``outside`` or the end of the video."""
    shown = []
    for key, following in zip(keys, keys[1:] + [None]):
        if key.outside:
            continue
        end = len(video.frames) if following is None else following.frame
        number = video.frame_number(key.frame)
        shown.append((key.frame, _xywh(key.corners),
                      f'track {track}, box of frame {number}'))
        for frame in range(key.frame + 1, end):
            if following is None or following.outside:
                corners = key.corners
                how = f'the box of frame {number}, held'
            else:
                step = (frame - key.frame) / (following.frame - key.frame)
                corners = tuple(
                    a + step * (b - a)
                    for a, b in zip(key.corners, following.corners))
                how = (f'interpolated between the boxes of frames {number} '
                       f'and {video.frame_number(following.frame)}')
            shown.append(
                (frame, _xywh(corners),
                 f'track {track}, frame {video.frame_number(frame)} ({how})'))
    return shown


class _ExportReader:
    """The tracks of one export into a :class:`BoxTrackVideo`."""

    def __init__(self, root: ElementTree.Element, video: BoxTrackVideo,
                 task: _Task, skips: ImportSkips):
        self.root = root
        self.video = video
        self.task = task
        self.skips = skips
        self.track_labels: Dict[str, str] = {}

    def read_tracks(self) -> None:
        for index, track in enumerate(self.root.iter('track')):
            self.read_track(track, index)

    def track_label(self, track: ElementTree.Element, index: int) -> str:
        path = self.video.source
        track_id = track.get('id', f'#{index}')
        where = f'video {self.video.name}, track {track_id}'
        label = track.get('label')
        if label not in self.task.labels:
            fail(
                path, where, f"field 'label' is {label!r}, not among the "
                f'labels of the export {self.task.labels}')
        if track_id in self.track_labels:
            fail(
                path, where, f'track id {track_id} is given twice, with '
                f'label {self.track_labels[track_id]!r} and {label!r}: one '
                'track is one object, of one class')
        self.track_labels[track_id] = label
        return label

    def read_track(self, track: ElementTree.Element, index: int) -> None:
        video = self.video
        label = self.track_label(track, index)
        track_id = track.get('id', f'#{index}')
        shapes = {child.tag for child in track}
        if shapes - {'box'}:
            self.skips.add(
                'track of other shapes', video.source, video.name,
                f"its shapes are {sorted(shapes)} (label {label!r}): only "
                'box tracks are read', track_id)
            return
        where = f'video {video.name}, track {track_id}, <box>'
        keys = sorted((_key_box(box, self.task, video.source, where)
                       for box in track.iter('box')),
                      key=lambda key: key.frame)
        for key, following in zip(keys, keys[1:]):
            if key.frame == following.frame:
                fail(video.source,
                     f'{where} of frame {video.frame_number(key.frame)}',
                     'the track has two boxes in this frame')
        skip = None
        if any(key.rotated for key in keys):
            skip = ('rotated box', f"field 'rotation' is set (label "
                    f"{label!r}): mmdet's boxes are axis-aligned")
        for frame, bbox, place in _shown_boxes(keys, video, track_id):
            video.boxes.append(
                TrackBox(frame, track_id, label, bbox, place, skip))


def _frames(export: str, name: str, task: _Task, frames_dir: str,
            first_number: int, source: str) -> List[Tuple[int, str]]:
    """(index, path relative to the exports folder) of the task's frames:
    the files numbered ``first_number`` + their frame number."""
    folder = osp.join(export, frames_dir)
    numbered = numbered_frame_files(folder, None, source)
    frames = []
    for index in range(task.size):
        frame = task.start_frame + index * task.step
        number = first_number + frame
        if number not in numbered:
            fail(
                source, f'video {name}, frame {frame}',
                f'no image file numbered {number} in {folder} (the task has '
                f'{task.frames_text()}; the file of frame 0 is numbered '
                f'{first_number}): frame missing from disk')
        frames.append((index, f'{name}/{frames_dir}/{numbered[number]}'))
    return frames


def cvat_classes(labels: Sequence[str],
                 names: Optional[Sequence[str]] = None,
                 source: str = 'exports') -> Dict[str, dict]:
    """The kept classes, label -> ``dict(id, name)`` of the output, ids 1
    to N in order; default every label.

    Raises:
        BoxTrackFormatError: a name that is no label of the exports.
    """
    names = list(labels) if names is None else list(names)
    unknown = [name for name in names if name not in labels]
    if unknown:
        fail(source, 'classes',
             f'{unknown} are not labels of the exports {list(labels)}')
    return {
        name: dict(id=index, name=name)
        for index, name in enumerate(names, start=1)
    }


def _export_folders(exports_dir: str) -> List[str]:
    if not osp.isdir(exports_dir):
        fail(exports_dir, 'exports', 'no such folder')
    names = sorted(
        name for name in os.listdir(exports_dir)
        if osp.isfile(osp.join(exports_dir, name, ANNOTATION_FILE)))
    if not names:
        fail(exports_dir, 'exports',
             f'no folder holds an {ANNOTATION_FILE} (one per exported video)')
    return names


def read_cvat_exports(
    exports_dir: str,
    classes: Optional[Sequence[str]] = None,
    frames_dir: str = 'images',
    first_number: int = 0,
    show_progress: bool = False
) -> Tuple[List[BoxTrackVideo], Dict[str, dict], ImportSkips]:
    """Read every export folder of ``exports_dir``.

    Args:
        exports_dir (str): holds one folder per video (its name), each with
            ``annotations.xml`` and the frames in ``frames_dir``; frame
            paths are relative to it.
        classes (Sequence[str], optional): the labels to keep, in label
            order; default every label, in the order the exports list them.
        frames_dir (str): the frames' folder in an export.
        first_number (int): the number in the file name of the video's
            frame 0 (CVAT saves ``frame_000000``; frames extracted with
            ffmpeg start at 1). A task's frames are the video's frames
            ``start_frame + index * step`` (its ``frame_filter``), as its
            boxes number them; their files are numbered ``first_number``
            + that.
        show_progress (bool): a progress bar over the exports.

    Returns:
        tuple: the videos (frames checked on disk), the kept classes
        (:func:`cvat_classes`) and the tracks left out, for
        :func:`box_tracks_to_mmdet`.

    Raises:
        BoxTrackFormatError: malformed or truncated XML, the images
            format, a label not in the meta, a track id given twice, a box
            outside the video's frames or of malformed coordinates, a
            frame missing from disk; naming the file, video, track, frame
            and field.
    """
    videos, labels, skips = [], [], ImportSkips()
    for name in tqdm(
            _export_folders(exports_dir),
            desc='reading exports',
            file=sys.stderr,
            disable=not show_progress):
        source = osp.join(exports_dir, name, ANNOTATION_FILE)
        root = _parse(source)
        task = _meta(root, source)
        video = BoxTrackVideo(
            name=name,
            source=source,
            frames=_frames(
                osp.join(exports_dir, name), name, task, frames_dir,
                first_number, source),
            width=task.width,
            height=task.height,
            first_frame_number=task.start_frame,
            frame_step=task.step,
            category_field='label',
            box_field='xtl, ytl, xbr, ybr (as x, y, w, h)')
        check_frames_on_disk(video, exports_dir)
        _ExportReader(root, video, task, skips).read_tracks()
        labels += [label for label in task.labels if label not in labels]
        videos.append(video)
    return videos, cvat_classes(labels, classes, exports_dir), skips
