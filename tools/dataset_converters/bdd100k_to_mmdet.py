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

from mmfvis.datasets import (BDD100K_CLASSES, BoxTrackFormatError,
                             VideoAnnotationError, box_tracks_to_mmdet,
                             import_summary, read_bdd100k, save_imported)


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
    try:
        videos, classes, skips = read_bdd100k(
            args.labels, args.img_root, args.classes, show_progress=True)
        converted = box_tracks_to_mmdet(videos, classes, skips)
        report = save_imported(converted, args.output, show_progress=True)
    except (FileNotFoundError, BoxTrackFormatError,
            VideoAnnotationError) as error:
        raise SystemExit(str(error)) from error
    print('\n'.join(import_summary(converted, report, args.img_root)))


if __name__ == '__main__':
    main()
