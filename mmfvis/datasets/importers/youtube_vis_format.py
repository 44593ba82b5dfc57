"""Conversion of official YouTube-VIS / OVIS annotations to mmdet's format.

The official format stores one record per instance track, with per-frame
lists ``bboxes`` (x, y, w, h), ``areas`` and ``segmentations`` (None where
the instance is absent). mmdet's ``YouTubeVISDataset`` reads a COCO-video
format instead: ``videos``, ``images`` (one per frame, with ``video_id`` and
``frame_id``) and ``annotations`` (one per instance and frame, with
``instance_id``).

:func:`validate_youtube_vis` checks an official file before conversion; its
errors name the file, video, annotation, frame and field at fault.
:func:`check_youtube_vis` reports that check's error, or else what the
boxes would give in training (skips and warnings, as for mmdet's format).
"""
import sys
from collections import defaultdict
from typing import Dict, List, Optional, Tuple

from mmengine.utils import ProgressBar
from tqdm import tqdm

from ..checks.annotation_report import AnnotationReport
from ..checks.box_checks import box_problem, is_finite_number
from ..checks.video_length_checks import check_video_length
from .format_errors import YouTubeVISFormatError

__all__ = [
    'YouTubeVISFormatError', 'check_youtube_vis', 'convert_youtube_vis',
    'validate_youtube_vis', 'youtube_vis_frame_files'
]

_fail = YouTubeVISFormatError.raise_at


def _check_list(record: dict, key: str, source: str, where: str) -> list:
    if key not in record:
        _fail(source, where, f"missing field '{key}'")
    if not isinstance(record[key], list):
        kind = type(record[key]).__name__
        _fail(source, where, f"field '{key}' must be a list, got {kind}")
    return record[key]


def _check_positive_int(record: dict, key: str, source: str, where: str):
    value = record.get(key)
    if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
        _fail(source, where,
              f"field '{key}' must be a positive integer, got {value!r}")


def _check_unique_id(record: dict, seen: set, source: str, where: str):
    if 'id' not in record:
        _fail(source, where, "missing field 'id'")
    if record['id'] in seen:
        _fail(source, where, f"duplicate id {record['id']!r}")
    seen.add(record['id'])


def _check_categories(official: dict, source: str) -> set:
    category_ids = set()
    for index, category in enumerate(
            _check_list(official, 'categories', source, 'top level')):
        where = f'category #{index}'
        if not isinstance(category, dict):
            _fail(source, where, 'must be an object with id and name')
        _check_unique_id(category, category_ids, source, where)
        if not isinstance(category.get('name'), str):
            _fail(source, where, "field 'name' must be a string")
    return category_ids


def _video_where(index: int, video: dict) -> str:
    """'video <id> (<folder>)', as far as the record tells."""
    if not isinstance(video, dict) or 'id' not in video:
        return f'video #{index}'
    names = video.get('file_names')
    if isinstance(names, list) and names and isinstance(names[0], str):
        return f"video {video['id']} ({names[0].split('/')[0]})"
    return f"video {video['id']}"


def _check_videos(official: dict, source: str) -> Dict[int, dict]:
    videos, video_ids = {}, set()
    for index, video in enumerate(
            _check_list(official, 'videos', source, 'top level')):
        where = _video_where(index, video)
        if not isinstance(video, dict):
            _fail(source, where, 'must be an object')
        _check_unique_id(video, video_ids, source, where)
        _check_positive_int(video, 'width', source, where)
        _check_positive_int(video, 'height', source, where)
        file_names = _check_list(video, 'file_names', source, where)
        if not file_names or not all(isinstance(f, str) for f in file_names):
            _fail(source, where,
                  "field 'file_names' must be a non-empty list of paths")
        if 'length' in video and video['length'] != len(file_names):
            _fail(
                source, where, f"field 'length' is {video['length']} but "
                f"'file_names' lists {len(file_names)} frames")
        videos[video['id']] = video
    return videos


def _check_bbox(bbox, source: str, where: str):
    if not (isinstance(bbox, list) and len(bbox) == 4
            and all(is_finite_number(v) for v in bbox)):
        _fail(source, where,
              f"field 'bboxes' must hold [x, y, w, h] numbers, got {bbox!r}")
    if bbox[2] < 0 or bbox[3] < 0:
        _fail(source, where,
              f"field 'bboxes' has a negative width or height: {bbox!r}")


def _check_segmentation(segmentation, video: dict, source: str, where: str):
    if isinstance(segmentation, dict):
        if 'size' not in segmentation or 'counts' not in segmentation:
            _fail(source, where,
                  "field 'segmentations' RLE needs 'size' and 'counts'")
        size = list(segmentation['size'])
        if size != [video['height'], video['width']]:
            _fail(
                source, where, f"field 'segmentations' has size {size} but "
                f"the video is {video['height']}x{video['width']} (h x w)")
    elif isinstance(segmentation, list):
        for polygon in segmentation:
            if not (isinstance(polygon, list) and len(polygon) >= 6
                    and len(polygon) % 2 == 0
                    and all(is_finite_number(v) for v in polygon)):
                _fail(
                    source, where, "field 'segmentations' polygon must be "
                    'a flat list of at least 3 (x, y) points')
    else:
        _fail(
            source, where, "field 'segmentations' must be an RLE object, "
            f'a list of polygons or null, got {type(segmentation).__name__}')


def _per_frame_field(annotation: dict, key: str, num_frames: int, source: str,
                     where: str) -> list:
    """The per-frame list ``key``, or Nones when the field is absent."""
    values = annotation.get(key)
    if values is None:
        return [None] * num_frames
    if not isinstance(values, list):
        _fail(source, where, f"field '{key}' must be a list or null")
    if len(values) != num_frames:
        _fail(
            source, where, f"field '{key}' has {len(values)} entries but the "
            f'video has {num_frames} frames')
    return values


def _check_annotation_frames(annotation: dict, video: dict, source: str,
                             where: str):
    file_names = video['file_names']
    bboxes = _per_frame_field(annotation, 'bboxes', len(file_names), source,
                              where)
    segmentations = _per_frame_field(annotation, 'segmentations',
                                     len(file_names), source, where)
    areas = _per_frame_field(annotation, 'areas', len(file_names), source,
                             where)
    for frame, (file_name, bbox, segmentation, area) in enumerate(
            zip(file_names, bboxes, segmentations, areas)):
        frame_where = f'{where}, frame {frame} ({file_name})'
        if bbox is not None:
            _check_bbox(bbox, source, frame_where)
        if segmentation is not None:
            if bbox is None:
                _fail(source, frame_where,
                      "has a segmentation but its 'bboxes' entry is null")
            _check_segmentation(segmentation, video, source, frame_where)
        if area is not None and not (is_finite_number(area) and area >= 0):
            _fail(source, frame_where,
                  f"field 'areas' must be a number >= 0, got {area!r}")


def _check_annotations(official: dict, videos: Dict[int, dict],
                       category_ids: set, source: str):
    if official.get('annotations') is None:
        return
    annotation_ids = set()
    for index, annotation in enumerate(
            _check_list(official, 'annotations', source, 'top level')):
        if not isinstance(annotation, dict):
            _fail(source, f'annotation #{index}', 'must be an object')
        where = (f"annotation {annotation.get('id', '#' + str(index))} "
                 f"(video {annotation.get('video_id')!r})")
        _check_unique_id(annotation, annotation_ids, source, where)
        if annotation.get('video_id') not in videos:
            _fail(source, where, "field 'video_id' names no video in "
                  "'videos'")
        if annotation.get('category_id') not in category_ids:
            _fail(
                source, where,
                f"field 'category_id' is {annotation.get('category_id')!r}, "
                f'not among the categories {sorted(category_ids)}')
        _check_list(annotation, 'bboxes', source, where)
        _check_annotation_frames(annotation, videos[annotation['video_id']],
                                 source, where)


def validate_youtube_vis(official, source: str = 'annotations') -> None:
    """Check one split of official YouTube-VIS / OVIS annotations.

    Args:
        official: the loaded json.
        source (str): the file name, quoted in error messages.

    Raises:
        YouTubeVISFormatError: the first problem found, naming the file,
            video (id and folder), annotation id, frame (index and file)
            and field at fault.
    """
    if not isinstance(official, dict):
        _fail(
            source, 'top level', "must be an object with 'videos' and "
            f"'categories', got {type(official).__name__}")
    category_ids = _check_categories(official, source)
    videos = _check_videos(official, source)
    _check_annotations(official, videos, category_ids, source)


def _video_images(video: dict, first_image_id: int) -> List[dict]:
    return [
        dict(
            id=first_image_id + frame_id,
            video_id=video['id'],
            frame_id=frame_id,
            file_name=file_name,
            height=video['height'],
            width=video['width'])
        for frame_id, file_name in enumerate(video['file_names'])
    ]


def _frame_annotations(track: dict, images: List[dict], instance_id: int,
                       boxes_only: bool) -> List[dict]:
    """One mmdet annotation per frame where the track has a box."""
    annotations = []
    segmentations = track.get('segmentations') or [None] * len(images)
    areas = track.get('areas') or [None] * len(images)
    for image, bbox, area, segmentation in zip(images, track['bboxes'], areas,
                                               segmentations):
        if bbox is None:
            continue
        annotation = dict(
            video_id=image['video_id'],
            image_id=image['id'],
            category_id=track['category_id'],
            instance_id=instance_id,
            bbox=list(bbox),
            area=float(area if area is not None else bbox[2] * bbox[3]),
            iscrowd=track.get('iscrowd', 0))
        if segmentation is not None and not boxes_only:
            annotation['segmentation'] = segmentation
        annotations.append(annotation)
    return annotations


def convert_youtube_vis(official: Dict,
                        boxes_only: bool = False,
                        source: str = 'annotations',
                        show_progress: bool = False) -> Dict:
    """Convert one split of official YouTube-VIS annotations.

    The input is checked first with :func:`validate_youtube_vis`.

    Args:
        official (dict): the official json (``videos``, ``categories`` and,
            for annotated splits, ``annotations``).
        boxes_only (bool): drop every ``segmentation`` (mask-free training).
        source (str): the file name, quoted in error messages.
        show_progress (bool): draw a progress bar over the videos.

    Returns:
        dict: mmdet's video format. Image ids follow the videos' order;
        instance ids start at 1 (mmdet treats an instance id of 0 as absent)
        and are unique over the split.

    Raises:
        YouTubeVISFormatError: malformed input.
    """
    validate_youtube_vis(official, source)
    tracks_by_video = defaultdict(list)
    for track in official.get('annotations') or []:
        tracks_by_video[track['video_id']].append(track)

    converted = dict(
        categories=list(official['categories']),
        videos=[],
        images=[],
        annotations=[])
    progress: Optional[ProgressBar] = ProgressBar(len(
        official['videos'])) if show_progress else None
    next_instance_id = 1
    for video in official['videos']:
        images = _video_images(video, len(converted['images']) + 1)
        converted['videos'].append(
            dict(
                id=video['id'],
                name=video['file_names'][0].split('/')[0],
                width=video['width'],
                height=video['height']))
        converted['images'].extend(images)
        for track in tracks_by_video[video['id']]:
            converted['annotations'].extend(
                _frame_annotations(track, images, next_instance_id,
                                   boxes_only))
            next_instance_id += 1
        if progress is not None:
            progress.update()
    for ann_id, annotation in enumerate(converted['annotations'], start=1):
        annotation['id'] = ann_id
    return converted


def _track_boxes(track: dict, video: dict, report: AnnotationReport) -> set:
    """Report one track's box problems; its frames with a kept box."""
    kept = set()
    areas = track.get('areas') or [None] * len(track['bboxes'])
    for frame, (file_name, bbox, area) in enumerate(
            zip(video['file_names'], track['bboxes'], areas)):
        if bbox is None:
            continue
        where = (f"annotation {track['id']} (video {video['id']}), frame "
                 f'{frame} ({file_name})')
        problem = box_problem(bbox, video['width'], video['height'], 'bboxes')
        if problem is None and area == 0:
            problem = ('skip', 'zero area', "field 'areas' is 0")
        if problem is not None:
            report.add(problem[0], problem[1], where, problem[2])
        if problem is None or problem[0] == 'warning':
            kept.add(frame)
    if not kept:
        report.add(
            'warning', 'instance without any kept box',
            f"annotation {track['id']} (video {video['id']})",
            'no frame keeps a box of this instance: training never '
            'sees it')
    return kept


def _video_lengths(videos: Dict[int, dict], kept_frames: Dict[int, set],
                   clip_frames: Optional[int],
                   report: AnnotationReport) -> None:
    for video_id, video in videos.items():
        check_video_length(report, _video_where(0, video),
                           len(video['file_names']),
                           len(kept_frames[video_id]), clip_frames, 'a box')


def check_youtube_vis(official,
                      source: str = 'annotations',
                      clip_frames: Optional[int] = None,
                      show_progress: bool = False) -> AnnotationReport:
    """Check official YouTube-VIS / OVIS annotations, as a report.

    The first problem :func:`validate_youtube_vis` raises is the report's
    one error. A file without errors gets the box checks of mmdet's format
    (see :func:`box_problem`): boxes under a pixel, outside their frame or
    of zero area are skips, boxes partly outside their frame warnings, as
    are instances left without any box; videos without any kept box are
    skips, videos with fewer annotated frames than ``clip_frames``
    warnings. ``show_progress`` draws a progress bar over the instances.

    Returns:
        AnnotationReport: the problems, and the counts (videos, frames,
        instances, boxes, categories) of a file without errors.
    """
    report = AnnotationReport(source)
    try:
        validate_youtube_vis(official, source)
    except YouTubeVISFormatError as error:
        report.add('error', 'malformed YouTube-VIS annotations', error.where,
                   error.detail)
        return report
    videos = {video['id']: video for video in official['videos']}
    tracks = official.get('annotations') or []
    kept_frames = defaultdict(set)
    for track in tqdm(
            tracks,
            desc='checking instances',
            file=sys.stderr,
            disable=not show_progress):
        kept_frames[track['video_id']] |= _track_boxes(
            track, videos[track['video_id']], report)
    if tracks:
        _video_lengths(videos, kept_frames, clip_frames, report)
    report.counts = dict(
        videos=len(videos),
        frames=sum(len(video['file_names']) for video in videos.values()),
        instances=len(tracks),
        boxes=sum(box is not None for track in tracks
                  for box in track['bboxes']),
        categories=len(official['categories']))
    return report


def youtube_vis_frame_files(official: dict) -> List[Tuple[str, str]]:
    """(location, file name) of every frame of an official file."""
    frames = []
    for index, video in enumerate(official.get('videos') or []):
        names = video.get('file_names') if isinstance(video, dict) else None
        for frame, name in enumerate(names or []):
            if isinstance(name, str):
                frames.append((f'{_video_where(index, video)}, frame '
                               f'{frame} ({name})', name))
    return frames
