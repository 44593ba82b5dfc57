from .annotation_json import load_annotation_json
from .annotation_report import AnnotationReport, VideoAnnotationError
from .checked_video_dataset import CheckedVideoDataset
from .checked_youtube_vis_dataset import CheckedYouTubeVISDataset
from .coco_video_classes import (COCO_TO_YTVIS_2019, COCO_TO_YTVIS_2021,
                                 relabel_coco_to_classes)
from .shapes_coco_dataset import ShapesCocoDataset
from .shapes_vis_dataset import ShapesVISDataset
from .synthetic import SHAPE_CLASSES, generate_shapes_vis
from .transforms import (ClipFrameSample, FrameLoadError, ImageToPseudoClip,
                         LoadFrameFromFile)
from .video_annotation_checks import check_video_annotations
from .youtube_vis_format import (YouTubeVISFormatError, check_youtube_vis,
                                 convert_youtube_vis, validate_youtube_vis)

__all__ = [
    'COCO_TO_YTVIS_2019', 'COCO_TO_YTVIS_2021', 'SHAPE_CLASSES',
    'AnnotationReport', 'CheckedVideoDataset', 'CheckedYouTubeVISDataset',
    'ClipFrameSample', 'FrameLoadError', 'ImageToPseudoClip',
    'LoadFrameFromFile', 'ShapesCocoDataset', 'ShapesVISDataset',
    'VideoAnnotationError', 'YouTubeVISFormatError', 'check_video_annotations',
    'check_youtube_vis', 'convert_youtube_vis', 'generate_shapes_vis',
    'load_annotation_json', 'relabel_coco_to_classes', 'validate_youtube_vis'
]
