from .blobs_vis import BLOB_CLASSES, render_blob_video
from .shapes_vis import (SHAPE_CLASSES, STYLES, generate_shapes_vis,
                         generation_settings, render_shapes_video,
                         shape_polygon)

__all__ = [
    'BLOB_CLASSES', 'SHAPE_CLASSES', 'STYLES', 'generate_shapes_vis',
    'generation_settings', 'render_blob_video', 'render_shapes_video',
    'shape_polygon'
]
