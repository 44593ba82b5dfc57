"""Check a VIS annotation file: ``python tools/misc/check_dataset.py
ANNOTATION_JSON [--img-root DIR] [options]``.

Reads the official YouTube-VIS 2019/2021 / OVIS format or mmdet's video
format (what ``YouTubeVISDataset`` and the checked datasets read), runs the
checks the checked datasets run on load, and prints the counts (videos,
frames, instances, boxes, categories) and each problem with its location:
errors (training refuses the file), skips (annotations or videos training
leaves out, and what the box-track importers left out, recorded in the
file) and warnings. With ``--img-root``, every frame must also be
on disk (``--decode``: and decode). Exits 1 when there is an error, 0
otherwise (skips and warnings only), 2 on bad arguments.
"""
import argparse
import sys
from typing import List, Optional

from mmfvis.datasets.checks import (AnnotationReport, VideoAnnotationError,
                                    check_frame_files, check_video_annotations,
                                    frame_files, is_official_youtube_vis,
                                    load_annotation_json)
from mmfvis.datasets.importers import (check_youtube_vis,
                                       youtube_vis_frame_files)


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Check a YouTube-VIS/OVIS or mmdet video annotation '
        'file and the frames it names')
    parser.add_argument('annotation_json', help='the annotation file')
    parser.add_argument(
        '--img-root',
        help='folder the frame file names are relative to; checks that '
        'every frame is there')
    parser.add_argument(
        '--decode',
        action='store_true',
        help='with --img-root, also decode every frame (slower)')
    parser.add_argument(
        '--classes',
        nargs='+',
        help="the dataset's classes, in label order (mmdet format): the "
        'categories must hold them in this order; other categories are '
        'skips')
    parser.add_argument(
        '--clip-frames',
        type=int,
        default=5,
        help='frames per training clip: shorter videos get a warning '
        '(default 5; 0: no such warning)')
    parser.add_argument(
        '--max-examples',
        type=int,
        default=20,
        help='problems printed per kind (default 20; 0: all)')
    return parser.parse_args(argv)


def check_file(args: argparse.Namespace) -> AnnotationReport:
    """Read and check the file named in ``args``; its report."""
    path = args.annotation_json
    data = load_annotation_json(path)
    if is_official_youtube_vis(data):
        print(f'{path}: official YouTube-VIS/OVIS format')
        report = check_youtube_vis(
            data, path, args.clip_frames, show_progress=True)
        frames = youtube_vis_frame_files(data)
    else:
        print(f"{path}: mmdet's video format")
        report = check_video_annotations(
            data,
            path,
            classes=args.classes,
            clip_frames=args.clip_frames,
            show_progress=True)
        frames = frame_files(data)
    if args.img_root:
        check_frame_files(
            frames,
            args.img_root,
            report,
            decode=args.decode,
            show_progress=True)
    return report


def main(argv: Optional[List[str]] = None) -> int:
    args = parse_args(argv)
    try:
        report = check_file(args)
    except (FileNotFoundError, VideoAnnotationError) as error:
        print(f'ERROR: {error}')
        return 1
    if report.counts:
        print(report.counts_line())
    for line in report.format(max_examples=args.max_examples or None):
        print(line)
    totals = {
        severity: len(report.of_severity(severity))
        for severity in ('error', 'skip', 'warning')
    }
    print(f"{totals['error']} error(s), {totals['skip']} skip(s), "
          f"{totals['warning']} warning(s)")
    return 1 if totals['error'] else 0


if __name__ == '__main__':
    sys.exit(main())
