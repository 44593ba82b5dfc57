"""Box tracks read from a tracking format, written as mmdet's video format.

The importers (``tools/dataset_converters/{mot,bdd100k,cvat}_to_mmdet.py``)
read their format into :class:`BoxTrackVideo` records, one per video, each
holding every box of the source as a :class:`TrackBox` (also those to be
left out, flagged with the reason). :func:`box_tracks_to_mmdet` checks
them in one place and writes what ``youtube_vis_to_mmdet.py --boxes-only``
writes: ``videos``, ``images`` (one per frame) and ``annotations`` (one box
per track and frame, with an ``instance_id`` unique over the file), no
mask.

What is left out is never dropped silently: :class:`ImportSkips` groups it
per video, track and reason, and the output keeps it under
``import_skips`` (mmdet ignores the key), which
:func:`~mmfvis.datasets.check_video_annotations` reports as skips: the
checked datasets log them on load and ``tools/misc/check_dataset.py`` lists
them.
"""
import os
import os.path as osp
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Callable, Dict, Hashable, List, Optional, Sequence, Tuple

import cv2

from ...fileio import dump_json_atomically
from ..checks.annotation_report import AnnotationReport, VideoAnnotationError
from ..checks.box_checks import box_problem
from ..checks.video_annotation_checks import check_video_annotations
from .format_errors import BoxTrackFormatError

__all__ = [
    'BoxTrackVideo', 'ImportSkips', 'TrackBox', 'box_tracks_to_mmdet',
    'check_frames_on_disk', 'fail', 'frame_ranges', 'import_box_tracks',
    'import_summary', 'numbered_frame_files', 'save_imported'
]

# Problems of each kind the importers print; check_dataset.py lists all.
PRINTED_EXAMPLES = 5

# the readers' way to stop at a malformed record
fail = BoxTrackFormatError.raise_at


# slots: an import holds millions of boxes, a third of the memory without
@dataclass(slots=True)
class TrackBox:
    """One box of one track in one frame, as the source gives it.

    Attributes:
        frame_id (int): the frame, numbered as the video's ``frames``.
        track (Hashable): the track's id in the source (int or str).
        category (Hashable): the source's category (a class number or
            name), the key of the ``classes`` given to
            :func:`box_tracks_to_mmdet`.
        bbox (list[float]): x, y, w, h in pixels, (x, y) the top-left
            corner.
        where (str): the box's place in the source, e.g. ``'line 12
            (frame 5, track 3)'``; or, where the video has a
            ``track_field``, the frame's place, shared by its boxes.
        skip (tuple[str, str], optional): (kind, reason) when the source's
            rules leave the box out, e.g. a MOT row of confidence 0.
    """
    frame_id: int
    track: Hashable
    category: Hashable
    bbox: List[float]
    where: str
    skip: Optional[Tuple[str, str]] = None


@dataclass
class BoxTrackVideo:
    """One video of a box-tracking source.

    Attributes:
        name (str): the video's name (its folder or sequence).
        source (str): the annotation file the boxes come from, quoted in
            messages.
        frames (list[tuple[int, str]]): (frame id, file name relative to
            the image root of the output) of every frame, in frame order;
            frame ids count from 0, as ``youtube_vis_to_mmdet.py`` writes
            them.
        first_frame_number (int): the source's number of frame id 0 (MOT
            counts frames from 1): messages give the source's numbers.
        frame_step (int): how far apart in the source's numbers two frames
            are (CVAT tasks may take every k-th frame of a video).
        width, height (int): the frames' size in pixels; 0 where the source
            does not give it (:func:`check_frames_on_disk` reads it).
        boxes (list[TrackBox]): every box the source gives.
        category_field, box_field (str): the source's names of a box's
            category and coordinates, quoted in messages.
        track_field (str, optional): the source's name of a track, when a
            box's ``where`` names only its frame: messages place the box
            at ``'<where>, <track_field> <track>'``.
    """
    name: str
    source: str
    frames: List[Tuple[int, str]]
    width: int = 0
    height: int = 0
    first_frame_number: int = 0
    frame_step: int = 1
    boxes: List[TrackBox] = field(default_factory=list)
    category_field: str = 'category'
    box_field: str = 'bbox'
    track_field: Optional[str] = None

    def box_place(self, box: TrackBox) -> str:
        """Where ``box`` is in the source, for messages."""
        if self.track_field is None:
            return box.where
        return f'{box.where}, {self.track_field} {box.track}'

    def frame_number(self, frame_id: int) -> int:
        """The source's number of a frame."""
        return self.first_frame_number + frame_id * self.frame_step


def frame_ranges(frames: Sequence[int]) -> str:
    """``[1, 2, 3, 7, 9, 10]`` as ``'1-3, 7, 9-10'``."""
    numbers = sorted(set(frames))
    runs: List[List[int]] = []
    for number in numbers:
        if runs and number == runs[-1][1] + 1:
            runs[-1][1] = number
        else:
            runs.append([number, number])
    return ', '.join(
        str(first) if first == last else f'{first}-{last}'
        for first, last in runs)


class ImportSkips:
    """What an importer leaves out, grouped per video, track and reason.

    Each group becomes one record ``dict(kind, where, message)``:
    ``where`` names the source file, video, track and frames (in the
    source's numbering), ``message`` how many boxes and why.
    """

    def __init__(self):
        self._frames: Dict[tuple, List[int]] = defaultdict(list)

    def add(self,
            kind: str,
            source: str,
            video: str,
            reason: str,
            track: Optional[Hashable] = None,
            frame: Optional[int] = None) -> None:
        """Record one left-out box (``frame`` given) or a whole track or
        video (``frame`` None)."""
        frames = self._frames[(kind, source, video, track, reason)]
        if frame is not None:
            frames.append(frame)

    def records(self) -> List[dict]:
        """The groups, in the order they were first met."""
        records = []
        for (kind, source, video, track, reason), frames in \
                self._frames.items():
            where = f'{source}: video {video}'
            if track is not None:
                where += f', track {track}'
            message = reason
            if frames:
                plural = 's' if len(set(frames)) > 1 else ''
                where += f', frame{plural} {frame_ranges(frames)}'
                count = len(frames)
                message = f"{count} box{'es' if count > 1 else ''}: {reason}"
            records.append(dict(kind=kind, where=where, message=message))
        return records


IMAGE_EXTENSIONS = ('.jpg', '.jpeg', '.png', '.bmp', '.webp', '.tif', '.tiff')
_TRAILING_NUMBER = re.compile(r'(\d+)$')


def numbered_frame_files(folder: str, extension: Optional[str],
                         source: str) -> Dict[int, str]:
    """The frame files of ``folder`` by the number that ends their name.

    Args:
        folder (str): the folder of one video's frames.
        extension (str, optional): e.g. ``'.jpg'``; None: any image
            extension.
        source (str): the annotation file, quoted in errors.

    Raises:
        BoxTrackFormatError: no such folder, or two files of one number.
    """
    if not osp.isdir(folder):
        fail(source, folder, 'no such folder of frames')
    numbered: Dict[int, str] = {}
    for name in sorted(os.listdir(folder)):
        stem, ext = osp.splitext(name)
        wanted = ext.lower() == extension.lower() if extension else \
            ext.lower() in IMAGE_EXTENSIONS
        match = _TRAILING_NUMBER.search(stem)
        if not wanted or match is None:
            continue
        number = int(match.group(1))
        if number in numbered:
            fail(
                source, folder, f'frames {numbered[number]} and {name} '
                f'have the same number {number}')
        numbered[number] = name
    return numbered


def check_frames_on_disk(video: BoxTrackVideo, image_root: str) -> None:
    """Every frame of ``video`` is a file under ``image_root``; its first
    frame decodes, at the size the source gives (the video's size is
    read from it where the source gives none).

    Raises:
        BoxTrackFormatError: a frame missing or empty, a first frame that
            does not decode or of another size, naming the video, frame and
            path.
    """
    for frame_id, name in video.frames:
        path = osp.join(image_root, name)
        if not osp.isfile(path) or osp.getsize(path) == 0:
            fail(
                video.source, f'video {video.name}, frame '
                f'{video.frame_number(frame_id)} ({name})',
                f'no frame file {path} (or it is empty)')
    frame_id, name = video.frames[0]
    where = (f'video {video.name}, frame {video.frame_number(frame_id)} '
             f'({name})')
    image = cv2.imread(osp.join(image_root, name), cv2.IMREAD_COLOR)
    if image is None:
        fail(video.source, where,
             'the frame does not decode as an image (truncated or corrupt?)')
    height, width = image.shape[:2]
    if video.width and (video.width, video.height) != (width, height):
        fail(
            video.source, where, f'the annotations give frames of '
            f'{video.width}x{video.height} (w x h), the frame is '
            f'{width}x{height}')
    video.width, video.height = width, height


# the kept classes: the source's category -> dict(id, name) of the output
Classes = Dict[Hashable, dict]
# (video id, the source's track id) -> instance id of the output
InstanceIds = Dict[Tuple[int, Hashable], int]


class _VideoConversion:
    """The checks and annotations of one video."""

    def __init__(self, video: BoxTrackVideo, classes: Classes,
                 image_ids: Dict[int, int], skips: ImportSkips):
        self.video = video
        self.classes = classes
        self.image_ids = image_ids
        self.skips = skips
        self.first_box_of_track: Dict[Hashable, TrackBox] = {}
        self.box_in_frame: Dict[Tuple[Hashable, int], TrackBox] = {}

    def fail(self, box: TrackBox, message: str):
        fail(self.video.source,
             f'video {self.video.name}, {self.video.box_place(box)}', message)

    def check(self, box: TrackBox) -> None:
        """Errors: a frame not in the video, a malformed box, a track in
        two categories or twice in a frame."""
        video = self.video
        if box.frame_id not in self.image_ids:
            self.fail(
                box, f'frame {video.frame_number(box.frame_id)} is not a '
                f'frame of the video ({len(video.frames)} frames)')
        problem = box_problem(box.bbox, video.width, video.height,
                              video.box_field)
        if problem is not None and problem[0] == 'error':
            self.fail(box, problem[2])
        first = self.first_box_of_track.setdefault(box.track, box)
        if first.category != box.category:
            self.fail(
                box, f"field '{video.category_field}' is {box.category!r} "
                f'but track {box.track} has {first.category!r} at '
                f'{video.box_place(first)}: one track, one class')
        earlier = self.box_in_frame.setdefault((box.track, box.frame_id), box)
        if earlier is not box:
            self.fail(
                box, f'track {box.track} has a second box in frame '
                f'{video.frame_number(box.frame_id)} (the first at '
                f'{video.box_place(earlier)})')

    def skip_reason(self, box: TrackBox) -> Optional[Tuple[str, str]]:
        if box.skip is not None:
            return box.skip
        if box.category not in self.classes:
            kept = [category['name'] for category in self.classes.values()]
            return ('category not kept',
                    f"field '{self.video.category_field}' is "
                    f'{box.category!r}, not among the kept classes {kept}')
        return None


def _video_annotations(conversion: _VideoConversion, instance_ids: InstanceIds,
                       video_id: int) -> List[dict]:
    video = conversion.video
    for box in video.boxes:
        conversion.check(box)
    annotations = []
    for box in sorted(video.boxes, key=lambda box: box.frame_id):
        reason = conversion.skip_reason(box)
        if reason is not None:
            conversion.skips.add(reason[0], video.source, video.name,
                                 reason[1], box.track,
                                 video.frame_number(box.frame_id))
            continue
        instance_id = instance_ids.setdefault((video_id, box.track),
                                              len(instance_ids) + 1)
        x, y, w, h = (float(value) for value in box.bbox)
        annotations.append(
            dict(
                video_id=video_id,
                image_id=conversion.image_ids[box.frame_id],
                category_id=conversion.classes[box.category]['id'],
                instance_id=instance_id,
                bbox=[x, y, w, h],
                area=w * h,
                iscrowd=0))
    return annotations


def box_tracks_to_mmdet(videos: Sequence[BoxTrackVideo], classes: Classes,
                        skips: ImportSkips) -> dict:
    """Check box tracks and write them in mmdet's video format.

    Args:
        videos (Sequence[BoxTrackVideo]): the videos, in output order; each
            of a known size (see :func:`check_frames_on_disk`).
        classes (dict): the kept classes, in label order: the source's
            category -> ``dict(id=int, name=str)`` of the output. Boxes of
            other categories are left out (and recorded).
        skips (ImportSkips): what the reader left out already; the boxes
            left out here are added.

    Returns:
        dict: ``categories``, ``videos`` (``id``, ``name``, ``width``,
        ``height``), ``images`` (``id``, ``video_id``, ``frame_id``,
        ``file_name``, ``width``, ``height``), ``annotations`` (``id``,
        ``video_id``, ``image_id``, ``category_id``, ``instance_id`` unique
        over the file from 1, ``bbox`` x, y, w, h, ``area``, ``iscrowd``)
        and ``import_skips`` (:meth:`ImportSkips.records`).

    Raises:
        BoxTrackFormatError: a box in a frame the video lacks, a box that
            is not 4 finite numbers or of negative size, a track given two
            categories, a track with two boxes in one frame; the message
            names the file, video, place in the file, frame, track and
            field.
    """
    converted = dict(
        categories=list(classes.values()),
        videos=[],
        images=[],
        annotations=[])
    instance_ids: InstanceIds = {}
    for video_id, video in enumerate(videos, start=1):
        converted['videos'].append(
            dict(
                id=video_id,
                name=video.name,
                width=video.width,
                height=video.height))
        image_ids = {}
        for frame_id, file_name in video.frames:
            image_ids[frame_id] = len(converted['images']) + 1
            converted['images'].append(
                dict(
                    id=image_ids[frame_id],
                    video_id=video_id,
                    frame_id=frame_id,
                    file_name=file_name,
                    width=video.width,
                    height=video.height))
        conversion = _VideoConversion(video, classes, image_ids, skips)
        converted['annotations'] += _video_annotations(conversion,
                                                       instance_ids, video_id)
    for annotation_id, annotation in enumerate(
            converted['annotations'], start=1):
        annotation['id'] = annotation_id
    converted['import_skips'] = skips.records()
    return converted


def save_imported(converted: dict,
                  output: str,
                  show_progress: bool = False) -> AnnotationReport:
    """Check an imported file as the checked datasets will, then write it.

    Returns:
        AnnotationReport: the check's skips (what the import and loading
        leave out) and warnings.

    Raises:
        VideoAnnotationError: the check found an error (nothing written).
    """
    report = check_video_annotations(
        converted, output, show_progress=show_progress)
    if report.errors:
        raise VideoAnnotationError('\n'.join([
            f'{output}: not written, the imported annotations fail the '
            "checked datasets' checks:"
        ] + report.format(('error', ))))
    dump_json_atomically(converted, output)
    return report


def import_summary(converted: dict, report: AnnotationReport,
                   image_root: str) -> List[str]:
    """What an importer prints: counts, the config's classes, where the
    frame paths start, then skips and warnings with a few examples."""
    names = tuple(category['name'] for category in converted['categories'])
    skipped = len(report.of_severity('skip'))
    lines = [
        f'wrote {report.source}: {report.counts_line()}',
        f'classes = {names!r}  (configs/mfvis_custom.py)',
        f'frame paths are relative to {image_root} (data_prefix.img_path)'
    ]
    lines += report.format(('skip', 'warning'), PRINTED_EXAMPLES)
    if skipped or report.of_severity('warning'):
        lines.append(
            f'{skipped} skip(s), {len(report.of_severity("warning"))} '
            'warning(s): python tools/misc/check_dataset.py '
            f'{report.source} lists every one')
    return lines


def import_box_tracks(read: Callable[[], tuple],
                      output: str,
                      image_root: str,
                      input_errors: tuple = ()) -> None:
    """What every importer's command line does: ``read()`` the source into
    ``(videos, classes, skips)``, convert, check and write to ``output``,
    then print :func:`import_summary`.

    Raises:
        SystemExit: a :class:`BoxTrackFormatError`,
            :class:`VideoAnnotationError` or one of ``input_errors``, with
            its message (nothing written).
    """
    try:
        converted = box_tracks_to_mmdet(*read())
        report = save_imported(converted, output, show_progress=True)
    except (BoxTrackFormatError, VideoAnnotationError, *input_errors) as error:
        raise SystemExit(str(error)) from error
    print('\n'.join(import_summary(converted, report, image_root)))
