from .annotation_json import load_annotation_json
from .annotation_report import AnnotationReport, VideoAnnotationError
from .bdd100k_format import BDD100K_CLASSES, read_bdd100k
from .box_tracks import (BoxTrackFormatError, box_tracks_to_mmdet,
                         import_box_tracks, import_summary, save_imported)
from .checked_video_dataset import CheckedVideoDataset
from .checked_youtube_vis_dataset import CheckedYouTubeVISDataset
from .coco_video_classes import (COCO_TO_YTVIS_2019, COCO_TO_YTVIS_2021,
                                 relabel_coco_to_classes)
from .cvat_video_format import read_cvat_exports
from .mot_format import MOT17_CLASSES, read_mot_sequences
from .shapes_coco_dataset import ShapesCocoDataset
from .shapes_vis_dataset import ShapesVISDataset
from .synthetic import SHAPE_CLASSES, generate_shapes_vis
from .transforms import (ClipFrameSample, FrameLoadError, ImageToPseudoClip,
                         LoadFrameFromFile)
from .video_annotation_checks import check_video_annotations
from .youtube_vis_format import (YouTubeVISFormatError, check_youtube_vis,
                                 convert_youtube_vis, validate_youtube_vis)

__all__ = [
    'BDD100K_CLASSES', 'COCO_TO_YTVIS_2019', 'COCO_TO_YTVIS_2021',
    'MOT17_CLASSES', 'SHAPE_CLASSES', 'AnnotationReport',
    'BoxTrackFormatError', 'CheckedVideoDataset', 'CheckedYouTubeVISDataset',
    'ClipFrameSample', 'FrameLoadError', 'ImageToPseudoClip',
    'LoadFrameFromFile', 'ShapesCocoDataset', 'ShapesVISDataset',
    'VideoAnnotationError', 'YouTubeVISFormatError', 'box_tracks_to_mmdet',
    'import_box_tracks', 'check_video_annotations', 'check_youtube_vis',
    'convert_youtube_vis', 'generate_shapes_vis', 'import_summary',
    'load_annotation_json', 'read_bdd100k', 'read_cvat_exports',
    'read_mot_sequences', 'relabel_coco_to_classes', 'save_imported',
    'validate_youtube_vis'
]
