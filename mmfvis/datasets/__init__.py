from .coco_video_classes import (COCO_TO_YTVIS_2019, COCO_TO_YTVIS_2021,
                                 relabel_coco_to_classes)
from .shapes_coco_dataset import ShapesCocoDataset
from .shapes_vis_dataset import ShapesVISDataset
from .synthetic import SHAPE_CLASSES, generate_shapes_vis
from .transforms import ClipFrameSample, ImageToPseudoClip
from .youtube_vis_format import (YouTubeVISFormatError, convert_youtube_vis,
                                 validate_youtube_vis)

__all__ = [
    'COCO_TO_YTVIS_2019', 'COCO_TO_YTVIS_2021', 'relabel_coco_to_classes',
    'SHAPE_CLASSES', 'ClipFrameSample', 'ImageToPseudoClip',
    'ShapesCocoDataset', 'ShapesVISDataset', 'YouTubeVISFormatError',
    'convert_youtube_vis', 'generate_shapes_vis', 'validate_youtube_vis'
]
