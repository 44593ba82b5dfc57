from .hooks import TrainProgressBarHook
from .runner import BoxSupervisedRunner, apply_box_supervision

__all__ = [
    'BoxSupervisedRunner', 'TrainProgressBarHook', 'apply_box_supervision'
]
