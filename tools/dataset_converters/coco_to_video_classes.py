"""Relabel COCO instance annotations with YouTube-VIS classes.

``python tools/dataset_converters/coco_to_video_classes.py INPUT OUTPUT
--classes {ytvis2019,ytvis2021} [--boxes-only]``

For joint image and video training (``configs/mfvis_ytvis_coco_joint.py``):
the COCO categories that are YouTube-VIS classes keep their annotations,
relabelled (e.g. COCO car -> 2019 sedan, bicycle and motorcycle ->
motorbike); the others, and images left without annotations, are dropped.
The categories of OUTPUT are the video classes in the video dataset's
order. ``--boxes-only`` drops every mask, for mask-free training.
"""
import argparse
import json
import os
import os.path as osp
import sys
from typing import List, Optional

from mmdet.datasets import YouTubeVISDataset

from mmfvis.datasets import (COCO_TO_YTVIS_2019, COCO_TO_YTVIS_2021,
                             relabel_coco_to_classes)

MAPPINGS = dict(
    ytvis2019=('2019', COCO_TO_YTVIS_2019),
    ytvis2021=('2021', COCO_TO_YTVIS_2021))


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Relabel COCO instance annotations with YouTube-VIS '
        'classes, for joint image and video training')
    parser.add_argument('input', help='COCO instances json')
    parser.add_argument('output', help='json to write (COCO format)')
    parser.add_argument(
        '--classes',
        choices=sorted(MAPPINGS),
        required=True,
        help='the video dataset whose classes label the output')
    parser.add_argument(
        '--boxes-only',
        action='store_true',
        help='drop all masks (box-supervised, mask-free training)')
    return parser.parse_args(argv)


def video_classes(version: str) -> tuple:
    """YouTube-VIS's classes of ``version`` ('2019' or '2021'), in order,
    as mmdet's ``YouTubeVISDataset`` has them."""
    YouTubeVISDataset.set_dataset_classes(version)
    return YouTubeVISDataset.METAINFO['classes']


def main(argv: Optional[List[str]] = None) -> None:
    args = parse_args(argv)
    if not osp.isfile(args.input):
        raise SystemExit(f'{args.input}: no such file')
    print(f'reading {args.input}', file=sys.stderr)
    with open(args.input) as file:
        coco = json.load(file)
    version, mapping = MAPPINGS[args.classes]
    relabelled = relabel_coco_to_classes(
        coco, mapping, video_classes(version), boxes_only=args.boxes_only)
    os.makedirs(osp.dirname(osp.abspath(args.output)), exist_ok=True)
    with open(args.output, 'w') as file:
        json.dump(relabelled, file)
    with_masks = sum('segmentation' in a for a in relabelled['annotations'])
    print(f"wrote {args.output}: {len(relabelled['images'])} images, "
          f"{len(relabelled['annotations'])} boxes ({with_masks} with "
          f"masks), {len(relabelled['categories'])} categories")


if __name__ == '__main__':
    main()
