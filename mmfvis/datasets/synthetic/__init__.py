from .shapes_vis import (SHAPE_CLASSES, generate_shapes_vis,
                         generation_settings, shape_polygon)

__all__ = [
    'SHAPE_CLASSES', 'generate_shapes_vis', 'generation_settings',
    'shape_polygon'
]
