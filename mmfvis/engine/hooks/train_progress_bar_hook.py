from typing import Optional

import torch
from mmengine.dist import is_main_process
from mmengine.hooks import Hook
from mmengine.registry import HOOKS
from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn,
                           TimeElapsedColumn, TimeRemainingColumn)

__all__ = ['TrainProgressBarHook']


@HOOKS.register_module()
class TrainProgressBarHook(Hook):
    """A progress bar over the training iterations, with the current loss.

    Drawn by the main process only; a resumed run starts the bar at the
    resumed iteration. Pair it with a sparse logger interval to keep the
    terminal readable.
    """
    priority = 'LOW'

    def __init__(self) -> None:
        self._progress: Optional[Progress] = None
        self._task = None

    def before_train(self, runner) -> None:
        if not is_main_process():
            return
        self._progress = Progress(
            TextColumn('training'), BarColumn(), MofNCompleteColumn(),
            TextColumn('loss {task.fields[loss]}'), TimeElapsedColumn(),
            TextColumn('eta'), TimeRemainingColumn())
        self._task = self._progress.add_task(
            'train', total=runner.max_iters, completed=runner.iter, loss='-')
        self._progress.start()

    def after_train_iter(self,
                         runner,
                         batch_idx: int,
                         data_batch=None,
                         outputs: Optional[dict] = None) -> None:
        if self._progress is None:
            return
        loss = (outputs or {}).get('loss')
        if isinstance(loss, torch.Tensor):
            loss = loss.detach()
        self._progress.update(
            self._task,
            advance=1,
            loss='-' if loss is None else f'{float(loss):.3f}')

    def after_train(self, runner) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None
