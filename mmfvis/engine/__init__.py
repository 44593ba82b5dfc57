from .hooks import TrainProgressBarHook, VISVisualizationHook
from .runner import BoxSupervisedRunner, apply_box_supervision

__all__ = [
    'BoxSupervisedRunner', 'TrainProgressBarHook', 'VISVisualizationHook',
    'apply_box_supervision'
]
