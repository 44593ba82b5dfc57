"""mmfvis's datasets: at the top, what runs in training (the registered
datasets, ``transforms/``, the generated ``synthetic/`` data); ``checks/``
the annotation checks run on load and by ``tools/misc/check_dataset.py``;
``importers/`` the offline readers of source formats that
``tools/dataset_converters/`` runs."""
from .checked_video_dataset import CheckedVideoDataset
from .checked_youtube_vis_dataset import CheckedYouTubeVISDataset
from .checks import (AnnotationReport, VideoAnnotationError,
                     check_video_annotations, load_annotation_json)
from .importers import (
    BDD100K_CLASSES, COCO_TO_YTVIS_2019, COCO_TO_YTVIS_2021, MOT17_CLASSES,
    BoxTrackFormatError, YouTubeVISFormatError, box_tracks_to_mmdet,
    check_youtube_vis, convert_youtube_vis, import_box_tracks, import_summary,
    read_bdd100k, read_cvat_exports, read_mot_sequences,
    relabel_coco_to_classes, save_imported, validate_youtube_vis)
from .shapes_coco_dataset import ShapesCocoDataset
from .shapes_vis_dataset import ShapesVISDataset
from .synthetic import SHAPE_CLASSES, generate_shapes_vis
from .transforms import (ClipFrameSample, FrameLoadError, ImageToPseudoClip,
                         LoadFrameFromFile)

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
