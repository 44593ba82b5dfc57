"""Checks that the frames an annotation file names are on disk."""
import os.path as osp
import sys
from typing import Sequence, Tuple

import cv2
from tqdm import tqdm

from .annotation_report import AnnotationReport

__all__ = ['check_frame_files']


def _frame_problem(path: str, decode: bool):
    """(kind, message) of one frame file, or None when it is fine."""
    if not osp.isfile(path):
        return 'frame missing from disk', f'no file {path}'
    if osp.getsize(path) == 0:
        return 'empty frame file', f'{path} is empty'
    if decode and cv2.imread(path, cv2.IMREAD_COLOR) is None:
        return ('frame does not decode',
                f'{path} does not decode as an image (truncated or corrupt?)')
    return None


def check_frame_files(frames: Sequence[Tuple[str, str]],
                      img_root: str,
                      report: AnnotationReport,
                      decode: bool = False,
                      show_progress: bool = False) -> None:
    """Add an error to ``report`` for each missing or unreadable frame.

    Args:
        frames: (location, file name relative to ``img_root``) per frame,
            e.g. from :func:`frame_files` or
            :func:`youtube_vis_frame_files`.
        img_root (str): the folder the file names are relative to.
        report (AnnotationReport): where the errors go.
        decode (bool): also decode every frame (slow: reads every byte);
            otherwise a frame must exist and be non-empty.
        show_progress (bool): a progress bar over the frames.
    """
    for where, name in tqdm(
            frames,
            desc='checking frames',
            unit=' frames',
            file=sys.stderr,
            disable=not show_progress):
        problem = _frame_problem(osp.join(img_root, name), decode)
        if problem is not None:
            report.add('error', problem[0], where, problem[1])
