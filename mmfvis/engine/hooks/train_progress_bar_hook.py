import time
from typing import Optional

import torch
from mmengine.dist import is_main_process
from mmengine.hooks import Hook
from mmengine.logging import print_log
from mmengine.registry import HOOKS
from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn,
                           TimeElapsedColumn, TimeRemainingColumn)

__all__ = ['TrainProgressBarHook']


def _minutes(seconds: float) -> str:
    return f'{seconds / 60:.1f} min'


@HOOKS.register_module()
class TrainProgressBarHook(Hook):
    """A progress bar over the training iterations, with the current loss,
    and log lines with the time left, which a log that is not a terminal
    shows too.

    Drawn by the main process only; a resumed run starts the bar at the
    resumed iteration. After ``measure_iters`` iterations (the first one,
    slower, left out) the log says how long an iteration takes and about
    how long the rest of training will; then every ``report_fraction`` of
    the run it says where training is. Pair it with a sparse logger
    interval to keep the terminal readable.

    Args:
        measure_iters (int): iterations timed for the first estimate.
        report_fraction (float): share of the run between two log lines.
    """
    priority = 'LOW'

    def __init__(self,
                 measure_iters: int = 20,
                 report_fraction: float = 0.1) -> None:
        self.measure_iters = measure_iters
        self.report_fraction = report_fraction
        self._progress: Optional[Progress] = None
        self._task = None
        self._clock = None

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
        self._clock = dict(first_iter=runner.iter, start=None)

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
        self._log_time_left(runner.iter + 1, runner.max_iters)

    def _log_time_left(self, done: int, total: int) -> None:
        """Log the time left after the measured iterations, then every
        ``report_fraction`` of the run; ``done`` counts from 1."""
        clock = self._clock
        if done == clock['first_iter'] + 1:
            clock['start'] = time.monotonic()
            return
        timed = done - clock['first_iter'] - 1
        report_every = max(int(total * self.report_fraction), 1)
        if timed <= 0 or done == total or (timed != self.measure_iters
                                           and done % report_every):
            return
        elapsed = time.monotonic() - clock['start']
        per_iter = elapsed / timed
        left = per_iter * (total - done)
        if timed == self.measure_iters:
            print_log(
                f'training: {per_iter:.2f} s an iteration over {timed} '
                f'iterations: about {_minutes(left)} for the '
                f'{total - done} left',
                logger='current')
        else:
            print_log(
                f'training: iteration {done}/{total} '
                f'({100 * done / total:.0f}%), {_minutes(elapsed)} '
                f'elapsed, about {_minutes(left)} left',
                logger='current')

    def after_train(self, runner) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None
