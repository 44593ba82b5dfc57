"""Convert one split of official YouTube-VIS / OVIS json to mmdet's format.

``python tools/dataset_converters/youtube_vis_to_mmdet.py INPUT OUTPUT
[--boxes-only]``

INPUT is an official annotation file (YouTube-VIS 2019/2021 or OVIS, any
split: ``valid`` and ``test`` files without ``annotations`` convert too).
OUTPUT is what mmdet's ``YouTubeVISDataset`` reads as ``ann_file``.
``--boxes-only`` drops every mask, for mask-free training. Malformed input
stops with a message naming the file, video, annotation, frame and field.
"""
import argparse
import sys
from typing import List, Optional

from mmfvis.datasets import (VideoAnnotationError, YouTubeVISFormatError,
                             convert_youtube_vis, load_annotation_json)
from mmfvis.fileio import dump_json_atomically


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Convert one split of official YouTube-VIS / OVIS '
        "annotations to mmdet's video format")
    parser.add_argument('input', help='official annotation json')
    parser.add_argument('output', help='json to write (mmdet format)')
    parser.add_argument(
        '--boxes-only',
        action='store_true',
        help='drop all masks (box-supervised, mask-free training)')
    return parser.parse_args(argv)


def load_json(path: str):
    """The parsed file; a missing, truncated or malformed file stops with
    its name (and where the JSON breaks)."""
    print(f'reading {path}', file=sys.stderr)
    try:
        return load_annotation_json(path)
    except (FileNotFoundError, VideoAnnotationError) as error:
        raise SystemExit(str(error)) from error


def summary(converted: dict) -> str:
    with_masks = sum('segmentation' in a for a in converted['annotations'])
    tracks = {a['instance_id'] for a in converted['annotations']}
    return (f"{len(converted['videos'])} videos, "
            f"{len(converted['images'])} frames, {len(tracks)} instance "
            f"tracks, {len(converted['annotations'])} per-frame boxes "
            f'({with_masks} with masks), '
            f"{len(converted['categories'])} categories")


def main(argv: Optional[List[str]] = None) -> None:
    args = parse_args(argv)
    official = load_json(args.input)
    try:
        converted = convert_youtube_vis(
            official,
            boxes_only=args.boxes_only,
            source=args.input,
            show_progress=True)
    except YouTubeVISFormatError as error:
        raise SystemExit(str(error)) from error
    dump_json_atomically(converted, args.output)
    print(f'\nwrote {args.output}: {summary(converted)}')


if __name__ == '__main__':
    main()
