"""Import MOTChallenge box tracks into mmdet's video format, boxes only.

``python tools/dataset_converters/mot_to_mmdet.py SEQUENCES_DIR OUTPUT
[--classes 1] [--min-visibility 0] [--sequences PATTERN ...]``

SEQUENCES_DIR holds one folder per sequence (MOT16/17/20 ``train/``,
DanceTrack ``train/``), each with ``seqinfo.ini``, its frames (``img1/``)
and ``gt/gt.txt``. OUTPUT is what ``CheckedVideoDataset`` reads as
``ann_file`` (the format ``youtube_vis_to_mmdet.py --boxes-only`` writes),
with frame paths relative to SEQUENCES_DIR. Rows of ``conf`` 0 are left out
as MOTChallenge does, and so are rows of other classes and under the
minimum visibility; each is recorded in the output and listed by
``tools/misc/check_dataset.py``. Malformed input stops with a message
naming the file, line, frame, track and field.
"""
import argparse
from typing import List, Optional

from mmfvis.datasets import (MOT17_CLASSES, import_box_tracks,
                             read_mot_sequences)


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Import MOTChallenge box tracks into mmdet's video "
        'format (boxes only)')
    parser.add_argument(
        'sequences_dir', help='folder of sequence folders (e.g. MOT17/train)')
    parser.add_argument('output', help='json to write (mmdet format)')
    parser.add_argument(
        '--classes',
        type=int,
        nargs='+',
        default=[1],
        help='MOT class numbers to keep, in label order (default 1, '
        f'pedestrian; MOT17: {MOT17_CLASSES})')
    parser.add_argument(
        '--min-visibility',
        type=float,
        default=0.0,
        help="leave out rows of a lower 'visibility' (default 0: keep all)")
    parser.add_argument(
        '--sequences',
        nargs='+',
        help="only the sequence folders matching these patterns, e.g. "
        "'*-FRCNN' (MOT17 holds each sequence three times, once per public "
        'detector, with the same ground truth)')
    return parser.parse_args(argv)


def main(argv: Optional[List[str]] = None) -> None:
    args = parse_args(argv)
    import_box_tracks(
        lambda: read_mot_sequences(
            args.sequences_dir,
            args.classes,
            args.min_visibility,
            args.sequences,
            show_progress=True), args.output, args.sequences_dir)


if __name__ == '__main__':
    main()
