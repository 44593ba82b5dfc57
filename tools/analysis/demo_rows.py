"""The demo's rows: what each loss term buys in ``make demo``'s recipe.

Trains ``configs/mfvis_shapes_demo.py`` (the demo's model, recipe and
generated shapes videos, as ``tools/demo_shapes.py`` makes them) from
boxes only with three rows of losses: projection alone; + pairwise
(BoxInst); the full loss (MaskFreeVIS, the demo itself). Mask AP, AP50,
AP75 and DAVIS J&F, J on the demo's held-out videos, mean ± std over
``--seeds`` (default 0, the demo's), beside the ground-truth boxes filled
as masks.

The runs, their resuming and recording and ``--report`` are those of
``blobs_benchmark.py`` (``ablation.driver``): each run writes
``<work_dir>/<row>/seed<k>/metrics.json``, runs done are skipped, the table
and per-run figures are rewritten in ``--results-md`` after every run. A
row takes the demo's time (about 12 min on 2 cores at its 3000
iterations); ``--iters`` cuts every row's training short (the demo's
schedule is kept, so a short run never reaches its learning-rate drop).

    python tools/analysis/demo_rows.py --jobs 2
    python tools/analysis/demo_rows.py --seeds 0 1 2 --jobs 2
"""
import argparse
import os.path as osp
from typing import List, Optional

from ablation import driver, overrides, specs
from ablation.paths import REPO

CONFIG = osp.join(REPO, 'configs', 'mfvis_shapes_demo.py')
MARKER = 'demo-rows'
BOX_ROWS = list(specs.BOX_ROWS)
LABELS = {row: specs.LABELS[row] for row in BOX_ROWS}


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument(
        '--data-root',
        default=osp.join(REPO, 'data', 'shapes_vis'),
        help="the demo's generated videos (made there unless they are, as "
        '`make demo` makes them)')
    driver.add_run_arguments(
        parser,
        'demo_rows',
        'demo_rows.md',
        iters=None,
        rows=BOX_ROWS,
        default_rows=BOX_ROWS,
        seeds=(0, ))
    args = parser.parse_args(argv)
    args.data_root = osp.abspath(args.data_root)
    return args


def iteration_options(iters: Optional[int]) -> dict:
    """Overrides of a run cut to ``iters`` iterations (none for the
    demo's own): training stops there, its one checkpoint at the end."""
    if iters is None:
        return {}
    return {
        'train_cfg.max_iters': iters,
        'train_cfg.val_interval': iters,
        'default_hooks.checkpoint.interval': iters,
    }


def plan(args) -> List[List[specs.RunSpec]]:
    """One wave: every row and seed asked for, from scratch."""
    return driver.generated_videos_plan(CONFIG, args,
                                        iteration_options(args.iters))


def settings(args) -> dict:
    """What changes the figures of a run (not which runs are done)."""
    return dict(
        benchmark='demo rows',
        config=osp.relpath(CONFIG, REPO),
        config_digest=overrides.config_digest(CONFIG),
        iters=args.iters or overrides.base_config(CONFIG).train_cfg.max_iters,
        cfg_options=list(args.cfg_options))


BENCHMARK = driver.generated_videos_benchmark(
    CONFIG, MARKER, __file__, plan, settings, LABELS, videos_drawn=3)


def main(argv=None):
    driver.run(BENCHMARK, parse_args(argv), argv)


if __name__ == '__main__':
    main()
