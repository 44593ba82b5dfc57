"""Training iteration time, two models side by side in one run.

``--compare supervision`` (default): box supervision against mmdet's mask
supervision. Both models come from the same config, one with its
``box_supervision`` applied (mmfvis's head and preprocessor, losses on LAB
frames and box masks), one without (mmdet's Mask2FormerTrackHead with its
mask losses on ground-truth masks); both use the config's optimizer with
mmfvis's batched updates.

``--compare optimizer``: the box-supervised model with the config's
optimizer as mmengine builds it (one parameter group per parameter, torch's
per-tensor loop: before) against mmfvis's
``MergedGroupsOptimWrapperConstructor`` (merged groups, fused update:
after), from the same weights. It
also checks that the two give the same losses and the same weights after
one update step.

``--compare options``: the box-supervised model of the config with
``--cfg-options`` (before) against the config as it is (after), each
from its own weights: what a recipe change costs or saves an iteration,
such as the demo's backbone width.

The models train on the same clips, drawn once from the generated shapes
dataset with the config's own pipeline (frames resized to ``--size``), so
data loading is not timed. One iteration is data preprocessing, forward,
backward and the optimizer step (the config's gradient clipping included).
The two models take turns, iteration after iteration, so a change of
machine load hits both. ``--device cuda`` trains them on the GPU, the
timers read after CUDA has finished the iteration's work.

    python tools/analysis/benchmark_training_speed.py configs/mfvis_ytvis.py
    python tools/analysis/benchmark_training_speed.py \
        configs/mfvis_shapes_demo.py --compare optimizer --size 96 128
    python tools/analysis/benchmark_training_speed.py \
        configs/mfvis_shapes_demo.py --compare options --size 96 128 \
        --clips 3 --cfg-options model.backbone.base_channels=32 \
        'model.track_head.in_channels=[32,64,128,256]'

MaskTrack R-CNN configs work alike (mmdet's variant: its FCN mask head's
loss on the ground-truth masks of the key frame):

    python tools/analysis/benchmark_training_speed.py \
        configs/mfvis_masktrack_rcnn_ytvis.py --clips 1
"""
import argparse
import copy
import statistics
import tempfile
import time

import torch
from mmdet.registry import DATASETS, MODELS
from mmdet.utils import register_all_modules
from mmengine.config import Config, DictAction
from mmengine.dataset import pseudo_collate
from mmengine.optim import build_optim_wrapper
from mmengine.runner import set_random_seed
from mmengine.utils import ProgressBar

import mmfvis  # noqa: F401
from mmfvis.datasets import generate_shapes_vis
from mmfvis.engine import apply_box_supervision


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('config', help='a box-supervised config')
    parser.add_argument(
        '--compare',
        choices=['supervision', 'optimizer', 'options'],
        default='supervision',
        help='box against mask supervision, the optimizer before and '
        'after merging its parameter groups, or the config with '
        '--cfg-options against the config as it is')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        default={},
        metavar='KEY=VALUE',
        help='with --compare options: the overrides of the "before" model')
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
        '--device',
        default='cpu',
        help='where the models train: cpu (default), cuda or cuda:N')
    parser.add_argument(
        '--cpu-time',
        action='store_true',
        help='time with the CPU time of this process (all its threads) '
        'instead of the wall clock: on a machine shared with other jobs, '
        'the wall clock counts their time too')
    args = parser.parse_args()
    if (args.compare == 'options') != bool(args.cfg_options):
        parser.error('--cfg-options goes with --compare options, and '
                     '--compare options needs --cfg-options')
    args.device = torch.device(args.device)
    if args.device.type == 'cuda':
        if not torch.cuda.is_available():
            parser.error(f'--device {args.device}: no CUDA device available')
        if args.cpu_time:
            parser.error('--cpu-time counts CPU time, not the GPU\'s: give '
                         'it with --device cpu only')
    return args


def _without_pretrained_weights(cfg):
    cfg.model.init_cfg = None
    _detector(cfg.model).init_cfg = None
    _detector(cfg.model).backbone.init_cfg = None
    return cfg


def _box_supervised(config, cfg_options=None):
    """The config with ``cfg_options`` merged, its box supervision
    applied, no pretrained weights."""
    cfg = Config.fromfile(config)
    cfg.merge_from_dict(cfg_options or {})
    return _without_pretrained_weights(apply_box_supervision(cfg))


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


def supervision_variants(config):
    """(name, model, pipeline, optim_wrapper cfg) for box and mask
    supervision, both with the box-supervised config's optimizer."""
    box_cfg = _box_supervised(config)
    mask_cfg = _without_pretrained_weights(Config.fromfile(config))
    # the same clips for both: mask supervision loads the masks too
    mask_pipeline = copy.deepcopy(box_cfg.train_dataloader.dataset.pipeline)
    _set_in_pipeline(mask_pipeline, 'LoadTrackAnnotations', with_mask=True)
    _set_clip_length(mask_cfg.model, mask_pipeline)
    return [
        ('box supervision (mmfvis)', MODELS.build(box_cfg.model),
         box_cfg.train_dataloader.dataset.pipeline, box_cfg.optim_wrapper),
        ('mask supervision (mmdet)', MODELS.build(mask_cfg.model),
         mask_pipeline, box_cfg.optim_wrapper),
    ]


def optimizer_variants(config):
    """(name, model, pipeline, optim_wrapper cfg) for the box-supervised
    model with mmengine's default optimizer constructor and with mmfvis's,
    from the same initial weights."""
    cfg = _box_supervised(config)
    torch.manual_seed(0)
    model = MODELS.build(cfg.model)
    before = copy.deepcopy(cfg.optim_wrapper)
    before.constructor = 'DefaultOptimWrapperConstructor'
    pipeline = cfg.train_dataloader.dataset.pipeline
    return [
        ('before: a group per parameter', model, pipeline, before),
        ('after: merged groups, fused', copy.deepcopy(model), pipeline,
         cfg.optim_wrapper),
    ]


def options_variants(config, cfg_options):
    """(name, model, pipeline, optim_wrapper cfg) for the box-supervised
    config with ``cfg_options`` and as it is; each pipeline its own."""
    variants = []
    for name, options in (('before: with ' + _describe(cfg_options),
                           cfg_options), ('after: the config', {})):
        cfg = _box_supervised(config, options)
        torch.manual_seed(0)
        variants.append(
            (name, MODELS.build(cfg.model),
             cfg.train_dataloader.dataset.pipeline, cfg.optim_wrapper))
    return variants


def _describe(cfg_options):
    return ' '.join(f'{key}={value}' for key, value in cfg_options.items())


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
    # the frame sampler and flips draw from Python's and NumPy's generators
    set_random_seed(0)
    return pseudo_collate([dataset[i] for i in range(clips)])


def synchronize(device: torch.device) -> None:
    """Wait for the work queued on a CUDA device, so that a timer read
    next counts it; nothing on the CPU."""
    if device.type == 'cuda':
        torch.cuda.synchronize(device)


def train_iteration(model,
                    optim_wrapper,
                    data,
                    device=torch.device('cpu'),
                    clock=time.perf_counter):
    """One timed iteration on ``device``, where ``model`` is; (seconds, the
    logged loss terms)."""
    synchronize(device)
    start = clock()
    processed = model.data_preprocessor(copy.deepcopy(data), training=True)
    # mmengine's sum of the terms (R-CNNs give lists per FPN level)
    loss, terms = model.parse_losses(model(**processed, mode='loss'))
    optim_wrapper.update_params(loss)
    synchronize(device)
    return clock() - start, terms


def largest_differences(runs):
    """Largest relative difference between the two runs' first-iteration
    losses, and largest absolute difference of their weights after it."""
    (loss_a, model_a), (loss_b, model_b) = (run['first'] for run in runs)
    loss_gap = max(
        float((loss_a[key] - loss_b[key]).abs() /
              loss_a[key].abs().clamp(min=1e-12)) for key in loss_a)
    weight_gap = max(
        float((a - b).detach().abs().max())
        for a, b in zip(model_a.parameters(), model_b.parameters()))
    return loss_gap, weight_gap


def optimizer_step_ms(model,
                      optim_wrapper,
                      device=torch.device('cpu'),
                      steps: int = 10) -> float:
    """Median milliseconds of the optimizer's step alone (no clipping), on
    seeded random gradients: the wrapper's update cleared the real ones."""
    generator = torch.Generator().manual_seed(0)
    for param in model.parameters():
        param.grad = torch.randn(
            param.shape, generator=generator).to(param.device)
    times = []
    for _ in range(steps):
        synchronize(device)
        start = time.perf_counter()
        optim_wrapper.optimizer.step()
        synchronize(device)
        times.append(time.perf_counter() - start)
    return 1000 * statistics.median(times)


def main():
    args = parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    register_all_modules()
    if args.compare == 'options':
        variants = options_variants(args.config, args.cfg_options)
    elif args.compare == 'optimizer':
        variants = optimizer_variants(args.config)
    else:
        variants = supervision_variants(args.config)
    with tempfile.TemporaryDirectory() as data_root:
        generate_shapes_vis(
            data_root,
            num_videos=args.clips,
            num_frames=8,
            seed=0,
            show_progress=False)
        runs = []
        for name, model, pipeline, optim_cfg in variants:
            # on its device before the optimizer takes its parameters
            model.to(args.device).train()
            data = make_batch(pipeline, data_root, args.size, args.clips)
            step = (model, build_optim_wrapper(model, optim_cfg), data)
            runs.append(dict(name=name, step=step, times=[]))
    clock = time.process_time if args.cpu_time else time.perf_counter
    total = (args.warmup + args.iters) * len(runs)
    progress = ProgressBar(total)
    for iteration in range(args.warmup + args.iters):
        for run in runs:
            torch.manual_seed(iteration)
            seconds, losses = train_iteration(
                *run['step'], device=args.device, clock=clock)
            if iteration == 0:
                run['first'] = ({
                    k: v.detach()
                    for k, v in losses.items()
                }, copy.deepcopy(run['step'][0]))
            if iteration >= args.warmup:
                run['times'].append(seconds)
            progress.update()
    if args.compare == 'optimizer':
        for run in runs:
            run['step_ms'] = optimizer_step_ms(*run['step'][:2], args.device)
    report(args, runs)


def describe_device(device: torch.device) -> str:
    if device.type == 'cuda':
        return f'{device} ({torch.cuda.get_device_name(device)})'
    return str(device)


def report(args, runs):
    reference = statistics.median(runs[-1]['times'])
    print(f'\n{args.config}: {args.clips} clips a batch, frames '
          f'{args.size[0]}x{args.size[1]}, {args.iters} timed iterations '
          f'each, on {describe_device(args.device)}, '
          f'{torch.get_num_threads()} CPU threads, '
          f"{'CPU time' if args.cpu_time else 'wall clock'}")
    groups = [len(run['step'][1].optimizer.param_groups) for run in runs]
    print('| model | parameter groups | median s/iter | min s/iter | '
          f'ratio to {runs[-1]["name"]} |')
    print('| --- | ---: | ---: | ---: | ---: |')
    for run, count in zip(runs, groups):
        median = statistics.median(run['times'])
        print(f"| {run['name']} | {count} | {median:.3f} | "
              f"{min(run['times']):.3f} | {median / reference:.3f} |")
    if args.compare == 'optimizer':
        steps = ', '.join(f"{run['name']} {run['step_ms']:.1f} ms"
                          for run in runs)
        print(f'\noptimizer step alone (median of 10): {steps}')
        loss_gap, weight_gap = largest_differences(runs)
        print(f'\nsame numbers: first-iteration losses equal to '
              f'{loss_gap:.1e} (relative), weights after its update step '
              f'to {weight_gap:.1e} (absolute)')


if __name__ == '__main__':
    main()
