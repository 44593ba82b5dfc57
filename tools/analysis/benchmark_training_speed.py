"""Training iteration time: box supervision against mmdet's mask supervision.

Both models come from the same config, one with its ``box_supervision``
applied (mmfvis's head and preprocessor, losses on LAB frames and box
masks), one without (mmdet's Mask2FormerTrackHead with its mask losses on
ground-truth masks). They train on the same clips, drawn once from the
generated shapes dataset with the config's own pipeline (frames resized to
``--size``), so data loading is not timed. One iteration is data
preprocessing, forward, backward and an AdamW step. The two models take
turns, iteration after iteration, so a change of machine load hits both.

    python tools/analysis/benchmark_training_speed.py configs/mfvis_ytvis.py

MaskTrack R-CNN configs work alike (mmdet's variant: its FCN mask head's
loss on the ground-truth masks of the key frame):

    python tools/analysis/benchmark_training_speed.py \
        configs/mfvis_masktrack_rcnn_ytvis.py --clips 1
"""
import argparse
import copy
import random
import statistics
import tempfile
import time

import torch
from mmdet.registry import DATASETS, MODELS
from mmdet.utils import register_all_modules
from mmengine.config import Config
from mmengine.dataset import pseudo_collate
from mmengine.utils import ProgressBar

import mmfvis  # noqa: F401
from mmfvis.datasets import generate_shapes_vis
from mmfvis.engine import apply_box_supervision


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('config', help='a box-supervised config')
    parser.add_argument(
        '--size',
        type=int,
        nargs=2,
        default=[360, 640],
        metavar=('HEIGHT', 'WIDTH'),
        help='frame size in pixels (default 360 640, as mmdet resizes '
        'YouTube-VIS)')
    parser.add_argument('--clips', type=int, default=2, help='clips a batch')
    parser.add_argument(
        '--iters', type=int, default=5, help='timed iterations per model')
    parser.add_argument(
        '--warmup', type=int, default=1, help='untimed iterations per model')
    parser.add_argument('--threads', type=int, help='torch CPU threads')
    parser.add_argument(
        '--cpu-time',
        action='store_true',
        help='time with the CPU time of this process (all its threads) '
        'instead of the wall clock: on a machine shared with other jobs, '
        'the wall clock counts their time too')
    return parser.parse_args()


def _without_pretrained_weights(cfg):
    cfg.model.init_cfg = None
    _detector(cfg.model).init_cfg = None
    _detector(cfg.model).backbone.init_cfg = None
    return cfg


def _detector(model_cfg):
    """MaskTrack R-CNN's ``detector``; the model itself for the others."""
    return model_cfg.get('detector', model_cfg)


def _set_clip_length(model_cfg, pipeline):
    """mmdet's Mask2Former-VIS head needs the clip length; MaskTrack
    R-CNN's clips are always a key and a reference frame."""
    if 'Mask2Former' in model_cfg.track_head.type:
        model_cfg.track_head.num_frames = _clip_length(pipeline)


def _set_in_pipeline(pipeline, transform_type, **values):
    for transform in pipeline:
        if transform.get('type') == transform_type:
            transform.update(values)
        _set_in_pipeline(
            transform.get('transforms', []), transform_type, **values)


def build_variants(config):
    """(name, model, pipeline) for box and mask supervision."""
    box_cfg = _without_pretrained_weights(
        apply_box_supervision(Config.fromfile(config)))
    mask_cfg = _without_pretrained_weights(Config.fromfile(config))
    # the same clips for both: mask supervision loads the masks too
    mask_pipeline = copy.deepcopy(box_cfg.train_dataloader.dataset.pipeline)
    _set_in_pipeline(mask_pipeline, 'LoadTrackAnnotations', with_mask=True)
    _set_clip_length(mask_cfg.model, mask_pipeline)
    return [
        ('box supervision (mmfvis)', MODELS.build(box_cfg.model),
         box_cfg.train_dataloader.dataset.pipeline),
        ('mask supervision (mmdet)', MODELS.build(mask_cfg.model),
         mask_pipeline),
    ]


def _clip_length(pipeline):
    sampler = pipeline[0]
    return sampler.get('num_frames', sampler.get('num_ref_imgs', 1) + 1)


def make_batch(pipeline, data_root, size, clips):
    pipeline = copy.deepcopy(pipeline)
    _set_in_pipeline(
        pipeline, 'Resize', scale=(size[1], size[0]), keep_ratio=False)
    dataset = DATASETS.build(
        dict(
            type='ShapesVISDataset',
            data_root=data_root,
            ann_file='annotations/train_mmdet.json',
            data_prefix=dict(img_path='train/JPEGImages'),
            pipeline=pipeline))
    # the frame samplers draw with Python's random: the same frames for
    # both variants
    random.seed(0)
    torch.manual_seed(0)
    return pseudo_collate([dataset[i] for i in range(clips)])


def train_iteration(model, optimizer, data, clock=time.perf_counter):
    start = clock()
    processed = model.data_preprocessor(copy.deepcopy(data), training=True)
    losses = model(**processed, mode='loss')
    optimizer.zero_grad()
    # mmengine's sum of the terms (R-CNNs give lists per FPN level)
    model.parse_losses(losses)[0].backward()
    optimizer.step()
    return clock() - start


def main():
    args = parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    register_all_modules()
    variants = build_variants(args.config)
    with tempfile.TemporaryDirectory() as data_root:
        generate_shapes_vis(
            data_root,
            num_videos=args.clips,
            num_frames=8,
            seed=0,
            show_progress=False)
        runs = []
        for name, model, pipeline in variants:
            model.train()
            optimizer = torch.optim.AdamW(model.parameters(), lr=1e-4)
            data = make_batch(pipeline, data_root, args.size, args.clips)
            runs.append(
                dict(name=name, step=(model, optimizer, data), times=[]))
    clock = time.process_time if args.cpu_time else time.perf_counter
    total = (args.warmup + args.iters) * len(runs)
    progress = ProgressBar(total)
    for iteration in range(args.warmup + args.iters):
        for run in runs:
            seconds = train_iteration(*run['step'], clock=clock)
            if iteration >= args.warmup:
                run['times'].append(seconds)
            progress.update()
    report(args, runs)


def report(args, runs):
    reference = statistics.median(runs[1]['times'])
    print(f'\n{args.config}: {args.clips} clips a batch, frames '
          f'{args.size[0]}x{args.size[1]}, {args.iters} timed iterations '
          f'each, {torch.get_num_threads()} CPU threads, '
          f"{'CPU time' if args.cpu_time else 'wall clock'}")
    print('| model | median s/iter | min s/iter | ratio to mmdet |')
    print('| --- | --- | --- | --- |')
    for run in runs:
        median = statistics.median(run['times'])
        print(f"| {run['name']} | {median:.3f} | {min(run['times']):.3f} | "
              f'{median / reference:.3f} |')


if __name__ == '__main__':
    main()
