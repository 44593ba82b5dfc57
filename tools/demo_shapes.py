"""The main job (``make demo``): learn masks from boxes on generated videos.

1. generates the shapes videos (``data/shapes_vis/``) unless they are
   there, made with the same settings;
2. trains ``configs/mfvis_shapes_demo.py`` from boxes only (the training
   annotation file holds no mask);
3. evaluates mask AP and the masks' quality apart from detection (DAVIS
   J&F per ground-truth track) on held-out videos, and the same for the
   ground-truth boxes filled as masks (what the supervision says without
   learning);
4. draws predictions beside the ground truth (``predictions.png``);
5. prints the table and writes it to ``demo_results.json``.

    python tools/demo_shapes.py [--work-dir DIR] [--cfg-options ...]
"""
import argparse
import json
import os.path as osp

import cv2
import mmengine
import numpy as np
from mmengine.registry import RUNNERS
from mmengine.runner import find_latest_checkpoint

import mmfvis  # noqa: F401  registers modules, applies compat fixes
from mmfvis.apis import (draw_beside_ground_truth, inference_vis_video,
                         init_vis_model, read_dataset_frames)
from mmfvis.evaluation import evaluate_filled_boxes
from mmfvis.utils import add_cfg_options_argument, load_runner_config
from mmfvis.visualization import VISLocalVisualizer

METRICS = ('segm_mAP', 'segm_mAP_50', 'segm_mAP_75', 'segm_AR@1', 'segm_AR@10',
           'J&F', 'J')
# mask quality apart from detection, beside the config's AP
MASK_QUALITY = dict(type='TrackJFMetric')


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument(
        '--config', default='configs/mfvis_shapes_demo.py', help='config')
    parser.add_argument(
        '--work-dir', default='work_dirs/shapes_demo', help='output folder')
    parser.add_argument(
        '--videos-to-draw', type=int, default=3, help='videos in the picture')
    add_cfg_options_argument(parser)
    return parser.parse_args()


def train_and_test(cfg) -> tuple:
    """Train from boxes only, then test; return (runner, test metrics)."""
    cfg.custom_hooks = [
        *cfg.get('custom_hooks', []),
        dict(type='TrainProgressBarHook')
    ]
    cfg.default_hooks.logger.interval = max(cfg.train_cfg.max_iters // 10, 1)
    # evaluated once, by runner.test() below
    cfg.val_cfg = cfg.val_dataloader = cfg.val_evaluator = None
    runner = RUNNERS.build(cfg)
    runner.train()
    return runner, runner.test()


def draw_predictions(cfg,
                     checkpoint: str,
                     dataset,
                     num_videos: int,
                     out_file: str,
                     upscale: int = 3) -> None:
    """The first, middle and last frames of the first videos, ``upscale``
    times their size for legible labels (the model resizes its input)."""
    model = init_vis_model(cfg, checkpoint, device='cpu')
    visualizer = VISLocalVisualizer(name='shapes_demo', alpha=0.6)
    visualizer.dataset_meta = dataset.metainfo
    rows = []
    for index in range(min(num_videos, len(dataset))):
        infos = dataset.get_data_info(index)['images']
        frames = read_dataset_frames(infos, upscale)
        prediction = inference_vis_video(model, frames, window=None)
        chosen = sorted({0, len(infos) // 2, len(infos) - 1})
        rows.append(
            draw_beside_ground_truth([frames[i] for i in chosen],
                                     [infos[i] for i in chosen], prediction,
                                     visualizer))
    picture = np.concatenate(rows, axis=0)
    cv2.imwrite(out_file, np.ascontiguousarray(picture[..., ::-1]))


def table(rows: dict) -> str:
    """Markdown table of the metrics of each named result."""
    lines = [
        '| | mask AP | AP50 | AP75 | AR@1 | AR@10 | J&F | J |',
        '| --- | --- | --- | --- | --- | --- | --- | --- |'
    ]
    for name, metrics in rows.items():
        values = ' | '.join(f'{metrics[key]:.3f}' for key in METRICS)
        lines.append(f'| {name} | {values} |')
    return '\n'.join(lines)


def main():
    args = parse_args()
    cfg = load_runner_config(args.config, args.cfg_options, args.work_dir)
    ap_metric = cfg.test_evaluator
    cfg.test_evaluator = [ap_metric, MASK_QUALITY]
    runner, learned = train_and_test(cfg)
    dataset = runner.test_dataloader.dataset
    print('\nevaluating the filled ground-truth boxes (the baseline)')
    # its own results file: the default one, beside the log, holds the
    # learned model's predictions
    baseline = evaluate_filled_boxes(dataset, [
        dict(
            ap_metric,
            outfile_prefix=osp.join(cfg.work_dir, 'filled_boxes', 'results')),
        MASK_QUALITY
    ])
    results = {
        'box-supervised mmfvis': {
            k.split('/')[-1]: v
            for k, v in learned.items()
        },
        'ground-truth boxes, filled': {
            k.split('/')[-1]: v
            for k, v in baseline.items()
        },
    }
    picture = osp.join(cfg.work_dir, 'predictions.png')
    draw_predictions(runner.cfg, find_latest_checkpoint(cfg.work_dir), dataset,
                     args.videos_to_draw, picture)
    mmengine.dump(results, osp.join(cfg.work_dir, 'demo_results.json'))
    print(f'\nmask AP and J&F on {len(dataset)} held-out generated videos '
          f'({cfg.train_cfg.max_iters} iterations, boxes only):\n')
    print(table(results))
    ratio = results['box-supervised mmfvis']['segm_mAP'] / max(
        results['ground-truth boxes, filled']['segm_mAP'], 1e-3)
    print(f'\nbox-supervised / filled boxes: {ratio:.1f}x (filled-box AP '
          'floored at 0.001)')
    print(f'predictions beside the ground truth: {picture}')
    print(json.dumps(results))


if __name__ == '__main__':
    main()
