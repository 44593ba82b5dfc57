from .shapes_vis_dataset import ShapesVISDataset
from .synthetic import SHAPE_CLASSES, generate_shapes_vis
from .transforms import ClipFrameSample
from .youtube_vis_format import (YouTubeVISFormatError, convert_youtube_vis,
                                 validate_youtube_vis)

__all__ = [
    'SHAPE_CLASSES', 'ClipFrameSample', 'ShapesVISDataset',
    'YouTubeVISFormatError', 'convert_youtube_vis', 'generate_shapes_vis',
    'validate_youtube_vis'
]
