"""Offline importers: readers of source formats (official YouTube-VIS /
OVIS, MOTChallenge, BDD100K, CVAT, COCO images) written as mmdet's video
format, which the training datasets read. ``tools/dataset_converters/``
runs them."""
from .bdd100k_format import BDD100K_CLASSES, read_bdd100k
from .box_tracks import (box_tracks_to_mmdet, import_box_tracks,
                         import_summary, save_imported)
from .coco_video_classes import (COCO_TO_YTVIS_2019, COCO_TO_YTVIS_2021,
                                 relabel_coco_to_classes)
from .cvat_video_format import read_cvat_exports
from .format_errors import (AnnotationFormatError, BoxTrackFormatError,
                            YouTubeVISFormatError)
from .mot_format import MOT17_CLASSES, read_mot_sequences
from .youtube_vis_format import (check_youtube_vis, convert_youtube_vis,
                                 validate_youtube_vis, youtube_vis_frame_files)

__all__ = [
    'BDD100K_CLASSES', 'COCO_TO_YTVIS_2019', 'COCO_TO_YTVIS_2021',
    'MOT17_CLASSES', 'AnnotationFormatError', 'BoxTrackFormatError',
    'YouTubeVISFormatError', 'box_tracks_to_mmdet', 'check_youtube_vis',
    'convert_youtube_vis', 'import_box_tracks', 'import_summary',
    'read_bdd100k', 'read_cvat_exports', 'read_mot_sequences',
    'relabel_coco_to_classes', 'save_imported', 'validate_youtube_vis',
    'youtube_vis_frame_files'
]
