from .blobs_vis import BLOB_CLASSES, render_blob_video
from .shapes_vis import (SHAPE_CLASSES, STYLES, generate_shapes_vis,
                         generation_settings, render_shapes_video,
                         shape_polygon)
from .single_object_images import (ObjectImages, crop_blob_videos,
                                   render_blob_images)

__all__ = [
    'BLOB_CLASSES', 'ObjectImages', 'SHAPE_CLASSES', 'crop_blob_videos',
    'STYLES', 'generate_shapes_vis', 'generation_settings',
    'render_blob_images', 'render_blob_video', 'render_shapes_video',
    'shape_polygon'
]
