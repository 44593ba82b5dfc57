"""Where the pairwise term's gain goes: the same question, box projection
alone against projection + pairwise, asked at each step from a plain
network to the full pipeline.

Rungs (each row 3 seeds by default, J = mean IoU on held-out images):

- ``R0``: a small U-Net, logits at stride 2, on generated images of one
  blob each, the pairwise weight ramped up over the first 100 steps as the
  configs ramp it; ``R0-no-warm-up`` at full weight from the first step;
  ``R0-two-colour`` with a colour edge inside every object;
- ``R1-stride4``: the U-Net at the pipeline's logit stride 4;
  ``R1-crops``: at stride 4 on frames of the blobs videos cut to one
  object's surroundings (textures, distractors, occluders);
  ``R1-crops-plain`` the same without crops of camouflaged objects (those
  coloured as the background where they start);
- ``R2-blobs``, ``R2-crops`` and ``R2-crops-plain``: the box-supervised
  image Mask2Former head (``configs/benchmarks/mfvis_ladder_image_cpu.py``)
  on R0's and R1's images, J of the prediction assigned to the object and
  mask AP; ``R2-crops-pair1`` and ``R2-crops-plain-pair1`` with the
  pairwise weight 1 against the projection's 5.

The video rungs (R3, the blobs videos; R4, DAVIS) are the blobs and DAVIS
benchmarks, which report J&F beside AP. Each run writes
``<work_dir>/<rung>/<row>_seed<k>.json``; finished runs are skipped, and
the table is rewritten after every run.

    python tools/analysis/mask_term_ladder.py --rungs R0 R1-stride4 --jobs 2
"""
import argparse
import datetime
import io
import json
import os
import os.path as osp
import sys
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import Dict, List, Sequence

import cv2
import numpy as np
from ablation.ladder import fcn, image_head
from ablation.machine import cpu_model
from ablation.paths import REPO, RESULTS
from ablation.records import dump_json
from ablation.summary import mean_std

from mmfvis.fileio import write_file_atomically

FCN_RUNGS = {
    'R0':
    fcn.FcnSettings(source='blobs', logit_stride=2),
    # the pairwise term at full weight from the first step
    'R0-no-warm-up':
    fcn.FcnSettings(source='blobs', logit_stride=2, pair_warmup_iters=0),
    'R0-two-colour':
    fcn.FcnSettings(source='two_colour_blobs', logit_stride=2),
    'R1-stride4':
    fcn.FcnSettings(source='blobs', logit_stride=4),
    'R1-crops':
    fcn.FcnSettings(source='video_crops', logit_stride=4),
    # the same, no camouflaged object cropped
    'R1-crops-plain':
    fcn.FcnSettings(source='video_crops_plain', logit_stride=4),
}
# rung: the FCN rung whose images (and budget) it shares
IMAGE_HEAD_RUNGS = {
    'R2-blobs': 'R0',
    'R2-crops': 'R1-crops',
    'R2-crops-plain': 'R1-crops-plain',
    'R2-crops-plain-pair1': 'R1-crops-plain',
    'R2-crops-pair1': 'R1-crops'
}
# the pairwise weight at 1 against the projection's 5 (published 5, 5)
PAIRWISE_WEIGHT_1 = {
    'box_supervision.panoptic_head.loss_pair.loss_weight': 1.0
}
# config overrides of an image-head rung's + pairwise row
IMAGE_HEAD_PAIR_OPTIONS = {
    'R2-crops-plain-pair1': PAIRWISE_WEIGHT_1,
    'R2-crops-pair1': PAIRWISE_WEIGHT_1
}
RUNGS = list(FCN_RUNGS) + list(IMAGE_HEAD_RUNGS)
LABELS = {
    'filled_box': 'filled box (no training)',
    'projection': 'projection',
    'projection_pairwise': 'projection + pairwise',
    'mask': 'mask supervision',
}
# masks of the first held-out images kept per run, for the pictures
PICTURED = 8


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--rungs', nargs='+', choices=RUNGS, default=RUNGS)
    parser.add_argument(
        '--rows', nargs='+', choices=fcn.FCN_ROWS, default=fcn.FCN_ROWS)
    parser.add_argument('--seeds', type=int, nargs='+', default=[0, 1, 2])
    parser.add_argument(
        '--iters',
        type=int,
        help='optimiser steps of every run '
        f'(default {fcn.FcnSettings.iters})')
    parser.add_argument(
        '--jobs', type=int, default=1, help='runs at a time (1 thread each)')
    parser.add_argument(
        '--work-dir', default=osp.join(REPO, 'work_dirs', 'ladder'))
    parser.add_argument(
        '--results-md',
        default=osp.join(RESULTS, 'ladder.md'),
        help='the table (rewritten after every run); its runs are kept in '
        'the .json beside it')
    return parser.parse_args(argv)


def _settings(rung: str, iters) -> fcn.FcnSettings:
    settings = FCN_RUNGS[IMAGE_HEAD_RUNGS.get(rung, rung)]
    if iters is None:
        return settings
    return fcn.FcnSettings(**dict(settings.to_dict(), iters=iters))


def _run_path(work_dir: str, rung: str, row: str, seed: int) -> str:
    return osp.join(work_dir, rung, f'{row}_seed{seed}.json')


def _data_root(work_dir: str, source: str) -> str:
    return osp.join(work_dir, 'data', source)


def _write_image_head_data(work_dir: str, rungs: Sequence[str]) -> None:
    """The COCO files of the image-head rungs' images, written once."""
    for rung in rungs:
        if rung not in IMAGE_HEAD_RUNGS:
            continue
        settings = _settings(rung, None)
        root = _data_root(work_dir, settings.source)
        if osp.isfile(osp.join(root, 'annotations', 'test.json')):
            continue
        for split, seed, count in (('train', 0, settings.num_train),
                                   ('test', 1, settings.num_test)):
            image_head.write_coco_split(
                fcn.make_images(settings.source, seed, count,
                                settings.image_size), root, split)


def _train_and_score(rung: str, row: str, seed: int, settings: fcn.FcnSettings,
                     work_dir: str) -> Dict:
    if rung in IMAGE_HEAD_RUNGS and row != 'filled_box':
        out_dir = osp.join(work_dir, rung, f'{row}_seed{seed}')
        options = IMAGE_HEAD_PAIR_OPTIONS.get(
            rung, {}) if row == 'projection_pairwise' else {}
        return image_head.run_image_head(row,
                                         _data_root(work_dir, settings.source),
                                         settings.iters, seed, out_dir,
                                         options)
    return fcn.run_fcn(row, settings, seed)


def _run_one(rung: str, row: str, seed: int, settings: fcn.FcnSettings,
             work_dir: str) -> Dict:
    """Train and score one run in this (worker) process, one thread; write
    its json and the masks of the first held-out images."""
    import torch
    torch.set_num_threads(1)
    started = datetime.datetime.now()
    result = _train_and_score(rung, row, seed, settings, work_dir)
    record = dict(
        rung=rung,
        row=row,
        seed=seed,
        J=result['J'],
        settings=settings.to_dict(),
        seconds=(datetime.datetime.now() - started).total_seconds())
    record.update({
        key: result[key]
        for key in ('segm_mAP', 'segm_mAP_50') if key in result
    })
    path = _run_path(work_dir, rung, row, seed)
    masks = io.BytesIO()
    np.save(masks, result['masks'][:PICTURED])
    write_file_atomically(
        path.replace('.json', '_masks.npy'), masks.getvalue())
    dump_json(record, path)
    return record


def _runs_to_do(args) -> List[tuple]:
    seeds_of = {'filled_box': [0]}
    return [(rung, row, seed) for rung in args.rungs for row in args.rows
            for seed in seeds_of.get(row, args.seeds)
            if not osp.isfile(_run_path(args.work_dir, rung, row, seed))]


def _load_runs(work_dir: str) -> List[Dict]:
    runs = []
    for rung in RUNGS:
        folder = osp.join(work_dir, rung)
        if not osp.isdir(folder):
            continue
        for name in sorted(os.listdir(folder)):
            if name.endswith('.json'):
                with open(osp.join(folder, name)) as file:
                    runs.append(json.load(file))
    return runs


def summarise(runs: Sequence[Dict],
              metric: str = 'J') -> Dict[str, Dict[str, Dict]]:
    """Per rung, per row: the metric's mean, std (ddof 1; 0 for one run)
    and seeds over the runs that have it."""
    cells: Dict[str, Dict[str, list]] = {}
    for run in runs:
        if metric in run:
            cells.setdefault(run['rung'], {}).setdefault(run['row'],
                                                         []).append(run)
    table = {}
    for rung, rows in cells.items():
        table[rung] = {}
        for row, cell in rows.items():
            mean, spread = mean_std(cell, metric)
            table[rung][row] = dict(mean=mean, std=spread, seeds=len(cell))
    return table


def pairwise_gain(rows: Dict[str, Dict]):
    """(gain, its std) of + pairwise over projection alone, or None."""
    if 'projection' not in rows or 'projection_pairwise' not in rows:
        return None
    alone, paired = rows['projection'], rows['projection_pairwise']
    return (paired['mean'] - alone['mean'],
            float(np.hypot(paired['std'], alone['std'])))


def _cell(rows: Dict[str, Dict], row: str) -> str:
    if row not in rows:
        return '-'
    cell = rows[row]
    if cell['seeds'] == 1:
        return f'{cell["mean"]:.3f}'
    return f'{cell["mean"]:.3f} ± {cell["std"]:.3f}'


def markdown_table(table: Dict[str, Dict[str, Dict]],
                   gain: bool = True) -> str:
    """Rung x row, mean ± std over seeds, and the pairwise gain."""
    header = ['rung'] + [LABELS[row] for row in fcn.FCN_ROWS]
    header += ['gain of + pairwise'] if gain else []
    lines = [
        '| ' + ' | '.join(header) + ' |',
        '| ' + ' | '.join(['---'] * len(header)) + ' |'
    ]
    for rung in RUNGS:
        if rung not in table:
            continue
        rows = table[rung]
        cells = [rung] + [_cell(rows, row) for row in fcn.FCN_ROWS]
        if gain:
            difference = pairwise_gain(rows)
            cells.append('-' if difference is None else
                         f'{difference[0]:+.3f} ± {difference[1]:.3f}')
        lines.append('| ' + ' | '.join(cells) + ' |')
    return '\n'.join(lines)


def _outlined(image: np.ndarray,
              mask: np.ndarray,
              truth: np.ndarray,
              colour=(255, 255, 0)) -> np.ndarray:
    """(S, S, 3) RGB: ``mask`` tinted and outlined in ``colour``, the true
    mask's outline in green over it, so that a miss shows as a gap."""
    shown = image.astype(np.float32)
    shown[mask] = 0.7 * shown[mask] + 0.3 * np.array(colour)
    shown = np.ascontiguousarray(shown.astype(np.uint8))
    for outlined, line_colour in ((mask, colour), (truth, (0, 255, 0))):
        contours, _ = cv2.findContours(
            outlined.astype(np.uint8), cv2.RETR_EXTERNAL,
            cv2.CHAIN_APPROX_NONE)
        shown = cv2.drawContours(shown, contours, -1, line_colour, 1)
    return shown


def draw_rung(work_dir: str, rung: str, path: str) -> bool:
    """Save a picture of one rung: the first held-out images, then each
    row's masks (seed 0) over them, one row of tiles each, at 2x.
    False when no run of the rung has masks yet."""
    settings = _settings(rung, None)
    test = fcn.make_images(settings.source, 1, PICTURED, settings.image_size)
    tiles = [list(test.images)]
    for row in fcn.FCN_ROWS:
        masks = _run_path(work_dir, rung, row,
                          0).replace('.json', '_masks.npy')
        if osp.isfile(masks):
            tiles.append([
                _outlined(image, mask, truth) for image, mask, truth in zip(
                    test.images, np.load(masks), test.masks)
            ])
    if len(tiles) == 1:
        return False
    grid = np.concatenate([np.concatenate(row, 1) for row in tiles], 0)
    grid = cv2.resize(grid, None, fx=2, fy=2, interpolation=cv2.INTER_NEAREST)
    os.makedirs(osp.dirname(path), exist_ok=True)
    cv2.imwrite(path, grid[..., ::-1], [cv2.IMWRITE_JPEG_QUALITY, 90])
    return True


def _pictures(args, rungs: Sequence[str]) -> List[str]:
    """Draw every rung's picture beside the results; markdown lines."""
    folder = osp.splitext(args.results_md)[0]
    lines = []
    for rung in rungs:
        path = osp.join(folder, f'{rung}.jpg')
        if draw_rung(args.work_dir, rung, path):
            relative = osp.relpath(path, osp.dirname(args.results_md))
            lines += [f'![{rung}]({relative})', '']
    return lines


def write_results(args, runs: Sequence[Dict]) -> None:
    """The tables, pictures and runs: ``--results-md`` and beside it."""
    table, ap_table = summarise(runs), summarise(runs, 'segm_mAP')
    settings = {run['rung']: run['settings'] for run in runs}
    rungs = [rung for rung in RUNGS if rung in table]
    text = '\n'.join([
        '# The image rungs of the mask-term ladder', '',
        'Written by `tools/analysis/mask_term_ladder.py`. J: mean IoU with '
        'the true mask on the held-out images, inside the ground-truth box '
        'for the FCN rungs, of the prediction assigned to the object for '
        'the image-head rungs; mean ± std over seeds (the gain\'s spread is '
        'the two rows\' std added in quadrature).', '',
        f'Command: `python tools/analysis/mask_term_ladder.py '
        f'{" ".join(sys.argv[1:])}`  ',
        f'Updated {datetime.date.today()} on {cpu_model()}, '
        f'{os.cpu_count()} cores.', '',
        markdown_table(table), ''
    ] + ([
        'Mask AP of the image-head rungs (COCO, held-out images):', '',
        markdown_table(ap_table, gain=False), ''
    ] if ap_table else []) + [
        'Pictures: the first held-out images (top), then each row\'s masks '
        'at seed 0 (yellow) with the true outline (green), in the order of '
        'the table\'s columns.', ''
    ] + _pictures(args, rungs) + ['Settings of each rung:', ''] + [
        f'- {rung}: ' + ', '.join(f'{k}={v}' for k, v in value.items())
        for rung, value in sorted(settings.items())
    ] + [''])
    write_file_atomically(args.results_md, text.encode())
    dump_json(
        dict(J=table, segm_mAP=ap_table, runs=list(runs)),
        osp.splitext(args.results_md)[0] + '.json')


def main(argv=None) -> None:
    args = parse_args(argv)
    todo = _runs_to_do(args)
    _write_image_head_data(args.work_dir, args.rungs)
    print(f'{len(todo)} runs to do, {args.jobs} at a time', flush=True)
    with ProcessPoolExecutor(max_workers=args.jobs) as pool:
        futures = [
            pool.submit(_run_one, rung, row, seed, _settings(rung, args.iters),
                        args.work_dir) for rung, row, seed in todo
        ]
        for done, future in enumerate(as_completed(futures), 1):
            record = future.result()
            print(
                f'[{done}/{len(todo)}] {record["rung"]} {record["row"]} '
                f'seed {record["seed"]}: J {record["J"]:.3f} '
                f'({record["seconds"]:.0f} s)',
                flush=True)
            write_results(args, _load_runs(args.work_dir))
    runs = _load_runs(args.work_dir)
    write_results(args, runs)
    print(markdown_table(summarise(runs)))


if __name__ == '__main__':
    main()
