from .hooks import (AtomicCheckpointHook, TrainProgressBarHook,
                    VISVisualizationHook)
from .runner import BoxSupervisedRunner, apply_box_supervision

__all__ = [
    'AtomicCheckpointHook', 'BoxSupervisedRunner', 'TrainProgressBarHook',
    'VISVisualizationHook', 'apply_box_supervision'
]
