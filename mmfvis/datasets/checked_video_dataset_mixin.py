"""Annotation checks for mmdet's video datasets, on load."""
import copy
import logging
from typing import List, Optional

from mmengine.logging import print_log

from .annotation_json import load_annotation_json
from .annotation_report import AnnotationReport
from .video_annotation_checks import check_video_annotations

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
      naming its video and frame.

    The report stays in ``self.annotation_report``.
    """

    def __init__(self, *args, **kwargs):
        if isinstance(kwargs.get('pipeline'), list):
            kwargs['pipeline'] = _load_frames_with_names(kwargs['pipeline'])
        self.annotation_report: Optional[AnnotationReport] = None
        self._skipped_annotation_ids = set()
        super().__init__(*args, **kwargs)

    def load_data_list(self) -> List[dict]:
        report = self._check_annotation_file()
        self._skipped_annotation_ids = report.skipped_annotation_ids
        data_list = super().load_data_list()
        for video in data_list:
            if all('frame_id' in frame for frame in video['images']):
                video['images'].sort(key=lambda frame: frame['frame_id'])
        return data_list

    def _check_annotation_file(self) -> AnnotationReport:
        annotations = load_annotation_json(self.ann_file,
                                           getattr(self, 'backend_args', None))
        report = check_video_annotations(
            annotations,
            self.ann_file,
            classes=self.metainfo.get('classes'),
            clip_frames=None if self.test_mode else self._clip_frames())
        self.annotation_report = report
        report.raise_errors()
        self._log_report(report)
        return report

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

    def parse_data_info(self, raw_data_info: dict) -> dict:
        """mmdet's parsing, after the checks' skips are taken out."""
        annotations = [
            self._with_area(annotation)
            for annotation in raw_data_info['raw_ann_info']
            if annotation['id'] not in self._skipped_annotation_ids
        ]
        return super().parse_data_info(
            dict(raw_data_info, raw_ann_info=annotations))

    @staticmethod
    def _with_area(annotation: dict) -> dict:
        if 'area' in annotation:
            return annotation
        width, height = annotation['bbox'][2:]
        return dict(annotation, area=width * height)

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
