from .train_progress_bar_hook import TrainProgressBarHook
from .vis_visualization_hook import VISVisualizationHook

__all__ = ['TrainProgressBarHook', 'VISVisualizationHook']
