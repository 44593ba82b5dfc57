"""Generated-video ablation: what each loss term buys where outlines do not
tell the classes.

Trains ``configs/benchmarks/mfvis_blobs_cpu.py`` (the demo's model and
recipe, from scratch) on generated videos of deforming blobs from boxes
only: outlines no two objects share and that change over time, objects
sometimes coloured as the background, static striped patches, occlusions
(see ``mmfvis.datasets.synthetic.blobs_vis``). Rows: projection;
+ pairwise (BoxInst); + pairwise + TK (MaskFreeVIS); on request mask
supervision (``--rows ... masks``). With ``--from-masks ITERS`` every box
row starts from a mask-supervised model instead of from scratch. Mask AP,
AP50, AP75 and DAVIS J&F, J on the held-out generated videos, mean ± std
over seeds, beside the ground-truth boxes filled as masks.

The runs, their resuming and recording and ``--report`` are those of
``davis_benchmark.py`` (``ablation.driver``): each run writes
``<work_dir>/<row>/seed<k>/metrics.json``, runs done are skipped, the table
and per-run figures are rewritten in ``--results-md`` after every run.

    python tools/analysis/blobs_benchmark.py --jobs 2
    python tools/analysis/blobs_benchmark.py --report
    python tools/analysis/blobs_benchmark.py --from-masks 3000 --iters 1500
"""
import argparse
import os.path as osp
from typing import List

from ablation import driver, overrides, specs
from ablation.paths import REPO

CONFIG = osp.join(REPO, 'configs', 'benchmarks', 'mfvis_blobs_cpu.py')
MARKER = 'blobs-ablation'
BOX_ROWS = list(specs.BOX_ROWS)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument(
        '--data-root',
        default=osp.join(REPO, 'data', 'shapes_vis_blobs'),
        help='where the blob videos are generated (once)')
    driver.add_run_arguments(
        parser,
        'blobs_ablation',
        'blobs.md',
        iters=2000,
        rows=specs.LABELS,
        default_rows=BOX_ROWS,
        seeds=(0, 1, 2))
    parser.add_argument(
        '--from-masks',
        type=int,
        metavar='ITERS',
        help='start every box row from mask supervision trained ITERS '
        'iterations (seed 0, run first and tested as the masks row) '
        'instead of from scratch: do the box terms keep masks that are '
        'right?')
    args = parser.parse_args(argv)
    args.data_root = osp.abspath(args.data_root)
    return args


def plan(args) -> List[List[specs.RunSpec]]:
    """Every row and seed asked for, from scratch or (``--from-masks``)
    after the mask-supervised start."""
    start = args.from_masks and overrides.budget_options(args.from_masks)
    return driver.generated_videos_plan(CONFIG, args,
                                        overrides.budget_options(args.iters),
                                        start or None)


def settings(args) -> dict:
    """What changes the figures of a run (not which runs are done)."""
    values = dict(
        benchmark='blobs ablation',
        config=osp.relpath(CONFIG, REPO),
        config_digest=overrides.config_digest(CONFIG),
        iters=args.iters,
        cfg_options=list(args.cfg_options))
    if args.from_masks:
        values['from_masks'] = args.from_masks
    return values


BENCHMARK = driver.generated_videos_benchmark(
    CONFIG, MARKER, __file__, plan, settings, specs.LABELS, videos_drawn=4)


def main(argv=None):
    driver.run(BENCHMARK, parse_args(argv), argv)


if __name__ == '__main__':
    main()
