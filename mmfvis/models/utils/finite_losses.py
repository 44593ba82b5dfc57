"""Stop training on a NaN or infinite loss, before the optimizer step."""
import math
from typing import Dict, Optional

import torch
import torch.distributed as torch_dist
from mmengine.logging import MessageHub
from torch import Tensor

__all__ = ['NonFiniteLossError', 'check_finite_losses']


class NonFiniteLossError(FloatingPointError):
    """A loss term is NaN or infinite; training stops before the optimizer
    step would write it into the weights."""


def _flags_of_all_processes(bad: Tensor) -> Tensor:
    """``bad`` summed over the processes of a distributed run: a process
    stopping alone would leave the others waiting in the gradient
    all-reduce."""
    if torch_dist.is_available() and torch_dist.is_initialized():
        bad = bad.to(torch.int32)
        torch_dist.all_reduce(bad)
    return bad > 0


def _iteration_text() -> str:
    iteration: Optional[int] = MessageHub.get_current_instance().get_info(
        'iter')
    if iteration is None:
        return 'outside a training loop'
    return (f'at training iteration {iteration + 1} (as the log counts; '
            f'0-based {iteration})')


def check_finite_losses(losses: Dict[str, Tensor],
                        batch: str = 'the batch') -> None:
    """Raise if any loss term is NaN or infinite.

    Costs one stack of the scalars and one device sync; in a distributed
    run, one all-reduce of a flag per term, so that every process stops at
    the same iteration.

    Args:
        losses (dict[str, Tensor]): scalar loss terms by name.
        batch (str): what the batch holds, quoted in the message, e.g.
            ``'batch of videos [3, 8]'``.

    Raises:
        NonFiniteLossError: naming the iteration (the runner's, from the
            MessageHub) and each non-finite term with its value here.
    """
    names = list(losses)
    values = torch.stack(
        [losses[name].detach().float().reshape(()) for name in names])
    bad = _flags_of_all_processes(~torch.isfinite(values))
    if not bool(bad.any()):
        return
    terms = [
        f'{name} (non-finite in another process)'
        if math.isfinite(value) else f'{name} = {value}'
        for name, value, is_bad in zip(names, values.tolist(), bad.tolist())
        if is_bad
    ]
    raise NonFiniteLossError(
        f"non-finite loss {_iteration_text()}: {', '.join(terms)}; "
        f'{batch}. Training stopped before the '
        'optimizer step: the weights and the checkpoints written so far '
        'are intact. See docs/troubleshooting.md, "A NaN or infinite loss".')
