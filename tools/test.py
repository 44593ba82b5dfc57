"""Test a model: ``python tools/test.py CONFIG CHECKPOINT [options]``.

Single process, or one process per GPU under ``tools/dist_test.sh`` /
``tools/slurm_test.sh`` (``--launcher pytorch|slurm``).
"""
import argparse
import os.path as osp

from mmengine.registry import RUNNERS
from mmengine.runner import Runner

import mmfvis  # noqa: F401  registers modules, applies compat fixes
from mmfvis.evaluation import use_frame_by_frame
from mmfvis.utils import (add_runner_arguments, end_process_group,
                          load_runner_config)


def parse_args():
    parser = argparse.ArgumentParser(description='Test a VIS model')
    parser.add_argument('config', help='test config file path')
    parser.add_argument('checkpoint', help='checkpoint file')
    parser.add_argument(
        '--out', help='dump the raw predictions to this pickle file')
    parser.add_argument(
        '--show-dir',
        help='draw predictions into this folder, below the work directory')
    add_runner_arguments(parser, 'test_evaluator.format_only=True')
    return parser.parse_args()


# mmdet's tracking hook and visualiser, and the mmfvis ones that replace
# them for drawing: one folder per video, box-only ground truth drawn.
VIS_DRAWING_TYPES = {
    'TrackVisualizationHook': 'VISVisualizationHook',
    'TrackLocalVisualizer': 'VISLocalVisualizer',
}


def use_vis_drawing(cfg):
    """Swap mmdet's tracking hook and visualiser for the mmfvis ones."""
    for part in (cfg.default_hooks.visualization, cfg.visualizer):
        part.type = VIS_DRAWING_TYPES.get(part.type, part.type)


def apply_test_options(cfg, args):
    """Apply the checkpoint, --out and --show-dir to the config."""
    cfg.load_from = args.checkpoint
    if args.show_dir:
        use_vis_drawing(cfg)
        visualization = cfg.default_hooks.visualization
        visualization.draw = True
        visualization.test_out_dir = args.show_dir
    if args.out:
        if not args.out.endswith(('.pkl', '.pickle')):
            raise SystemExit(f'--out must be a .pkl file, got {args.out}')
        cfg.test_evaluator = [
            *(cfg.test_evaluator if isinstance(cfg.test_evaluator, list) else
              [cfg.test_evaluator]),
            dict(type='DumpResults', out_file_path=osp.abspath(args.out))
        ]


# The metrics that read predicted masks as compressed RLEs as well as
# tensors, and the ground truth's from the annotations (its metainfo)
LEAN_METRICS = ('YouTubeVISMaskMetric', 'TrackJFMetric')


def lean_test(cfg, args) -> bool:
    """Whether the test may keep predicted masks as compressed RLEs and
    load no ground-truth mask: only mmfvis's metrics read them, nothing
    draws (``--show-dir``) or dumps them (``--out``)."""
    evaluators = cfg.test_evaluator
    if not isinstance(evaluators, (list, tuple)):
        evaluators = [evaluators]
    return not args.show_dir and all(
        evaluator.get('type') in LEAN_METRICS for evaluator in evaluators)


def load_no_ground_truth_masks(pipeline: list) -> None:
    """``with_mask=False`` for every ``LoadTrackAnnotations`` of a pipeline
    (inside wrappers such as ``TransformBroadcaster`` too)."""
    for transform in pipeline:
        if transform.get('type') == 'LoadTrackAnnotations':
            transform['with_mask'] = False
        load_no_ground_truth_masks(transform.get('transforms') or [])


def make_test_lean(cfg) -> None:
    """A labelled long video's ground-truth masks, decoded at the original
    size for every frame (6 tracks of 720p: 11 MB a frame with their
    padded copies), are read by no metric here: they read the masks of
    the annotations."""
    pipeline = cfg.test_dataloader.dataset.get('pipeline')
    if pipeline:
        load_no_ground_truth_masks(pipeline)


def main():
    args = parse_args()
    cfg = load_runner_config(args.config, args.cfg_options, args.work_dir,
                             args.launcher)
    apply_test_options(cfg, args)
    lean = lean_test(cfg, args)
    if lean:
        make_test_lean(cfg)
    if 'runner_type' in cfg:
        runner = RUNNERS.build(cfg)
    else:
        runner = Runner.from_cfg(cfg)
    # a long video's masks, dense at the original size for all its frames
    # at once, do not fit in memory (500 720p frames: 18 GB)
    use_frame_by_frame(runner.model, encode=lean)
    runner.test()
    end_process_group()


if __name__ == '__main__':
    main()
