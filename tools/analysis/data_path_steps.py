"""The steps of ``benchmark_data_path.py`` that run inside Python.

``python tools/analysis/data_path_steps.py STEP ...`` runs one step and
prints its figures as one json line, the last of its output; the
benchmark runs each in a fresh process and measures that process's wall
time and peak memory from outside:

- ``build CONFIG ANN_FILE IMG_ROOT [--classes ...]``: the config's training
  dataset (its box supervision applied) on the file: build time, the
  dataset's size, whether mmengine's ``serialize_data`` holds it (one
  bytes buffer that dataloader workers share instead of Python lists);
- ``dataloader CONFIG ANN_FILE IMG_ROOT [--clips 500 --workers 2]``: the
  training dataloader, one clip a batch: the memory of the main process
  and of each worker at clip 100 and at the last;
- ``pipelines BOXES_FILE MASKS_FILE IMG_ROOT``: clips per second of the
  box-supervised training pipeline (``configs/mfvis_ytvis.py``) on the
  boxes-only file, against mmdet's mask-supervised Mask2Former-VIS
  pipeline on the file with masks, on the same videos in turn, clips of
  5 frames;
- ``checkpoint OUTPUT``: a checkpoint of the tiny CPU config's model, its
  weights seeded (``configs/mfvis_tiny_cpu.py``).
"""
import argparse
import copy
import json
import os
import os.path as osp
import time
from typing import Dict, List, Optional, Sequence

import cv2
import numpy as np
import torch
from mmdet.registry import DATASETS
from mmdet.utils import register_all_modules
from mmengine.config import Config
from mmengine.hub import get_config
from mmengine.runner import Runner

import mmfvis  # noqa: F401  registers the checked datasets
from mmfvis.apis import init_vis_model
from mmfvis.engine import apply_box_supervision

REPO_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
TINY_CONFIG = osp.join(REPO_ROOT, 'configs', 'mfvis_tiny_cpu.py')
BOX_CONFIG = osp.join(REPO_ROOT, 'configs', 'mfvis_ytvis.py')
MMDET_CONFIG = ('mmdet::mask2former_vis/'
                'mask2former_r50_8xb2-8e_youtubevis2019.py')
CLIP_FRAMES = 5  # the published clips
GIB = 1024**3


def memory_of(pid: int) -> Dict[str, float]:
    """A process's memory in GiB: ``rss`` (resident), ``peak_rss`` (its
    high-water mark) and ``private`` (resident pages it shares with no
    other process: what a dataloader worker costs on its own)."""
    status = {}
    with open(f'/proc/{pid}/status') as file:
        for line in file:
            key, _, value = line.partition(':')
            status[key] = value
    private = 0
    with open(f'/proc/{pid}/smaps_rollup') as file:
        for line in file:
            if line.startswith(('Private_Clean:', 'Private_Dirty:')):
                private += int(line.split()[1])
    kib = 1024 / GIB
    return dict(
        rss=int(status['VmRSS'].split()[0]) * kib,
        peak_rss=int(status['VmHWM'].split()[0]) * kib,
        private=private * kib)


def print_figures(figures: dict) -> None:
    """The step's figures, as the last line of its output."""
    print(json.dumps(figures), flush=True)


def training_config(config: str,
                    ann_file: str,
                    img_root: str,
                    classes: Optional[Sequence[str]] = None) -> Config:
    """The config as the runner trains it, its training dataset reading
    ``ann_file`` with frames under ``img_root``."""
    cfg = apply_box_supervision(Config.fromfile(config))
    dataset = cfg.train_dataloader.dataset
    dataset.data_root = ''
    dataset.ann_file = osp.abspath(ann_file)
    dataset.data_prefix = dict(img_path=osp.abspath(img_root))
    if classes:
        dataset.metainfo = dict(classes=tuple(classes))
    return cfg


def build(args: argparse.Namespace) -> None:
    cfg = training_config(args.config, args.ann_file, args.img_root,
                          args.classes)
    rss_before = memory_of(os.getpid())['rss']
    start = time.perf_counter()
    dataset = DATASETS.build(cfg.train_dataloader.dataset)
    seconds = time.perf_counter() - start
    serialized = bool(dataset.serialize_data) and hasattr(
        dataset, 'data_bytes') and not dataset.data_list
    print_figures(
        dict(
            build_s=seconds,
            videos=len(dataset),
            serialize_data=serialized,
            data_mib=(dataset.data_bytes.nbytes /
                      2**20 if serialized else None),
            rss_before_gib=rss_before,
            peak_rss_gib=memory_of(os.getpid())['peak_rss']))


def _loader_cfg(cfg: Config, workers: int) -> dict:
    """The config's training dataloader with ``workers`` workers, one clip
    a batch, drawing clips without end."""
    loader = copy.deepcopy(cfg.train_dataloader)
    loader.update(
        batch_size=1,
        num_workers=workers,
        persistent_workers=True,
        sampler=dict(type='InfiniteSampler', shuffle=True))
    return loader


def _memory_point(clip: int, main_pid: int, worker_pids: List[int]) -> dict:
    return dict(
        clip=clip,
        main=memory_of(main_pid),
        workers=[memory_of(pid) for pid in worker_pids])


def dataloader(args: argparse.Namespace) -> None:
    cfg = training_config(args.config, args.ann_file, args.img_root,
                          args.classes)
    loader = Runner.build_dataloader(_loader_cfg(cfg, args.workers), seed=0)
    batches = iter(loader)
    # torch's iterator keeps its worker processes here (no public API)
    worker_pids = [worker.pid for worker in batches._workers]
    points, start = [], time.perf_counter()
    for clip in range(1, args.clips + 1):
        next(batches)
        if clip in args.report_at or clip == args.clips:
            points.append(_memory_point(clip, os.getpid(), worker_pids))
            print(
                f'clip {clip}/{args.clips}: worker RSS ' +
                ', '.join(f"{worker['rss']:.2f}"
                          for worker in points[-1]['workers']) + ' GiB',
                flush=True)
    print_figures(
        dict(
            clips=args.clips,
            clips_per_s=args.clips / (time.perf_counter() - start),
            memory=points))


def _mmdet_mask_dataset(masks_file: str, img_root: str):
    """mmdet's own Mask2Former-VIS training dataset and pipeline (masks
    loaded), on clips of 5 frames."""
    dataset = get_config(MMDET_CONFIG).train_dataloader.dataset
    dataset.update(
        data_root='',
        ann_file=osp.abspath(masks_file),
        data_prefix=dict(img_path=osp.abspath(img_root)))
    sampler = dataset.pipeline[0]
    sampler.num_ref_imgs = CLIP_FRAMES - 1
    return DATASETS.build(dataset)


def _clip_seconds(dataset, index: int) -> float:
    start = time.perf_counter()
    dataset[index]
    return time.perf_counter() - start


def pipelines(args: argparse.Namespace) -> None:
    cv2.setNumThreads(1)
    boxes = DATASETS.build(
        training_config(BOX_CONFIG, args.boxes_file,
                        args.img_root).train_dataloader.dataset)
    masks = _mmdet_mask_dataset(args.masks_file, args.img_root)
    if len(boxes) != len(masks):
        raise SystemExit(f'{len(boxes)} training videos in the boxes file, '
                         f'{len(masks)} in the masks file: not the same')
    indices = np.random.default_rng(0).integers(0, len(boxes), args.clips)
    seconds = dict(boxes=0.0, masks=0.0)
    for done, index in enumerate(indices.tolist(), start=1):
        seconds['boxes'] += _clip_seconds(boxes, index)
        seconds['masks'] += _clip_seconds(masks, index)
        if done % 50 == 0:
            print(f'clip {done}/{args.clips}', flush=True)
    print_figures(
        dict(
            clips=args.clips,
            box_clips_per_s=args.clips / seconds['boxes'],
            mask_clips_per_s=args.clips / seconds['masks'],
            ratio=seconds['masks'] / seconds['boxes']))


def checkpoint(args: argparse.Namespace) -> None:
    torch.manual_seed(0)
    model = init_vis_model(TINY_CONFIG)
    os.makedirs(osp.dirname(osp.abspath(args.output)), exist_ok=True)
    torch.save(
        dict(
            state_dict=model.state_dict(),
            meta=dict(dataset_meta=model.dataset_meta)), args.output)
    print_figures(dict(checkpoint=args.output))


def _dataset_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument('config', help='a box-supervised config')
    parser.add_argument('ann_file', help="the training file (mmdet format)")
    parser.add_argument('img_root', help='the folder of its frames')
    parser.add_argument(
        '--classes',
        nargs='+',
        help="the dataset's classes (default the config's)")


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    steps = parser.add_subparsers(dest='step', required=True)
    _dataset_arguments(steps.add_parser('build', help='build the dataset'))
    loader = steps.add_parser('dataloader', help='draw clips, 2 workers')
    _dataset_arguments(loader)
    loader.add_argument('--clips', type=int, default=500)
    loader.add_argument('--workers', type=int, default=2)
    loader.add_argument(
        '--report-at',
        type=int,
        nargs='+',
        default=[100],
        help='clips after which memory is read (and after the last)')
    compared = steps.add_parser('pipelines', help='box against mask clips')
    compared.add_argument('boxes_file', help='the boxes-only file')
    compared.add_argument('masks_file', help='the same videos with masks')
    compared.add_argument('img_root', help='the folder of their frames')
    compared.add_argument('--clips', type=int, default=200)
    tiny = steps.add_parser('checkpoint', help='a tiny model checkpoint')
    tiny.add_argument('output', help='the .pth to write')
    return parser.parse_args(argv)


STEPS = dict(
    build=build,
    dataloader=dataloader,
    pipelines=pipelines,
    checkpoint=checkpoint)


def main(argv: Optional[List[str]] = None) -> None:
    args = parse_args(argv)
    register_all_modules()
    STEPS[args.step](args)


if __name__ == '__main__':
    main()
