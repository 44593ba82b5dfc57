"""Import BDD100K box-tracking labels into mmdet's video format, boxes only.

``python tools/dataset_converters/bdd100k_to_mmdet.py LABELS OUTPUT
--img-root IMAGES [--classes car pedestrian ...]``

LABELS is the folder of per-video label files (``labels/box_track_20/
train``) or one file; IMAGES the folder of the videos' frame folders
(``images/track/train``). OUTPUT is what ``CheckedVideoDataset`` reads as
``ann_file`` (the format ``youtube_vis_to_mmdet.py --boxes-only`` writes),
with frame paths relative to IMAGES. BDD100K's ignored categories, crowd
boxes and classes not kept are left out, recorded in the output and listed
by ``tools/misc/check_dataset.py``. Malformed input stops with a message
naming the file, video, frame, label and field.
"""
import argparse
from typing import List, Optional

from mmfvis.datasets import BDD100K_CLASSES, import_box_tracks, read_bdd100k


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Import BDD100K box-tracking labels into mmdet's video "
        'format (boxes only)')
    parser.add_argument(
        'labels', help='folder of label json files (one per video), or one')
    parser.add_argument('output', help='json to write (mmdet format)')
    parser.add_argument(
        '--img-root',
        required=True,
        help='folder of the frame folders, one per video')
    parser.add_argument(
        '--classes',
        nargs='+',
        choices=BDD100K_CLASSES,
        help='classes to keep, in label order (default all 8)')
    return parser.parse_args(argv)


def main(argv: Optional[List[str]] = None) -> None:
    args = parse_args(argv)
    import_box_tracks(
        lambda: read_bdd100k(
            args.labels, args.img_root, args.classes, show_progress=True),
        args.output,
        args.img_root,
        input_errors=(FileNotFoundError, ))


if __name__ == '__main__':
    main()
