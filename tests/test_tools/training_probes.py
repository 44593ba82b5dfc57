"""Hooks that training-process tests load through a config's
``custom_imports``: record what each iteration sees, poison a loss, or
SIGKILL the process in the middle of writing a checkpoint."""
import json
import math
import os
import os.path as osp
import signal

from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper
from mmengine.registry import HOOKS

from mmfvis.fileio import atomic_local_backend

PROBE_FILE = 'iterations.jsonl'


def _track_head(runner):
    model = runner.model.module if is_model_wrapper(
        runner.model) else runner.model
    return model.track_head


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
class PoisonLossHook(Hook):
    """Makes the ``term`` loss weight NaN from 0-based iteration
    ``at_iter`` on."""

    def __init__(self, at_iter: int, term: str = 'loss_temp'):
        self.at_iter = at_iter
        self.term = term

    def before_train_iter(self, runner, batch_idx, data_batch=None):
        if runner.iter == self.at_iter:
            getattr(_track_head(runner), self.term).loss_weight = math.nan


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
