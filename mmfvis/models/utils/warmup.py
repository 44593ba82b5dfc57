"""A linear warm-up of a loss's weight over the first training iterations.
"""
from typing import Optional

from mmengine.logging import MessageHub

__all__ = ['LinearWarmupMixin']


class LinearWarmupMixin:
    """Gives a loss ``warmup_iters`` and :meth:`warmup_factor`.

    The factor is ``min(iteration / warmup_iters, 1)``. The iteration is the
    one passed, else mmengine's ``MessageHub.get_current_instance()
    .get_info('iter')``, which the runner's ``RuntimeInfoHook`` sets before
    every training iteration (0-based) and which is restored on resume.
    Without either (outside a runner), or with ``warmup_iters`` 0, the
    factor is 1.
    """

    def _set_warmup(self, warmup_iters: int) -> None:
        if warmup_iters < 0:
            raise ValueError(f'warmup_iters must be >= 0, got {warmup_iters}')
        self.warmup_iters = warmup_iters

    def warmup_factor(self, iteration: Optional[int] = None) -> float:
        """``min(iteration / warmup_iters, 1)``, from the MessageHub if None.
        """
        if iteration is None:
            iteration = MessageHub.get_current_instance().get_info('iter')
        if iteration is None or self.warmup_iters == 0:
            return 1.0
        return min(float(iteration) / self.warmup_iters, 1.0)
