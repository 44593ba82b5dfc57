"""Checks of mmdet's video annotation format (COCO-video json).

The format: ``categories`` (``id``, ``name``), optionally ``videos``
(``id``, ``name``), ``images`` (one per frame: ``id``, ``file_name``,
``width``, ``height`` and, for videos, ``video_id`` and ``frame_id``) and
``annotations`` (one per object and frame: ``id``, ``image_id``,
``category_id``, ``bbox`` [x, y, w, h] in pixels, ``instance_id``, and
optionally ``area``, ``iscrowd``, ``ignore``, ``segmentation``).

What each problem is (see :mod:`.annotation_report` for the severities):

- errors: a field missing or of the wrong type; a NaN or infinite box; a
  negative width or height; an area that is negative or not a number; an
  id used twice; an annotation naming no image or an undeclared category;
  a video annotation without an instance id (mmdet would number it by its
  position in the frame, joining unrelated objects into one track); one
  instance id twice in a frame; an instance changing category between
  frames; frames of one video of different sizes, or two with the same
  frame id; a mask whose size is not its frame's; a dataset class missing
  from the file's categories, or the categories in another order than the
  classes (mmdet numbers labels in the file's order: names and labels
  would disagree).
- skips (mmdet drops these too, silently): a box under one pixel wide or
  high; a box outside its frame; an area of 0; an annotation marked
  ``ignore``; a category that is not among the dataset's classes (training
  on a subset of the classes); a video without any annotated frame (no
  training clip can be drawn from it); what an importer left out, listed
  under the top-level ``import_skips`` (see
  :mod:`mmfvis.datasets.importers.box_tracks`; mmdet ignores the key).
- warnings: a box partly outside its frame (the pipeline clips it); a
  video's frames listed out of frame order (mmfvis's datasets sort them)
  or with gaps in their frame ids; a video with fewer annotated frames
  than the training clip (``ClipFrameSample`` repeats its frames).
"""
import sys
from collections import defaultdict
from typing import Callable, Dict, List, Optional, Sequence, Tuple

from tqdm import tqdm

from .annotation_json import is_official_youtube_vis
from .annotation_report import AnnotationReport
from .box_checks import box_problem, is_finite_number

__all__ = ['check_video_annotations', 'frame_files']

CONVERTER = 'tools/dataset_converters/youtube_vis_to_mmdet.py'


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_positive_int(value) -> bool:
    return _is_int(value) and value > 0


def _is_id(value) -> bool:
    """An id json can hold and a set can index: int (not bool) or str."""
    return isinstance(value, (int, str)) and not isinstance(value, bool)


Problem = Tuple[str, str, str]  # severity, kind, message


def _video_where(video_id, video_names: dict) -> str:
    name = video_names.get(video_id) if _is_id(video_id) else None
    return f'video {video_id!r}' + (f' ({name})' if name else '')


def _frame_where(image: dict, video_names: dict) -> str:
    """'video 7 (name), frame 0 (file)', or 'image 3 (file)' outside a
    video."""
    name = image.get('file_name')
    if 'video_id' not in image:
        return f"image {image.get('id')!r} ({name})"
    return (f"{_video_where(image['video_id'], video_names)}, frame "
            f"{image.get('frame_id')!r} ({name})")


def frame_files(data: dict) -> List[Tuple[str, str]]:
    """(location, ``file_name``) of every frame of an mmdet-format file
    that names its file, in file order."""
    video_names = {
        video.get('id'): video.get('name')
        for video in data.get('videos') or [] if isinstance(video, dict)
    }
    return [
        (_frame_where(image, video_names), image['file_name'])
        for image in data.get('images') or []
        if isinstance(image, dict) and isinstance(image.get('file_name'), str)
    ]


class _Checker:
    """One pass over a parsed file, filling an :class:`AnnotationReport`.
    """

    def __init__(self, report: AnnotationReport, classes: Optional[Sequence],
                 clip_frames: Optional[int]):
        self.report = report
        self.classes = None if classes is None else list(classes)
        self.clip_frames = clip_frames
        self.category_names: Dict = {}
        self.class_category_ids: Optional[set] = None
        self.video_names: Dict = {}
        self.images: Dict = {}
        self.all_image_ids: set = set()
        self.frames_of_video: Dict = defaultdict(list)
        self.annotated_images: set = set()
        self.instance_category: Dict = {}
        # image id -> its instance ids: a set per frame holds millions of
        # boxes in a tenth of the memory of a set of (image, instance) pairs
        self.instances_in_frame: Dict = defaultdict(set)

    def error(self, kind: str, where: str, message: str) -> None:
        self.report.add('error', kind, where, message)

    # top level --------------------------------------------------------
    def check_top_level(self, data) -> bool:
        """False when the structure is too broken to look further."""
        if not isinstance(data, dict):
            self.error(
                'not an annotation file', 'top level', 'must be an object '
                "with 'images', 'annotations' and 'categories', got "
                f'{type(data).__name__}')
            return False
        if 'images' not in data and is_official_youtube_vis(data):
            self.error(
                'official YouTube-VIS format', 'top level',
                "this is the official YouTube-VIS/OVIS format ('file_names' "
                f"per video); convert it with {CONVERTER} first")
            return False
        fine = True
        for key, required in (('images', True), ('categories', True),
                              ('annotations', False), ('videos', False)):
            value = data.get(key)
            if (value is not None or required) and not isinstance(value, list):
                self.error(
                    'top-level field missing', 'top level',
                    f"field '{key}' must be a list, got "
                    f'{type(value).__name__}')
                fine = False
        return fine

    # categories -------------------------------------------------------
    def check_categories(self, categories: list) -> None:
        for index, category in enumerate(categories):
            where = f'category #{index}'
            if not isinstance(category, dict) or not _is_int(
                    category.get('id')) or not isinstance(
                        category.get('name'), str):
                self.error(
                    'malformed category', where,
                    "must be an object with an integer 'id' and a string "
                    f"'name', got {category!r}")
            elif category['id'] in self.category_names:
                self.error('duplicate id', where,
                           f"duplicate category id {category['id']!r}")
            else:
                self.category_names[category['id']] = category['name']
        if self.classes is not None:
            self._classes_against_categories()

    def _classes_against_categories(self) -> None:
        names = list(self.category_names.values())
        for name in sorted({n for n in names if names.count(n) > 1}):
            self.error(
                'duplicate category name', 'categories',
                f'category name {name!r} is used by several ids: mmdet maps '
                'class names to ids')
        missing = [name for name in self.classes if name not in names]
        if missing:
            self.error(
                'class missing from the categories', 'categories',
                f"the dataset's classes {missing} are not among the file's "
                f'categories {names}: every later class would take a wrong '
                'label')
            return
        in_file_order = [name for name in names if name in self.classes]
        if in_file_order != self.classes:
            self.error(
                'categories in another order than the classes', 'categories',
                f'the file lists the categories in the order '
                f"{in_file_order}, the dataset's classes are {self.classes}: "
                "mmdet numbers labels in the file's order, so names and "
                'labels would disagree; reorder one of them')
        self.class_category_ids = {
            category_id
            for category_id, name in self.category_names.items()
            if name in self.classes
        }

    # videos and frames ------------------------------------------------
    def check_videos(self, videos: Optional[list]) -> None:
        for index, video in enumerate(videos or []):
            if not isinstance(video, dict) or not _is_id(video.get('id')):
                self.error('malformed video', f'video #{index}',
                           f"must be an object with an 'id', got {video!r}")
            elif video['id'] in self.video_names:
                self.error('duplicate id', f'video #{index}',
                           f"duplicate video id {video['id']!r}")
            else:
                self.video_names[video['id']] = video.get('name')

    def video_where(self, video_id) -> str:
        return _video_where(video_id, self.video_names)

    def frame_where(self, image: dict) -> str:
        return _frame_where(image, self.video_names)

    def check_images(self, images: list, videos_listed: bool) -> None:
        frame_keys = set()
        for index, image in enumerate(images):
            if not isinstance(image, dict) or not _is_id(image.get('id')) \
                    or not _is_id(image.get('video_id', 0)):
                self.error(
                    'malformed image', f'image #{index}',
                    "must be an object with an 'id' (and a 'video_id' of a "
                    f'video), got {image!r}')
                continue
            where = self.frame_where(image)
            if image['id'] in self.all_image_ids:
                self.error('duplicate id', where,
                           f"duplicate image id {image['id']!r}")
                continue
            self.all_image_ids.add(image['id'])
            if self._image_fields(image, where, videos_listed, frame_keys):
                self.images[image['id']] = image
                if 'video_id' in image:
                    self.frames_of_video[image['video_id']].append(image)

    def _image_fields(self, image: dict, where: str, videos_listed: bool,
                      frame_keys: set) -> bool:
        fine = True
        if not isinstance(image.get('file_name'), str) or \
                not image['file_name']:
            self.error('malformed image', where,
                       "field 'file_name' must be a non-empty path")
            fine = False
        for key in ('width', 'height'):
            if not _is_positive_int(image.get(key)):
                self.error(
                    'malformed image', where, f"field '{key}' must be a "
                    f'positive integer, got {image.get(key)!r}')
                fine = False
        if 'video_id' not in image:
            return fine
        if videos_listed and image['video_id'] not in self.video_names:
            self.error('image of an unlisted video', where,
                       "field 'video_id' names no video in 'videos'")
            fine = False
        frame_id = image.get('frame_id')
        if not _is_int(frame_id) or frame_id < 0:
            self.error(
                'malformed image', where, "field 'frame_id' must be an "
                f'integer >= 0, got {frame_id!r}')
            return False
        if (image['video_id'], frame_id) in frame_keys:
            self.error('duplicate frame', where,
                       f'a second image with frame_id {frame_id}')
            return False
        frame_keys.add((image['video_id'], frame_id))
        return fine

    def check_video_frames(self) -> None:
        """Sizes, order and gaps of each video's frames."""
        for video_id, frames in self.frames_of_video.items():
            where = self.video_where(video_id)
            sizes = sorted({(f['width'], f['height']) for f in frames})
            if len(sizes) > 1:
                self.error(
                    'frames of different sizes', where,
                    f'its frames have different sizes (w x h) {sizes}: '
                    'the frames of a clip share one size')
            ids = [f['frame_id'] for f in frames]
            if ids != sorted(ids):
                self.report.add(
                    'warning', 'frames out of order', where,
                    'frames are not listed in frame_id order; mmfvis '
                    "datasets sort them, mmdet's sample clips in file order")
            if sorted(ids) != list(range(min(ids), min(ids) + len(ids))):
                self.report.add('warning', 'gaps in frame ids', where,
                                f'frame ids {sorted(ids)} are not contiguous')

    # annotations ------------------------------------------------------
    def check_annotations(self, annotations: list,
                          show_progress: bool) -> None:
        annotation_ids = set()
        for index, annotation in enumerate(
                tqdm(
                    annotations,
                    desc='checking annotations',
                    unit=' boxes',
                    file=sys.stderr,
                    disable=not show_progress)):
            if not isinstance(annotation, dict) or not _is_id(
                    annotation.get('id')):
                self.error(
                    'malformed annotation', f'annotation #{index}',
                    f"must be an object with an 'id', got {annotation!r}")
            elif annotation['id'] in annotation_ids:
                self.error('duplicate id', f"annotation {annotation['id']!r}",
                           'duplicate annotation id')
            else:
                annotation_ids.add(annotation['id'])
                self._annotation(annotation)

    def _annotation(self, annotation: dict) -> None:
        image_id = annotation.get('image_id')
        image = self.images.get(image_id) if _is_id(image_id) else None
        if image is None:
            if image_id not in self.all_image_ids:
                self.error(
                    'annotation of no image',
                    f"annotation {annotation['id']!r}",
                    f"field 'image_id' is {image_id!r}, which names no "
                    'image')
            return

        # the place is written out only for a problem: formatting it for
        # each of millions of boxes took a tenth of a check
        def where() -> str:
            return (f'{self.frame_where(image)}, annotation '
                    f"{annotation['id']!r}")

        box = box_problem(
            annotation.get('bbox'), image['width'], image['height'])
        errors = self._annotation_errors(annotation, image, where)
        if box is not None and box[0] == 'error':
            errors.append(box)
        for _, kind, message in errors:
            self.error(kind, where(), message)
        if errors:
            return
        skips = self._drop_reasons(annotation)
        if box is not None and box[0] == 'skip':
            skips.insert(0, box)
        if skips:
            _, kind, message = skips[0]
            self.report.add('skip', kind, where(), message, annotation['id'])
            return
        if box is not None:
            severity, kind, message = box
            self.report.add(severity, kind, where(), message)
        self.annotated_images.add(image['id'])

    def _annotation_errors(self, annotation: dict, image: dict,
                           where: Callable[[], str]) -> List[Problem]:
        problems = []
        category_id = annotation.get('category_id')
        if not _is_id(category_id) or \
                category_id not in self.category_names:
            problems.append(('error', 'undeclared category',
                             f"field 'category_id' is {category_id!r}, not "
                             f'among the categories '
                             f'{sorted(self.category_names)}'))
        elif 'video_id' in image:
            problems += self._instance(annotation, image, where)
        segmentation = annotation.get('segmentation')
        if isinstance(segmentation, dict) and 'size' in segmentation and \
                list(segmentation['size']) != [image['height'],
                                               image['width']]:
            problems.append(
                ('error', 'mask of another size',
                 f"field 'segmentation' has size {segmentation['size']} but "
                 f"the frame is {image['height']}x{image['width']} (h x w)"))
        if 'area' in annotation and not (is_finite_number(annotation['area'])
                                         and annotation['area'] >= 0):
            problems.append(('error', 'malformed area',
                             "field 'area' must be a number >= 0, got "
                             f"{annotation['area']!r}"))
        return problems

    def _instance(self, annotation: dict, image: dict,
                  where: Callable[[], str]) -> List[Problem]:
        instance_id = annotation.get('instance_id')
        if not _is_positive_int(instance_id):
            return [('error', 'missing instance id',
                     f"field 'instance_id' must be an integer >= 1, got "
                     f'{instance_id!r}: mmdet would number the object by its '
                     'position in the frame, joining unrelated objects into '
                     'one track')]
        frame_instances = self.instances_in_frame[image['id']]
        if instance_id in frame_instances:
            return [('error', 'instance twice in a frame',
                     f'instance_id {instance_id} is given to another '
                     'annotation of this frame too')]
        frame_instances.add(instance_id)
        category_id = annotation.get('category_id')
        first = self.instance_category.get((image['video_id'], instance_id))
        if first is None:
            self.instance_category[(image['video_id'],
                                    instance_id)] = (category_id, where())
            return []
        if first[0] != category_id:
            return [('error', 'instance changes category',
                     f'instance_id {instance_id} has category_id '
                     f'{category_id!r} here but {first[0]!r} at {first[1]}')]
        return []

    def _drop_reasons(self, annotation: dict) -> List[Problem]:
        """Why mmdet would leave out an otherwise valid annotation."""
        reasons = []
        category_id = annotation['category_id']
        if self.class_category_ids is not None and \
                category_id not in self.class_category_ids:
            reasons.append(
                ('skip', 'category not among the classes',
                 f'category {category_id!r} '
                 f'({self.category_names[category_id]!r}) is not among the '
                 "dataset's classes"))
        if annotation.get('ignore', False):
            reasons.append(('skip', 'marked ignore',
                            "field 'ignore' is set: mmdet leaves it out"))
        if annotation.get('area') == 0:
            reasons.append(('skip', 'zero area', "field 'area' is 0"))
        return reasons

    # what an importer left out --------------------------------------------
    def check_import_skips(self, records) -> None:
        """Each record of ``import_skips`` (``kind``, ``where``,
        ``message``) as a skip."""
        if records is None:
            return
        if not isinstance(records, list):
            self.error(
                'malformed import skips', 'top level',
                "field 'import_skips' must be a list, got "
                f'{type(records).__name__}')
            return
        for index, record in enumerate(records):
            if not isinstance(record, dict) or not all(
                    isinstance(record.get(key), str)
                    for key in ('kind', 'where', 'message')):
                self.error(
                    'malformed import skips', f'import_skips #{index}',
                    "must be an object with string 'kind', 'where' and "
                    f"'message', got {record!r}")
                continue
            self.report.add('skip', f"{record['kind']} (left out on import)",
                            record['where'], record['message'])

    # videos as training sees them ---------------------------------------
    def check_video_lengths(self, annotated: bool) -> None:
        """Videos with no annotated frame, or fewer than a clip."""
        if not annotated:
            return
        for video_id, frames in self.frames_of_video.items():
            where = self.video_where(video_id)
            count = sum(f['id'] in self.annotated_images for f in frames)
            if count == 0:
                self.report.add(
                    'skip', 'video without any annotated frame', where,
                    f'none of its {len(frames)} frames keeps an annotation: '
                    'training skips the video (evaluation keeps it)')
            elif self.clip_frames and count < self.clip_frames:
                self.report.add(
                    'warning', 'video shorter than the clip', where,
                    f'{count} annotated frames, fewer than the '
                    f'{self.clip_frames}-frame training clips: '
                    'ClipFrameSample repeats them')

    def counts(self, data: dict) -> Dict[str, int]:
        video_ids = {
            image.get('video_id', ('image', image_id))
            for image_id, image in self.images.items()
        }
        return dict(
            videos=len(video_ids),
            frames=len(data['images']),
            instances=len(self.instance_category),
            boxes=len(data.get('annotations') or []),
            categories=len(data['categories']))


def check_video_annotations(data,
                            source: str = 'annotations',
                            classes: Optional[Sequence[str]] = None,
                            clip_frames: Optional[int] = None,
                            show_progress: bool = False) -> AnnotationReport:
    """Check a parsed annotation file of mmdet's video format.

    Args:
        data: the parsed json.
        source (str): the file, quoted in messages.
        classes (Sequence[str], optional): the dataset's classes; then the
            categories must hold them in this order, and annotations of
            other categories are skips.
        clip_frames (int, optional): frames per training clip; shorter
            videos get a warning.
        show_progress (bool): a progress bar over the annotations.

    Returns:
        AnnotationReport: every problem found, and the counts (videos,
        frames, instances, boxes, categories).
    """
    report = AnnotationReport(source)
    checker = _Checker(report, classes, clip_frames)
    if not checker.check_top_level(data):
        return report
    checker.check_categories(data['categories'])
    checker.check_videos(data.get('videos'))
    checker.check_images(data['images'], videos_listed='videos' in data)
    checker.check_video_frames()
    checker.check_annotations(data.get('annotations') or [], show_progress)
    checker.check_import_skips(data.get('import_skips'))
    checker.check_video_lengths(annotated=bool(data.get('annotations')))
    report.counts = checker.counts(data)
    return report
