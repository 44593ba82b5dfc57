"""Generated-video ablation: what each loss term buys where outlines do not
tell the classes.

Trains ``configs/benchmarks/mfvis_blobs_cpu.py`` (the demo's model and
recipe, from scratch) on generated videos of deforming blobs from boxes
only: outlines no two objects share and that change over time, objects
sometimes coloured as the background, static striped patches, occlusions
(see ``mmfvis.datasets.synthetic.blobs_vis``). Rows: projection;
+ pairwise (BoxInst); + pairwise + TK (MaskFreeVIS); on request mask
supervision (``--rows ... masks``). Mask AP, AP50, AP75 on the held-out
generated videos, mean ± std over seeds, beside the ground-truth boxes
filled as masks.

The runs, their resuming and recording and ``--report`` are those of
``davis_benchmark.py`` (``ablation_runs.py``): each run writes
``<work_dir>/<row>/seed<k>/metrics.json``, runs done are skipped, the table
and per-run figures are rewritten in ``--results-md`` after every run.

    python tools/analysis/blobs_benchmark.py --jobs 2
    python tools/analysis/blobs_benchmark.py --report
"""
import argparse
import os.path as osp
import sys
from typing import List

import ablation_runs as ablation  # beside this script

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CONFIG = osp.join(REPO, 'configs', 'benchmarks', 'mfvis_blobs_cpu.py')
MARKER = 'blobs-ablation'
BOX_ROWS = list(ablation.BOX_ROWS)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument(
        '--data-root',
        default=osp.join(REPO, 'data', 'shapes_vis_blobs'),
        help='where the blob videos are generated (once)')
    parser.add_argument(
        '--work-dir', default=osp.join(REPO, 'work_dirs', 'blobs_ablation'))
    parser.add_argument(
        '--iters', type=int, default=2000, help='iterations of each row')
    parser.add_argument(
        '--seeds',
        type=int,
        nargs='+',
        default=[0, 1, 2],
        help='seeds of the box rows')
    parser.add_argument(
        '--mask-seeds',
        type=int,
        nargs='+',
        default=[0],
        help='seeds of mask supervision, if among --rows')
    parser.add_argument(
        '--rows',
        nargs='+',
        choices=list(ablation.LABELS),
        default=BOX_ROWS,
        help=f'rows to run (default: {" ".join(BOX_ROWS)})')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        default=[],
        metavar='KEY=VALUE',
        help='config overrides of every row, after the row\'s own '
        '(box_supervision.* keys skip mask supervision)')
    parser.add_argument(
        '--jobs', type=int, default=1, help='runs at a time (1 thread each)')
    parser.add_argument(
        '--results-md',
        default=osp.join(REPO, 'docs', 'benchmarks', 'results', 'blobs.md'),
        help='markdown file whose marked section holds the results (made '
        'if missing); the runs are kept in the .json beside it')
    parser.add_argument(
        '--report',
        action='store_true',
        help='draw the loss curves and pictures of the finished runs, '
        'beside the results file; train nothing')
    parser.add_argument(
        '--worker', help='internal: the run to do in this process')
    parser.add_argument(
        '--threads', type=int, default=1, help='internal: of a worker')
    return parser.parse_args(argv)


def data_options(args) -> dict:
    return {
        f'{loader}_dataloader.dataset.data_root': args.data_root
        for loader in ('train', 'test')
    }


def plan(args) -> List[List[ablation.RunSpec]]:
    """One wave: every row and seed asked for, from scratch."""
    cfg = ablation.base_config(CONFIG)
    overrides = ablation.parse_overrides(args.cfg_options)
    runs = []
    for row in args.rows:
        masks = row == ablation.MASKS
        options = data_options(args)
        options.update(ablation.budget_options(args.iters))
        options.update(
            ablation.row_options(row, cfg.train_dataloader.dataset.pipeline,
                                 overrides))
        if masks:
            options['train_dataloader.dataset.ann_file'] = \
                'annotations/train_mmdet.json'
        for seed in args.mask_seeds if masks else args.seeds:
            runs.append(
                ablation.RunSpec(
                    name=ablation.run_name(row, seed),
                    row=row,
                    seed=seed,
                    options=options))
    return [runs]


def settings(args) -> dict:
    """What changes the figures of a run (not which runs are done)."""
    return dict(
        benchmark='blobs ablation',
        config=osp.relpath(CONFIG, REPO),
        config_digest=ablation.config_digest(CONFIG),
        iters=args.iters,
        cfg_options=list(args.cfg_options))


def prepare_data(args):
    """Generate the splits once, here, before runs in parallel would; the
    test dataset (built) and the config of the first run."""
    from mmfvis.utils import load_runner_config
    cfg = load_runner_config(CONFIG, plan(args)[0][0].options)
    ablation.build_dataset(cfg.train_dataloader.dataset)
    return ablation.build_dataset(cfg.test_dataloader.dataset), cfg


def acceptance(records: ablation.Records) -> str:
    """The ordering MaskFreeVIS > BoxInst > projection, beyond the seed
    noise, and the best row against the filled boxes."""
    labels = ablation.LABELS
    runs = {row: ablation.runs_of(records, row) for row in labels}
    lines = [
        ablation.gap_check((labels[a], runs[a]), (labels[b], runs[b]))
        for a, b in (('maskfreevis', 'boxinst'), ('boxinst', 'projection'))
    ]
    filled = records.baselines.get(ablation.FILLED)
    done = [row for row in BOX_ROWS if runs[row]]
    if filled and done:
        best = max(done, key=lambda row: ablation.mean_std(runs[row])[0])
        ratio = ablation.mean_std(runs[best])[0] / max(filled['segm_mAP'],
                                                       1e-3)
        lines.append(f'- best box row ({labels[best]}) / filled boxes: '
                     f'{ratio:.1f}x (filled-box AP floored at 0.001)')
    return '\n'.join(line for line in lines if line)


def section(args, records: ablation.Records, cfg, pair_share: dict) -> str:
    train = cfg.train_dataloader.dataset.generate
    test = cfg.test_dataloader.dataset.generate
    header = [
        f"**Protocol**: {train['num_videos']} generated training videos of "
        f"{train['num_frames']} frames, {train['frame_size'][0]}x"
        f"{train['frame_size'][1]} (style '{train['style']}', seed "
        f"{train['seed']}); every row from scratch, "
        f'{records.settings["iters"]} iterations of 2 clips x 3 frames, '
        'from boxes only (a training file without any mask; mask '
        f"supervision reads masks); mask AP on {test['num_videos']} "
        f"held-out videos (seed {test['seed']}). Config "
        f"`{records.settings['config']}`; overrides: "
        f"{' '.join(args.cfg_options) or 'none'}.",
        ablation.commands_paragraph(records),
        f'**Machine**: {ablation.machine()}; 1 torch thread a run, '
        f'{args.jobs} at a time.',
        f"**Colour pairs**: {pair_share['text']}.",
    ]
    labels = {row: ablation.LABELS[row] for row in ablation.LABELS}
    return ablation.results_section(records, labels, header,
                                    acceptance(records), args.results_md,
                                    osp.splitext(args.results_md)[0])


def main(argv=None):
    args = parse_args(argv)
    args.argv = list(sys.argv[1:] if argv is None else argv)
    args.work_dir = osp.abspath(args.work_dir)
    args.data_root = osp.abspath(args.data_root)
    args.results_md = osp.abspath(args.results_md)
    if args.worker:
        spec = {s.name: s for s in plan(args)[0]}[args.worker]
        ablation.work(CONFIG, spec, osp.join(args.work_dir, spec.name),
                      args.threads)
        return
    dataset, cfg = prepare_data(args)
    stem = osp.splitext(args.results_md)[0]
    records = ablation.Records(f'{stem}.json', args.work_dir, settings(args))
    pair_share = ablation.colour_pair_share(
        dataset, ablation.resize_scale(cfg.test_dataloader.dataset.pipeline),
        cfg.box_supervision.track_head.loss_pair)
    print(pair_share['text'], flush=True)
    if ablation.FILLED not in records.baselines:
        records.baselines[ablation.FILLED] = ablation.filled_box_metrics(
            dataset, cfg.test_evaluator)
    for spec in plan(args)[0]:
        records.collect(spec)

    def refresh():
        records.save()
        ablation.write_section(args.results_md, MARKER,
                               section(args, records, cfg, pair_share))

    refresh()
    if args.report:
        ablation.draw_report(
            plan(args),
            ablation.LABELS,
            records,
            CONFIG,
            dataset,
            range(min(4, len(dataset))),
            stem,
            upscale=3)
    else:
        ablation.run_all(
            plan(args), records, args.jobs, refresh, __file__, args.argv, REPO)
    refresh()
    print(section(args, records, cfg, pair_share))


if __name__ == '__main__':
    main()
