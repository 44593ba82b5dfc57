from .vis_visualization_hook import VISVisualizationHook

__all__ = ['VISVisualizationHook']
