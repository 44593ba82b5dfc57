"""Checks of annotation files, run when a checked dataset loads and by
``tools/misc/check_dataset.py``: the json read, every section of mmdet's
video format checked, the frames found on disk, all in one report."""
from .annotation_json import is_official_youtube_vis, load_annotation_json
from .annotation_places import frame_files
from .annotation_report import (AnnotationProblem, AnnotationReport,
                                VideoAnnotationError)
from .box_checks import box_problem, is_finite_number
from .frame_file_checks import check_frame_files
from .video_annotation_checks import check_video_annotations

__all__ = [
    'AnnotationProblem', 'AnnotationReport', 'VideoAnnotationError',
    'box_problem', 'check_frame_files', 'check_video_annotations',
    'frame_files', 'is_finite_number', 'is_official_youtube_vis',
    'load_annotation_json'
]
