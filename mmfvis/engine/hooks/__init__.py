from .atomic_checkpoint_hook import AtomicCheckpointHook
from .train_progress_bar_hook import TrainProgressBarHook
from .vis_visualization_hook import VISVisualizationHook

__all__ = [
    'AtomicCheckpointHook', 'TrainProgressBarHook', 'VISVisualizationHook'
]
