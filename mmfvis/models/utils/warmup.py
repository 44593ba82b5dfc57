"""A linear warm-up of a loss's weight over the first training iterations.
"""
from typing import Optional

from mmengine.logging import MessageHub

__all__ = ['LinearWarmupMixin']


class LinearWarmupMixin:
    """Gives a loss ``warmup_iters``, ``warmup_begin`` and
    :meth:`warmup_factor`.

    The factor is ``min(max(iteration - warmup_begin, 0) / warmup_iters,
    1)``: 0 until ``warmup_begin``, then a linear ramp. The iteration is the
    one passed, else mmengine's ``MessageHub.get_current_instance()
    .get_info('iter')``, which the runner's ``RuntimeInfoHook`` sets before
    every training iteration (0-based) and which is restored on resume.
    Without either (outside a runner), or with ``warmup_iters`` and
    ``warmup_begin`` 0, the factor is 1.
    """

    def _set_warmup(self, warmup_iters: int, warmup_begin: int = 0) -> None:
        if warmup_iters < 0:
            raise ValueError(f'warmup_iters must be >= 0, got {warmup_iters}')
        if warmup_begin < 0:
            raise ValueError(f'warmup_begin must be >= 0, got {warmup_begin}')
        self.warmup_iters = warmup_iters
        self.warmup_begin = warmup_begin

    def warmup_factor(self, iteration: Optional[int] = None) -> float:
        """``min(max(iteration - warmup_begin, 0) / warmup_iters, 1)``, the
        iteration from the MessageHub if None."""
        if iteration is None:
            iteration = MessageHub.get_current_instance().get_info('iter')
        if iteration is None:
            return 1.0
        ramped = float(iteration) - self.warmup_begin
        if ramped < 0:
            return 0.0
        if self.warmup_iters == 0:
            return 1.0
        return min(ramped / self.warmup_iters, 1.0)
