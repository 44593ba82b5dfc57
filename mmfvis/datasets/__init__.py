from .annotation_json import load_annotation_json
from .annotation_report import AnnotationReport, VideoAnnotationError
from .checked_video_dataset import CheckedVideoDataset
from .checked_youtube_vis_dataset import CheckedYouTubeVISDataset
from .shapes_vis_dataset import ShapesVISDataset
from .synthetic import SHAPE_CLASSES, generate_shapes_vis
from .transforms import ClipFrameSample, FrameLoadError, LoadFrameFromFile
from .video_annotation_checks import check_video_annotations
from .youtube_vis_format import (YouTubeVISFormatError, check_youtube_vis,
                                 convert_youtube_vis, validate_youtube_vis)

__all__ = [
    'SHAPE_CLASSES', 'AnnotationReport', 'CheckedVideoDataset',
    'CheckedYouTubeVISDataset', 'ClipFrameSample', 'FrameLoadError',
    'LoadFrameFromFile', 'ShapesVISDataset', 'VideoAnnotationError',
    'YouTubeVISFormatError', 'check_video_annotations', 'check_youtube_vis',
    'convert_youtube_vis', 'generate_shapes_vis', 'load_annotation_json',
    'validate_youtube_vis'
]
