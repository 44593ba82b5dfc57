from .shapes_vis_dataset import ShapesVISDataset
from .synthetic import SHAPE_CLASSES, generate_shapes_vis
from .transforms import ClipFrameSample
from .youtube_vis_format import convert_youtube_vis

__all__ = [
    'SHAPE_CLASSES', 'ClipFrameSample', 'ShapesVISDataset',
    'convert_youtube_vis', 'generate_shapes_vis'
]
