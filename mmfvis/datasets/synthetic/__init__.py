from .shapes_vis import SHAPE_CLASSES, generate_shapes_vis, shape_polygon

__all__ = ['SHAPE_CLASSES', 'generate_shapes_vis', 'shape_polygon']
