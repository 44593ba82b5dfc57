from .annotation_json import load_annotation_json
from .annotation_report import (AnnotationProblem, AnnotationReport,
                                VideoAnnotationError)
from .box_checks import box_problem
from .checked_video_dataset import CheckedVideoDataset
from .checked_video_dataset_mixin import CheckedVideoDatasetMixin
from .checked_youtube_vis_dataset import CheckedYouTubeVISDataset
from .frame_file_checks import check_frame_files
from .shapes_vis_dataset import ShapesVISDataset
from .synthetic import SHAPE_CLASSES, generate_shapes_vis
from .transforms import ClipFrameSample, FrameLoadError, LoadFrameFromFile
from .video_annotation_checks import check_video_annotations, frame_files
from .youtube_vis_format import (YouTubeVISFormatError, check_youtube_vis,
                                 convert_youtube_vis, is_official_youtube_vis,
                                 validate_youtube_vis, youtube_vis_frame_files)

__all__ = [
    'SHAPE_CLASSES', 'AnnotationProblem', 'AnnotationReport',
    'CheckedVideoDataset', 'CheckedVideoDatasetMixin',
    'CheckedYouTubeVISDataset', 'ClipFrameSample', 'FrameLoadError',
    'LoadFrameFromFile', 'ShapesVISDataset', 'VideoAnnotationError',
    'YouTubeVISFormatError', 'box_problem', 'check_frame_files',
    'check_video_annotations', 'check_youtube_vis', 'convert_youtube_vis',
    'frame_files', 'generate_shapes_vis', 'is_official_youtube_vis',
    'load_annotation_json', 'validate_youtube_vis', 'youtube_vis_frame_files'
]
