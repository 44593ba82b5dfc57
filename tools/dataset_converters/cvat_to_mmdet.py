"""Import CVAT box tracks ("CVAT for video 1.1") into mmdet's video
format, boxes only.

``python tools/dataset_converters/cvat_to_mmdet.py EXPORTS_DIR OUTPUT
[--classes LABEL ...] [--frames-dir images] [--first-number 0]``

EXPORTS_DIR holds one folder per video, named as the video, each an
unzipped CVAT export: ``annotations.xml`` and its frames (``images/``,
exported with "Save images"). OUTPUT is what ``CheckedVideoDataset`` reads
as ``ann_file`` (the format ``youtube_vis_to_mmdet.py --boxes-only``
writes), with frame paths relative to EXPORTS_DIR. Boxes are read as CVAT
shows them (interpolated between keyframes, ended by ``outside``). Tracks
of other shapes, rotated boxes and labels not kept are left out, recorded
in the output and listed by ``tools/misc/check_dataset.py``. Malformed
input stops with a message naming the file, video, track, frame and field.
"""
import argparse
from typing import List, Optional

from mmfvis.datasets import import_box_tracks, read_cvat_exports


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Import CVAT for video 1.1 box tracks into mmdet's "
        'video format (boxes only)')
    parser.add_argument(
        'exports_dir', help='folder of export folders, one per video')
    parser.add_argument('output', help='json to write (mmdet format)')
    parser.add_argument(
        '--classes',
        nargs='+',
        help='labels to keep, in label order (default every label, in the '
        "order of the exports' meta)")
    parser.add_argument(
        '--frames-dir',
        default='images',
        help="the frames' folder in each export (default images)")
    parser.add_argument(
        '--first-number',
        type=int,
        default=0,
        help='the number in the file name of frame 0 (default 0, as CVAT '
        'saves frame_000000; 1 for frames extracted with ffmpeg)')
    return parser.parse_args(argv)


def main(argv: Optional[List[str]] = None) -> None:
    args = parse_args(argv)
    import_box_tracks(
        lambda: read_cvat_exports(
            args.exports_dir,
            args.classes,
            args.frames_dir,
            args.first_number,
            show_progress=True), args.output, args.exports_dir)


if __name__ == '__main__':
    main()
