from .train_progress_bar_hook import TrainProgressBarHook

__all__ = ['TrainProgressBarHook']
