"""Train a model: ``python tools/train.py CONFIG [options]``.

Single process, or one process per GPU under ``tools/dist_train.sh`` /
``tools/slurm_train.sh`` (``--launcher pytorch|slurm``).
"""
import argparse
import os.path as osp

import torch
from mmengine.registry import RUNNERS
from mmengine.runner import Runner

import mmfvis  # noqa: F401  registers modules, applies compat fixes
from mmfvis.fileio import newest_complete_checkpoint
from mmfvis.utils import (add_runner_arguments, end_process_group,
                          load_runner_config)


def parse_args():
    parser = argparse.ArgumentParser(description='Train a VIS model')
    parser.add_argument('config', help='train config file path')
    parser.add_argument(
        '--amp',
        action='store_true',
        help='automatic mixed precision training (CUDA only)')
    parser.add_argument(
        '--resume',
        nargs='?',
        type=str,
        const='auto',
        help='resume from this checkpoint; without a path, from the latest '
        'checkpoint in the work directory, or from the config\'s load_from '
        'while the work directory has none')
    parser.add_argument(
        '--auto-scale-lr',
        action='store_true',
        help="scale the learning rate by the real batch size (GPUs x "
        "clips per GPU) over the config's auto_scale_lr.base_batch_size, "
        "as mmdet's train.py does")
    add_runner_arguments(parser, 'train_cfg.max_iters=100')
    return parser.parse_args()


def resume_from_work_dir(cfg) -> str:
    """``--resume`` without a path: resume from the latest checkpoint of the
    work directory; while it has none (the first run of a job that always
    passes ``--resume``), start from the config's ``load_from``.

    mmdet's tool drops ``load_from`` here, so such a first run would start
    from the model's initialisation alone, without a word.

    Returns:
        str: what was decided, for the log.
    """
    work_dir = cfg.work_dir
    if osp.isfile(osp.join(work_dir, 'last_checkpoint')) or \
            newest_complete_checkpoint(work_dir) is not None:
        cfg.resume = True
        cfg.load_from = None
        return f'--resume: resuming from the latest checkpoint in {work_dir}'
    cfg.resume = False
    start = f"the config's load_from {cfg.load_from}" if cfg.get(
        'load_from') else 'the initialisation (the config has no load_from)'
    return f'--resume: no checkpoint in {work_dir} yet: starting from {start}'


def apply_training_options(cfg, args):
    """Apply --amp, --auto-scale-lr and --resume to the config.

    Returns:
        str | None: what ``--resume`` without a path decided, for the log.
    """
    if args.amp:
        if not torch.cuda.is_available():
            raise SystemExit('--amp needs a CUDA device: mmengine runs '
                             'automatic mixed precision on GPUs only')
        cfg.optim_wrapper.type = 'AmpOptimWrapper'
        cfg.optim_wrapper.loss_scale = 'dynamic'
    if args.auto_scale_lr:
        if 'base_batch_size' not in cfg.get('auto_scale_lr', {}):
            raise SystemExit(
                '--auto-scale-lr needs auto_scale_lr.base_batch_size in the '
                'config (the batch its learning rate was set for), e.g. '
                '--cfg-options auto_scale_lr.base_batch_size=16')
        cfg.auto_scale_lr.enable = True
    if args.resume == 'auto':
        return resume_from_work_dir(cfg)
    if args.resume is not None:
        cfg.resume = True
        cfg.load_from = args.resume
    return None


def main():
    args = parse_args()
    cfg = load_runner_config(args.config, args.cfg_options, args.work_dir,
                             args.launcher)
    resume_note = apply_training_options(cfg, args)
    if 'runner_type' in cfg:
        runner = RUNNERS.build(cfg)
    else:
        runner = Runner.from_cfg(cfg)
    if resume_note is not None:
        runner.logger.info(resume_note)
    runner.train()
    end_process_group()


if __name__ == '__main__':
    main()
