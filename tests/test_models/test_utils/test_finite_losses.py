import math
import socket
import subprocess
import sys

import pytest
import torch
from mmengine.logging import MessageHub

from mmfvis.models.utils import (NonFiniteLossError, check_finite_losses,
                                 finite_losses)


def losses(**values):
    return {name: torch.tensor(value) for name, value in values.items()}


def test_finite_losses_pass():
    check_finite_losses(
        losses(loss_cls=1.0, loss_proj=0.0), 'batch of videos [3]')


def test_names_each_bad_term_and_says_when_no_runner_counts():
    MessageHub.get_instance('finite_losses_no_iteration')
    with pytest.raises(NonFiniteLossError) as raised:
        check_finite_losses(
            losses(
                loss_cls=1.0, loss_proj=math.inf,
                **{'d0.loss_pair': math.nan}), 'batch of videos [3, 8]')
    message = str(raised.value)
    assert message.startswith('non-finite loss outside a training loop: '
                              'loss_proj = inf, d0.loss_pair = nan; batch of '
                              'videos [3, 8].')
    assert 'loss_cls' not in message


# One process of a two-process gloo group: rank 1 has a NaN. The module is
# loaded from its file, which needs torch and mmengine only, to start fast.
CHECK_IN_ONE_OF_TWO = """
import importlib.util, math, sys
import torch, torch.distributed as torch_dist
spec = importlib.util.spec_from_file_location('finite_losses', sys.argv[1])
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
rank = int(sys.argv[2])
torch_dist.init_process_group(
    'gloo', init_method=f'tcp://127.0.0.1:{sys.argv[3]}', rank=rank,
    world_size=2)
losses = dict(loss_cls=torch.tensor(1.0),
              loss_temp=torch.tensor(math.nan if rank == 1 else 0.5))
try:
    module.check_finite_losses(losses, f'batch of rank {rank}')
    print('no error')
except module.NonFiniteLossError as error:
    print(error)
torch_dist.destroy_process_group()
"""


def test_a_nan_in_one_process_stops_the_other_too():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        port = str(sock.getsockname()[1])
    processes = [
        subprocess.Popen([
            sys.executable, '-c', CHECK_IN_ONE_OF_TWO, finite_losses.__file__,
            str(rank), port
        ],
                         stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE,
                         text=True) for rank in (0, 1)
    ]
    outputs = [process.communicate(timeout=120) for process in processes]
    messages = [stdout.strip().splitlines()[-1] for stdout, _ in outputs]
    assert messages[1].startswith(
        'non-finite loss outside a training loop: loss_temp = nan; batch of '
        'rank 1.'), outputs[1][1][-2000:]
    assert messages[0].startswith(
        'non-finite loss outside a training loop: loss_temp (non-finite in '
        'another process); batch of rank 0.'), outputs[0][1][-2000:]
