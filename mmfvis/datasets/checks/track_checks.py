"""Checks of an annotation file's ``annotations``: each box, its frame and
category, and its track (one instance id a frame, one category a track)."""
import sys
from collections import defaultdict
from typing import Callable, Dict, List

from tqdm import tqdm

from .annotation_places import Problem, is_id, is_positive_int
from .annotation_report import AnnotationReport
from .box_checks import box_problem, is_finite_number
from .category_checks import CategoryCheck
from .frame_checks import VideoFrameCheck

__all__ = ['AnnotationTrackCheck']


class AnnotationTrackCheck:
    """The ``annotations`` section, checked into a report against the
    checked categories and frames.

    Args:
        report (AnnotationReport): where the problems go.
        categories (CategoryCheck): the checked ``categories``.
        frames (VideoFrameCheck): the checked ``videos`` and ``images``.

    Attributes:
        annotated_images (set): the ids of the images that keep at least
            one annotation (neither an error nor a skip).
        instance_category (dict): (video id, instance id) -> (category id,
            place of its first annotation).
    """

    def __init__(self, report: AnnotationReport, categories: CategoryCheck,
                 frames: VideoFrameCheck):
        self.report = report
        self.categories = categories
        self.frames = frames
        self.annotated_images: set = set()
        self.instance_category: Dict = {}
        # image id -> its instance ids: a set per frame holds millions of
        # boxes in a tenth of the memory of a set of (image, instance) pairs
        self.instances_in_frame: Dict = defaultdict(set)

    def check(self, annotations: list, show_progress: bool) -> None:
        """Each annotation's id, unique, then its fields."""
        annotation_ids = set()
        for index, annotation in enumerate(
                tqdm(
                    annotations,
                    desc='checking annotations',
                    unit=' boxes',
                    file=sys.stderr,
                    disable=not show_progress)):
            if not isinstance(annotation, dict) or not is_id(
                    annotation.get('id')):
                self.report.add(
                    'error', 'malformed annotation', f'annotation #{index}',
                    f"must be an object with an 'id', got {annotation!r}")
            elif annotation['id'] in annotation_ids:
                self.report.add('error', 'duplicate id',
                                f"annotation {annotation['id']!r}",
                                'duplicate annotation id')
            else:
                annotation_ids.add(annotation['id'])
                self._annotation(annotation)

    def _annotation(self, annotation: dict) -> None:
        image_id = annotation.get('image_id')
        image = self.frames.images.get(image_id) if is_id(image_id) else None
        if image is None:
            if image_id not in self.frames.all_image_ids:
                self.report.add(
                    'error', 'annotation of no image',
                    f"annotation {annotation['id']!r}",
                    f"field 'image_id' is {image_id!r}, which names no "
                    'image')
            return

        # the place is written out only for a problem: formatting it for
        # each of millions of boxes took a tenth of a check
        def where() -> str:
            return (f'{self.frames.frame_where(image)}, annotation '
                    f"{annotation['id']!r}")

        box = box_problem(
            annotation.get('bbox'), image['width'], image['height'])
        errors = self._annotation_errors(annotation, image, where)
        if box is not None and box[0] == 'error':
            errors.append(box)
        for _, kind, message in errors:
            self.report.add('error', kind, where(), message)
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
        if not is_id(category_id) or \
                category_id not in self.categories.names:
            problems.append(('error', 'undeclared category',
                             f"field 'category_id' is {category_id!r}, not "
                             f'among the categories '
                             f'{sorted(self.categories.names)}'))
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
        if not is_positive_int(instance_id):
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
        class_ids = self.categories.class_category_ids
        if class_ids is not None and category_id not in class_ids:
            reasons.append(
                ('skip', 'category not among the classes',
                 f'category {category_id!r} '
                 f'({self.categories.names[category_id]!r}) is not among the '
                 "dataset's classes"))
        if annotation.get('ignore', False):
            reasons.append(('skip', 'marked ignore',
                            "field 'ignore' is set: mmdet leaves it out"))
        if annotation.get('area') == 0:
            reasons.append(('skip', 'zero area', "field 'area' is 0"))
        return reasons
