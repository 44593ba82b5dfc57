from .hooks import (AtomicCheckpointHook, TrainProgressBarHook,
                    VISVisualizationHook)
from .optimizers import MergedGroupsOptimWrapperConstructor, merge_param_groups
from .runner import BoxSupervisedRunner, apply_box_supervision

__all__ = [
    'AtomicCheckpointHook', 'BoxSupervisedRunner',
    'MergedGroupsOptimWrapperConstructor', 'TrainProgressBarHook',
    'VISVisualizationHook', 'apply_box_supervision', 'merge_param_groups'
]
