"""Hooks that training-process tests load through a config's
``custom_imports``: record what each iteration sees, poison a loss, signal
one process of a distributed run, or SIGKILL the process in the middle of
writing a checkpoint."""
import json
import math
import os
import os.path as osp
import signal
import time

from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper
from mmengine.registry import HOOKS

from mmfvis.fileio import atomic_local_backend

PROBE_FILE = 'iterations.jsonl'
SIGNALLED_FILE = 'signalled.json'


def weights_file(at_iter):
    """Where :class:`WeightProbeHook` records the weights of ``at_iter``."""
    return f'weights_iter_{at_iter}.json'


def _model(runner):
    if is_model_wrapper(runner.model):
        return runner.model.module
    return runner.model


def _track_head(runner):
    return _model(runner).track_head


@HOOKS.register_module()
class IterationProbeHook(Hook):
    """Appends, before each training iteration, a json line to
    ``<work_dir>/iterations.jsonl``: the process id, the 0-based iteration,
    the learning rate of the first parameter group and the TK-loss warm-up
    factor the loss will use."""
    priority = 'LOWEST'  # after RuntimeInfoHook has set the iteration

    def before_train_iter(self, runner, batch_idx, data_batch=None):
        record = dict(
            pid=os.getpid(),
            iter=runner.iter,
            lr=runner.optim_wrapper.get_lr()['lr'][0],
            tk_warmup=_track_head(runner).loss_temp.warmup_factor())
        with open(osp.join(runner.work_dir, PROBE_FILE), 'a') as file:
            file.write(json.dumps(record) + '\n')
            file.flush()


@HOOKS.register_module()
class WeightProbeHook(Hook):
    """Writes, before 0-based iteration ``at_iter``, the float64 sum of
    every parameter of the model by name to ``<work_dir>/``
    :func:`weights_file`: the weights that iteration starts from."""
    priority = 'LOWEST'

    def __init__(self, at_iter: int = 0):
        self.at_iter = at_iter

    def before_train_iter(self, runner, batch_idx, data_batch=None):
        if runner.iter != self.at_iter:
            return
        sums = {
            name: parameter.detach().double().sum().item()
            for name, parameter in _model(runner).named_parameters()
        }
        with open(osp.join(runner.work_dir, weights_file(self.at_iter)),
                  'w') as file:
            json.dump(sums, file)


@HOOKS.register_module()
class PoisonLossHook(Hook):
    """Makes the ``term`` loss weight NaN from 0-based iteration
    ``at_iter`` on, in the process of ``rank`` only (None: in all)."""

    def __init__(self, at_iter: int, term: str = 'loss_temp', rank=None):
        self.at_iter = at_iter
        self.term = term
        self.rank = rank

    def before_train_iter(self, runner, batch_idx, data_batch=None):
        if runner.iter == self.at_iter and self.rank in (None, runner.rank):
            getattr(_track_head(runner), self.term).loss_weight = math.nan


@HOOKS.register_module()
class SignalRankHook(Hook):
    """Sends ``signal_name`` (e.g. ``'SIGKILL'``, ``'SIGSTOP'``) to the
    process of ``rank`` before 0-based iteration ``at_iter``, after writing
    the time to ``<work_dir>/signalled.json``."""
    priority = 'LOWEST'

    def __init__(self, at_iter: int, rank: int, signal_name: str):
        self.at_iter = at_iter
        self.rank = rank
        self.signal = getattr(signal, signal_name)

    def before_train_iter(self, runner, batch_idx, data_batch=None):
        if runner.iter != self.at_iter or runner.rank != self.rank:
            return
        with open(osp.join(runner.work_dir, SIGNALLED_FILE), 'w') as file:
            json.dump(dict(pid=os.getpid(), time=time.time()), file)
        os.kill(os.getpid(), self.signal)


def _write_half_then_die(file, data):
    file.write(data[:len(data) // 2])
    file.flush()
    os.fsync(file.fileno())
    os.kill(os.getpid(), signal.SIGKILL)


@HOOKS.register_module()
class KillDuringCheckpointWriteHook(Hook):
    """SIGKILLs the process halfway through writing the checkpoint of
    iteration ``at_iter`` (1-based, as checkpoints are named)."""

    def __init__(self, at_iter: int):
        self.at_iter = at_iter

    def before_save_checkpoint(self, runner, checkpoint):
        if checkpoint['meta']['iter'] == self.at_iter:
            atomic_local_backend._write_synced = _write_half_then_die
