"""Annotation checks for mmdet's video datasets, on load."""
import copy
import gc
import logging
from collections import defaultdict
from typing import Dict, List, Optional

from mmengine.logging import print_log

from .checks import (AnnotationReport, check_video_annotations,
                     load_annotation_json)
from .pickled_frames import PickledFrames

__all__ = ['CheckedVideoDatasetMixin']

# Examples of each kind of skip or warning written to the log.
LOGGED_EXAMPLES = 3


def _load_frames_with_names(pipeline: list) -> list:
    """The pipeline with every ``LoadImageFromFile`` (also inside wrappers
    such as ``TransformBroadcaster``) made a ``LoadFrameFromFile``."""
    pipeline = copy.deepcopy(pipeline)
    for transform in pipeline:
        if not isinstance(transform, dict):
            continue
        if transform.get('type') == 'LoadImageFromFile':
            transform['type'] = 'LoadFrameFromFile'
        if isinstance(transform.get('transforms'), list):
            transform['transforms'] = _load_frames_with_names(
                transform['transforms'])
    return pipeline


class CheckedVideoDatasetMixin:
    """Checks the annotation file of an mmdet video dataset as it loads.

    Mixed in before ``BaseVideoDataset`` or a subclass of it:

    - the file is read with errors naming it and the position of a syntax
      error (a truncated file says so), then checked with
      :func:`check_video_annotations` against the dataset's classes;
    - any error raises :class:`VideoAnnotationError` listing the errors
      (file, video, frame, annotation, field);
    - skips (boxes under a pixel or outside their frame, zero areas,
      ``ignore``, categories outside the classes: what mmdet drops
      silently) are dropped here instead and logged as warnings, per kind
      with counts and examples; so are warnings;
    - an annotation without ``area`` takes its box's area (box-only files);
    - a video's frames are sorted by ``frame_id``;
    - in training, videos left without any frame by mmdet's filtering are
      dropped and logged: no clip can be drawn from them;
    - frames load with :class:`LoadFrameFromFile` in place of
      ``LoadImageFromFile``: a missing or unreadable frame raises an error
      naming its video and frame;
    - with ``serialize_data`` (mmengine's default), each video's frames
      are serialized one by one (:class:`PickledFrames`): a clip unpickles
      its frames, not its whole video.

    The report stays in ``self.annotation_report``.
    """

    def __init__(self, *args, **kwargs):
        if isinstance(kwargs.get('pipeline'), list):
            kwargs['pipeline'] = _load_frames_with_names(kwargs['pipeline'])
        self.annotation_report: Optional[AnnotationReport] = None
        self._skipped_annotation_ids = set()
        super().__init__(*args, **kwargs)

    def load_data_list(self) -> List[dict]:
        """The checked file's videos, as mmdet's ``BaseVideoDataset``
        parses them, with each video's frames sorted by ``frame_id``."""
        # Millions of new dicts and lists, none of them garbage: Python's
        # cycle collector would walk them all again and again (a third of
        # a BDD100K build); the load makes no reference cycle.
        collecting = gc.isenabled()
        gc.disable()
        try:
            return self._load_videos()
        finally:
            if collecting:
                gc.enable()

    def _load_videos(self) -> List[dict]:
        annotations = load_annotation_json(self.ann_file,
                                           getattr(self, 'backend_args', None))
        report = self._check_annotations(annotations)
        self._skipped_annotation_ids = report.skipped_annotation_ids
        data_list = self._parse_videos(annotations)
        for video in data_list:
            if all('frame_id' in frame for frame in video['images']):
                video['images'].sort(key=lambda frame: frame['frame_id'])
        return data_list

    def _check_annotations(self, annotations: dict) -> AnnotationReport:
        report = check_video_annotations(
            annotations,
            self.ann_file,
            classes=self.metainfo.get('classes'),
            clip_frames=None if self.test_mode else self._clip_frames())
        self.annotation_report = report
        report.raise_errors()
        self._log_report(report)
        return report

    def _parse_videos(self, data: dict) -> List[dict]:
        """What mmdet's ``BaseVideoDataset.load_data_list`` gives, from the
        file parsed and checked already.

        mmdet reads the file a second time into a COCO index and copies
        its category-to-image map, a third of a build at 3 million boxes;
        the checks leave what the index guards against (duplicate ids,
        annotations of no image) an error. As mmdet's: videos in the order
        of their first frame, frames in file order, each parsed by
        ``parse_data_info`` with its annotations of the dataset's classes
        in file order; an image without ``video_id`` is a video of its
        own (ids from 100001). ``cat_ids``, ``cat2label``,
        ``cat_img_map`` and ``img_ids_with_ann`` are set for
        ``filter_data``.
        """
        frame_annotations = self._annotations_of_classes(data)
        self.img_ids_with_ann = set()
        videos = {}
        lone_video_id = 100000
        for image in data['images']:
            if 'video_id' in image:
                video_id = image['video_id']
            else:
                lone_video_id += 1
                video_id = lone_video_id
            video = videos.setdefault(
                video_id, dict(video_id=video_id, images=[], video_length=0))
            image['img_id'] = image['id']
            frame = self.parse_data_info(
                dict(
                    raw_img_info=image,
                    raw_ann_info=frame_annotations.pop(image['id'], [])))
            if frame['instances']:
                self.img_ids_with_ann.add(image['id'])
            video['images'].append(frame)
            video['video_length'] += 1
        return list(videos.values())

    def _annotations_of_classes(self, data: dict) -> Dict[int, List[dict]]:
        """Image id -> its annotations of the dataset's classes, in file
        order; ``cat_ids``, ``cat2label`` and ``cat_img_map`` set as
        mmdet's COCO index sets them."""
        classes = self.metainfo['classes']
        self.cat_ids = [
            category['id'] for category in data['categories']
            if category['name'] in classes
        ]
        self.cat2label = {
            category_id: label
            for label, category_id in enumerate(self.cat_ids)
        }
        self.cat_img_map = {category_id: set() for category_id in self.cat_ids}
        frame_annotations = defaultdict(list)
        for annotation in data.get('annotations') or []:
            images = self.cat_img_map.get(annotation['category_id'])
            if images is not None:
                images.add(annotation['image_id'])
                frame_annotations[annotation['image_id']].append(annotation)
        return frame_annotations

    def _clip_frames(self) -> Optional[int]:
        """Frames per training clip, from a sampler with ``num_frames``."""
        for transform in getattr(self.pipeline, 'transforms', []):
            if isinstance(getattr(transform, 'num_frames', None), int):
                return transform.num_frames
        return None

    @staticmethod
    def _log_report(report: AnnotationReport) -> None:
        skips, warnings = (
            report.kind_counts(severity) for severity in ('skip', 'warning'))
        if not skips and not warnings:
            print_log(
                f'{report.source}: checked {report.counts_line()}; no '
                'problem',
                logger='current')
            return
        lines = report.format(('skip', 'warning'), LOGGED_EXAMPLES)
        print_log(
            f'{report.source}: checked {report.counts_line()}; '
            f'{sum(skips.values())} skipped, {sum(warnings.values())} '
            'warning(s) (python tools/misc/check_dataset.py lists them all):'
            '\n' + '\n'.join(lines),
            logger='current',
            level=logging.WARNING)

    def _serialize_data(self):
        """mmengine's serialization, each video's ``images`` held as
        :class:`PickledFrames`."""
        for video in self.data_list:
            video['images'] = PickledFrames(video['images'])
        return super()._serialize_data()

    def parse_data_info(self, raw_data_info: dict) -> dict:
        """mmdet's parsing, after the checks' skips are taken out; an
        annotation without ``area`` is given its box's."""
        annotations = [
            annotation for annotation in raw_data_info['raw_ann_info']
            if annotation['id'] not in self._skipped_annotation_ids
        ]
        for annotation in annotations:
            if 'area' not in annotation:
                width, height = annotation['bbox'][2:]
                annotation['area'] = width * height
        return super().parse_data_info(
            dict(raw_data_info, raw_ann_info=annotations))

    def filter_data(self) -> List[dict]:
        """mmdet's filtering, then videos left without a frame dropped.

        mmdet leaves such a video in with ``video_length`` 0 (and its
        unfiltered ``images``): drawing a clip from it would fail.
        """
        videos = super().filter_data()
        empty = [
            video['video_id'] for video in videos
            if video['video_length'] <= 0 or not video['images']
        ]
        if empty:
            print_log(
                f'{self.ann_file}: {len(empty)} video(s) have no frame left '
                'after filtering (no kept annotation, or frames under '
                f'filter_cfg.min_size) and are skipped: video ids '
                f'{empty[:20]}{" ..." if len(empty) > 20 else ""}',
                logger='current',
                level=logging.WARNING)
        return [video for video in videos if video['video_id'] not in empty]
