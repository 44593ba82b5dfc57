"""Config handling shared by ``tools/train.py`` and ``tools/test.py``."""
import argparse
import datetime
import os
import os.path as osp
from typing import Optional

import torch
import torch.distributed as torch_dist
from mmengine.config import Config, DictAction

__all__ = [
    'DictAction', 'add_cfg_options_argument', 'add_runner_arguments',
    'end_process_group', 'load_runner_config', 'use_atomic_checkpoints'
]


def _use_cpu_distributed(cfg: Config) -> None:
    """Run a torchrun-launched job on CPUs: gloo and DDP without devices.

    mmengine's launcher calls ``torch.cuda.set_device`` and its runner gives
    DDP a device id, both of which fail without CUDA. Starting the process
    group here makes mmengine skip its own start; it takes the
    ``env_cfg.dist_cfg.timeout`` (seconds) that mmengine's start takes.
    """
    cfg.setdefault('env_cfg', {}).setdefault('dist_cfg', {})
    if not torch_dist.is_initialized():
        timeout = cfg.env_cfg.dist_cfg.get('timeout')
        options = {} if timeout is None else dict(
            timeout=datetime.timedelta(seconds=timeout))
        torch_dist.init_process_group(
            backend='gloo',
            rank=int(os.environ['RANK']),
            world_size=int(os.environ['WORLD_SIZE']),
            **options)
    cfg.env_cfg.dist_cfg.backend = 'gloo'
    cfg.setdefault('model_wrapper_cfg', dict(type='MMDistributedDataParallel'))
    cfg.model_wrapper_cfg.update(
        device_ids=None,
        broadcast_buffers=False,
        find_unused_parameters=cfg.get('find_unused_parameters', False))


def use_atomic_checkpoints(cfg: Config) -> None:
    """Make mmengine's ``CheckpointHook`` an :class:`AtomicCheckpointHook`
    (same settings): a checkpoint or pointer cut short by a kill never
    becomes the one ``--resume`` takes."""
    checkpoint = cfg.get('default_hooks', {}).get('checkpoint')
    if checkpoint is not None and checkpoint.get('type') in (
            'CheckpointHook', 'mmengine.CheckpointHook'):
        checkpoint['type'] = 'AtomicCheckpointHook'


def add_cfg_options_argument(
        parser: argparse.ArgumentParser,
        help_text: str = 'override config settings') -> None:
    """mmdet's ``--cfg-options KEY=VALUE ...``, parsed into a dict."""
    parser.add_argument(
        '--cfg-options', nargs='+', action=DictAction, help=help_text)


def add_runner_arguments(parser: argparse.ArgumentParser,
                         cfg_options_example: str) -> None:
    """The options ``tools/train.py`` and ``tools/test.py`` share, as in
    mmdet: ``--work-dir``, ``--cfg-options``, ``--launcher`` and the
    ``--local-rank`` that ``torch.distributed.launch`` passes."""
    parser.add_argument('--work-dir', help='where logs and outputs go')
    add_cfg_options_argument(
        parser, f'override config settings, e.g. {cfg_options_example}')
    parser.add_argument(
        '--launcher',
        choices=['none', 'pytorch', 'slurm', 'mpi'],
        default='none',
        help='job launcher')
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)


def load_runner_config(config: str,
                       cfg_options: Optional[dict] = None,
                       work_dir: Optional[str] = None,
                       launcher: str = 'none') -> Config:
    """Read a config the way mmdet's tools do.

    The work directory is, in order: ``work_dir``, the config's own, or
    ``./work_dirs/<config name>``. Without CUDA, a ``pytorch`` launcher
    (torchrun, ``tools/dist_*.sh``) runs on CPUs with the gloo backend.
    Checkpoints are written atomically (:func:`use_atomic_checkpoints`).
    """
    cfg = Config.fromfile(config)
    cfg.launcher = launcher
    if cfg_options:
        cfg.merge_from_dict(cfg_options)
    if work_dir is not None:
        cfg.work_dir = work_dir
    elif cfg.get('work_dir') is None:
        cfg.work_dir = osp.join('./work_dirs',
                                osp.splitext(osp.basename(config))[0])
    if launcher == 'pytorch' and not torch.cuda.is_available():
        _use_cpu_distributed(cfg)
    use_atomic_checkpoints(cfg)
    return cfg


def end_process_group() -> None:
    """Close the distributed process group, if any, before the process
    exits: left to the interpreter's exit, gloo's threads may still be
    running and the process aborts (``terminate called without an active
    exception``) after a successful run."""
    if torch_dist.is_initialized():
        torch_dist.barrier()
        torch_dist.destroy_process_group()
