from .hooks import VISVisualizationHook

__all__ = ['VISVisualizationHook']
