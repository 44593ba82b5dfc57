"""Draw training clips as the training pipeline makes them.

``python tools/analysis/browse_dataset.py CONFIG [--output-dir DIR]
[--max-clips N] [--seed S] [--cfg-options ...]``

Each clip (the frames sampled, resized, flipped... as the model sees them)
becomes one image, its frames side by side, with the ground-truth boxes,
class names and track ids, and the masks where the annotations have them:
box-only annotations draw too. The config's box supervision is applied
first, so a box-supervised config draws the clips that train (its clip
sampler, no masks loaded).
"""
import argparse
import os
import os.path as osp
from typing import List, Optional

import cv2
import numpy as np
from mmdet.registry import DATASETS
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmengine.runner import set_random_seed
from mmengine.utils import ProgressBar

import mmfvis
from mmfvis.utils import add_cfg_options_argument
from mmfvis.visualization import VISLocalVisualizer


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Draw the training clips of a config')
    parser.add_argument('config', help='config file')
    parser.add_argument(
        '--output-dir',
        default='work_dirs/browse_dataset',
        help='folder for the drawn clips')
    parser.add_argument(
        '--max-clips', type=int, default=10, help='clips to draw')
    parser.add_argument(
        '--seed',
        type=int,
        default=0,
        help='seed of the random frame sampling and augmentation')
    add_cfg_options_argument(parser)
    return parser.parse_args(argv)


def clip_frames(inputs) -> List[np.ndarray]:
    """The packed clip (T, 3, H, W) BGR as T (H, W, 3) RGB frames."""
    return [
        np.ascontiguousarray(frame.permute(1, 2, 0).numpy()[..., ::-1])
        for frame in inputs
    ]


def clip_name(index: int, data_samples) -> str:
    """'<clip index>_<video folder>_<frame ids>' of a packed clip."""
    first = data_samples[0]
    video = osp.basename(osp.dirname(first.img_path))
    frame_ids = '-'.join(str(sample.frame_id) for sample in data_samples)
    return f'{index:04d}_{video}_{frame_ids}'


def main(argv: Optional[List[str]] = None) -> None:
    args = parse_args(argv)
    cfg = Config.fromfile(args.config)
    if args.cfg_options:
        cfg.merge_from_dict(args.cfg_options)
    cfg = mmfvis.apply_box_supervision(cfg)
    init_default_scope(cfg.get('default_scope', 'mmdet'))
    set_random_seed(args.seed)
    dataset = DATASETS.build(cfg.train_dataloader.dataset)
    visualizer = VISLocalVisualizer(name='browse_dataset')
    visualizer.dataset_meta = dataset.metainfo
    os.makedirs(args.output_dir, exist_ok=True)

    num_clips = min(len(dataset), args.max_clips)
    progress = ProgressBar(num_clips)
    for index in range(num_clips):
        item = dataset[index]
        data_samples = item['data_samples'].video_data_samples
        drawn = visualizer.draw_clip(clip_frames(item['inputs']), data_samples)
        out_file = osp.join(args.output_dir,
                            f'{clip_name(index, data_samples)}.jpg')
        cv2.imwrite(out_file, drawn[..., ::-1])
        progress.update()
    print(f'\n{num_clips} clips drawn in {args.output_dir}')


if __name__ == '__main__':
    main()
