"""The box terms at a trained model's masks against the true masks.

``python tools/analysis/box_terms_at_masks.py RUN_DIR [RUN_DIR ...]
[--scale W H] [--json FILE]``

For each run directory of a benchmark (its config and last checkpoint, as
``blobs_benchmark.py``, ``davis_benchmark.py`` and ``demo_rows.py`` leave
them), predicts the config's test videos, assigns a predicted track to
each ground-truth object as DAVIS scores, and gives, at logit resolution:
the projection dice of the model's masks and of the true masks against
the boxes, and the share of the pairwise term's scored pairs that each
cuts. Where the truth scores lower on both terms than the model's masks,
the loss prefers the truth, and the gap is the optimiser's (or the
budget's), not the loss's.
"""
import argparse
import glob
import json
import os.path as osp
from typing import List, Optional

from ablation.box_terms import box_terms_at_masks, format_box_terms
from ablation.datasets import build_dataset


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument(
        'run_dirs', nargs='+', help='run directories (config + checkpoint)')
    parser.add_argument(
        '--scale',
        nargs=2,
        type=int,
        default=(128, 96),
        metavar=('W', 'H'),
        help='(w, h) the frames are resized to fit, as in training')
    parser.add_argument('--json', help='also write the figures here')
    return parser.parse_args(argv)


def run_files(run_dir: str):
    """The config and the latest checkpoint a run directory holds."""
    configs = sorted(glob.glob(osp.join(run_dir, '*.py')))
    checkpoints = sorted(
        glob.glob(osp.join(run_dir, 'iter_*.pth')),
        key=lambda path: int(osp.basename(path)[5:-4]))
    if not configs or not checkpoints:
        raise FileNotFoundError(
            f'{run_dir}: expected a config (*.py) and a checkpoint '
            f'(iter_*.pth), found {len(configs)} and {len(checkpoints)}')
    return configs[0], checkpoints[-1]


def run_figures(run_dir: str, scale) -> dict:
    """:func:`box_terms_at_masks` of one run's model on its test videos."""
    from mmengine.config import Config
    from mmengine.utils import ProgressBar

    from mmfvis.apis import init_vis_model
    from mmfvis.engine import apply_box_supervision
    config, checkpoint = run_files(run_dir)
    cfg = Config.fromfile(config)
    loss_pair = cfg.box_supervision.track_head.loss_pair
    dataset = build_dataset(cfg.test_dataloader.dataset)
    model = init_vis_model(apply_box_supervision(cfg), checkpoint)
    return box_terms_at_masks(
        model, dataset, scale, loss_pair, progress=ProgressBar(len(dataset)))


def main(argv: Optional[List[str]] = None) -> None:
    args = parse_args(argv)
    figures = {}
    for run_dir in args.run_dirs:
        figures[run_dir] = run_figures(run_dir, tuple(args.scale))
        print(f'{run_dir}: {format_box_terms(figures[run_dir])}', flush=True)
    if args.json:
        with open(args.json, 'w') as f:
            json.dump(figures, f, indent=1)


if __name__ == '__main__':
    main()
