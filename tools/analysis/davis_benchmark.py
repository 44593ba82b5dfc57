"""DAVIS-2016 ablation: what each loss term buys, with masks never read.

Trains the CPU model of ``configs/benchmarks/mfvis_davis_cpu.py`` on all 20
DAVIS-2016 videos from their boxes only and reports mask AP on the same
frames, for the projection term alone, + pairwise (BoxInst), + TK-loss
(MaskFreeVIS), and, as the upper bound, mmdet's mask-supervised head;
plus the ground-truth boxes filled as masks. Every row has the same
budget (iterations, clips, seeds). Each run is a separate process that
writes ``<work_dir>/<variant>/seed<k>/metrics.json``; runs already done
are skipped, so an interrupted benchmark resumes where it stopped.

    python tools/analysis/davis_benchmark.py --jobs 2
"""
import argparse
import json
import os
import os.path as osp
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import mmengine

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CONFIG = osp.join(REPO, 'configs', 'benchmarks', 'mfvis_davis_cpu.py')
BOXINST = 'projection + pairwise (BoxInst)'
MASKFREEVIS = 'projection + pairwise + TK (MaskFreeVIS)'
MASKS = 'mask supervision (upper bound)'
# loss weights set to 0 per row; None: mmdet's mask-supervised head
VARIANTS = {
    'projection': dict(loss_pair=0.0, loss_temp=0.0),
    BOXINST: dict(loss_temp=0.0),
    MASKFREEVIS: dict(),
    MASKS: None,
}
METRICS = ('segm_mAP', 'segm_mAP_50', 'segm_mAP_75')


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument(
        '--data',
        default=osp.join(REPO, '..', 'shared', 'data', 'davis2016'),
        help='DAVIS-2016 folder (JPEGImages/, annotations/)')
    parser.add_argument(
        '--work-dir', default=osp.join(REPO, 'work_dirs', 'davis_benchmark'))
    parser.add_argument('--iters', type=int, default=3000)
    parser.add_argument('--seeds', type=int, nargs='+', default=[0, 1])
    parser.add_argument(
        '--variants',
        nargs='+',
        choices=list(VARIANTS),
        default=list(VARIANTS),
        help='rows to run (all by default)')
    parser.add_argument(
        '--load-from',
        help='checkpoint every row starts from (for example the box-'
        'supervised one of `make demo`); default: from scratch')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        default=[],
        metavar='KEY=VALUE',
        help='config overrides for every row, after the row\'s own (for '
        'example box_supervision.track_head.loss_pair.warmup_iters=1500)')
    parser.add_argument(
        '--jobs', type=int, default=1, help='runs at a time (1 thread each)')
    parser.add_argument(
        '--worker', nargs=2, metavar=('VARIANT', 'SEED'), help='internal')
    return parser.parse_args()


def prepare_annotations(data: str, work_dir: str) -> None:
    """The shared annotations in mmdet's format: with masks (evaluation),
    and without any mask (training)."""
    from mmfvis.datasets import convert_youtube_vis
    source = osp.join(data, 'annotations', 'davis2016_ytvis.json')
    if not osp.isfile(source):
        raise SystemExit(f'DAVIS-2016 annotations not found at {source}')
    official = mmengine.load(source)
    out_dir = osp.join(work_dir, 'annotations')
    mmengine.mkdir_or_exist(out_dir)
    mmengine.dump(
        convert_youtube_vis(official), osp.join(out_dir,
                                                'davis2016_masks.json'))
    mmengine.dump(
        convert_youtube_vis(official, boxes_only=True),
        osp.join(out_dir, 'davis2016_boxes.json'))


def run_dir(work_dir: str, variant: str, seed: int) -> str:
    slug = ''.join(c if c.isalnum() else '_' for c in variant).strip('_')
    return osp.join(work_dir, slug, f'seed{seed}')


def data_options(args) -> dict:
    """Config overrides: converted annotations, shared frames."""
    options = {}
    for loader in ('train', 'val', 'test'):
        options[f'{loader}_dataloader.dataset.data_root'] = args.work_dir
        options[f'{loader}_dataloader.dataset.data_prefix.img_path'] = \
            osp.join(osp.abspath(args.data), 'JPEGImages')
    return options


def variant_options(variant: str, args) -> dict:
    """Config overrides of one row."""
    options = data_options(args)
    options.update({
        'train_cfg.max_iters': args.iters,
        'param_scheduler.end': args.iters,
        'param_scheduler.milestones': [args.iters * 4 // 5],
        'default_hooks.checkpoint.interval': args.iters,
        'train_cfg.val_interval': args.iters + 1,
        'default_hooks.logger.interval': max(args.iters // 20, 1),
        'load_from': args.load_from,
    })
    weights = VARIANTS[variant]
    if weights is None:
        options.update({
            'box_supervision':
            None,
            'model.track_head.num_frames':
            3,
            'train_dataloader.dataset.ann_file':
            'annotations/davis2016_masks.json',
            'train_dataloader.dataset.pipeline.1.transforms.1.with_mask':
            True,
        })
    for term, weight in (weights or {}).items():
        options[f'box_supervision.track_head.{term}.loss_weight'] = weight
    for key, value in parse_overrides(args.cfg_options).items():
        # the upper bound has no box supervision to set
        if weights is not None or not key.startswith('box_supervision.'):
            options[key] = value
    return options


def parse_overrides(strings: list) -> dict:
    """``KEY=VALUE`` strings to a dict, values parsed as by the tools'
    ``--cfg-options``."""
    from mmfvis.utils import DictAction
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument('options', nargs='*', action=DictAction)
    return parser.parse_args(strings).options or {}


def work(variant: str, seed: int, args) -> None:
    """One run, in this process: train, test, write metrics.json."""
    import torch
    from mmengine.registry import RUNNERS

    import mmfvis  # noqa: F401
    from mmfvis.utils import load_runner_config
    torch.set_num_threads(1)
    out_dir = run_dir(args.work_dir, variant, seed)
    options = variant_options(variant, args)
    options['randomness'] = dict(seed=seed)
    cfg = load_runner_config(CONFIG, options, out_dir)
    # evaluated once, by runner.test() below
    cfg.val_cfg = cfg.val_dataloader = cfg.val_evaluator = None
    runner = RUNNERS.build(cfg)
    start = time.perf_counter()
    runner.train()
    train_seconds = time.perf_counter() - start
    metrics = {k.split('/')[-1]: v for k, v in runner.test().items()}
    metrics['train_seconds'] = train_seconds
    mmengine.dump(metrics, osp.join(out_dir, 'metrics.json'))


def launch(variant: str, seed: int, args) -> dict:
    """Run one (variant, seed) in a subprocess unless already done."""
    out_dir = run_dir(args.work_dir, variant, seed)
    metrics_file = osp.join(out_dir, 'metrics.json')
    if not osp.isfile(metrics_file):
        mmengine.mkdir_or_exist(out_dir)
        command = [
            sys.executable, __file__, '--worker', variant,
            str(seed), '--data', args.data, '--work-dir', args.work_dir,
            '--iters',
            str(args.iters)
        ]
        if args.load_from:
            command += ['--load-from', args.load_from]
        if args.cfg_options:
            command += ['--cfg-options', *args.cfg_options]
        env = dict(os.environ, OMP_NUM_THREADS='1')
        with open(osp.join(out_dir, 'run.log'), 'w') as log:
            result = subprocess.run(
                command, stdout=log, stderr=subprocess.STDOUT, env=env)
        if result.returncode != 0:
            raise RuntimeError(f'{variant}, seed {seed} failed: see '
                               f"{osp.join(out_dir, 'run.log')}")
        print(f'done: {variant}, seed {seed}', flush=True)
    return mmengine.load(metrics_file)


def filled_box_metrics(args) -> dict:
    from mmdet.utils import register_all_modules
    from mmengine.registry import DATASETS

    import mmfvis  # noqa: F401
    from mmfvis.evaluation import evaluate_filled_boxes
    from mmfvis.utils import load_runner_config
    register_all_modules()
    cfg = load_runner_config(CONFIG, data_options(args))
    dataset_cfg = cfg.test_dataloader.dataset
    dataset_cfg.pipeline = []
    results = evaluate_filled_boxes(
        DATASETS.build(dataset_cfg), cfg.test_evaluator, show_progress=False)
    return {k.split('/')[-1]: v for k, v in results.items()}


def summarise(rows: dict, baseline: dict) -> str:
    """Markdown: mean ± standard deviation over seeds of each metric."""
    lines = [
        '| row | seeds | mask AP | AP50 | AP75 | train min/run |',
        '| --- | --- | --- | --- | --- | --- |',
        '| ground-truth boxes, filled | - | ' +
        ' | '.join(f'{baseline[m]:.3f}' for m in METRICS) + ' | - |'
    ]
    for variant, runs in rows.items():
        cells = []
        for metric in METRICS:
            values = [run[metric] for run in runs]
            spread = statistics.stdev(values) if len(values) > 1 else 0.0
            cells.append(f'{statistics.mean(values):.3f} ± {spread:.3f}')
        minutes = statistics.mean(run['train_seconds'] for run in runs) / 60
        lines.append(f'| {variant} | {len(runs)} | ' + ' | '.join(cells) +
                     f' | {minutes:.1f} |')
    return '\n'.join(lines)


def acceptance(rows: dict, baseline: dict) -> str:
    """The issue's targets, checked on the means."""

    def ap(variant):
        values = [run['segm_mAP'] for run in rows.get(variant, [])]
        return (statistics.mean(values) if values else None,
                statistics.stdev(values) if len(values) > 1 else 0.0)

    ours, ours_sd = ap(MASKFREEVIS)
    boxinst, boxinst_sd = ap(BOXINST)
    masks, _ = ap(MASKS)
    lines = []
    if ours is not None:
        lines.append(f'- MaskFreeVIS / filled boxes: '
                     f"{ours / max(baseline['segm_mAP'], 1e-3):.2f}x "
                     '(target >= 4x)')
    if ours is not None and boxinst is not None:
        noise = max(ours_sd, boxinst_sd)
        lines.append(f'- MaskFreeVIS - BoxInst: {ours - boxinst:+.3f} AP, '
                     f'seed noise (largest std) {noise:.3f} (target: above '
                     'the noise)')
    if ours is not None and masks:
        lines.append(f'- MaskFreeVIS / mask supervision: '
                     f'{100 * ours / masks:.0f}% (target >= 85%)')
    return '\n'.join(lines)


def main():
    args = parse_args()
    args.work_dir = osp.abspath(args.work_dir)
    if args.worker:
        work(args.worker[0], int(args.worker[1]), args)
        return
    prepare_annotations(args.data, args.work_dir)
    runs = [(variant, seed) for variant in args.variants
            for seed in args.seeds]
    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        results = list(pool.map(lambda run: launch(*run, args), runs))
    rows = {}
    for (variant, _), metrics in zip(runs, results):
        rows.setdefault(variant, []).append(metrics)
    baseline = filled_box_metrics(args)
    start = args.load_from or 'scratch'
    overrides = ' '.join(args.cfg_options) or 'none'
    report = (f'DAVIS-2016, 20 videos, 1376 frames; {args.iters} '
              f'iterations of 2 clips x 3 frames per run, from {start}; '
              f'overrides: {overrides}; seeds {args.seeds}\n\n'
              f'{summarise(rows, baseline)}\n\n{acceptance(rows, baseline)}\n')
    with open(osp.join(args.work_dir, 'davis_benchmark.md'), 'w') as f:
        f.write(report)
    print(report)
    print(json.dumps(dict(rows=rows, filled_boxes=baseline)))


if __name__ == '__main__':
    main()
