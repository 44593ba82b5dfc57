"""Videos as training sees them: one without any annotated frame gives no
clip, one shorter than the clip repeats frames. Shared by the checks of
mmdet's format and of the official YouTube-VIS format."""
from typing import Optional

from .annotation_report import AnnotationReport

__all__ = ['check_video_length']


def check_video_length(report: AnnotationReport,
                       where: str,
                       num_frames: int,
                       annotated_frames: int,
                       clip_frames: Optional[int],
                       kept: str = 'an annotation') -> None:
    """A skip for a video without any annotated frame, a warning for one
    with fewer than ``clip_frames``.

    Args:
        report (AnnotationReport): where the problems go.
        where (str): the video, e.g. ``'video 3 (name)'``.
        num_frames (int): its frames.
        annotated_frames (int): its frames that keep ``kept``.
        clip_frames (int, optional): frames per training clip.
        kept (str): what an annotated frame keeps, in the message.
    """
    if annotated_frames == 0:
        report.add(
            'skip', 'video without any annotated frame', where,
            f'none of its {num_frames} frames keeps {kept}: training skips '
            'the video (evaluation keeps it)')
    elif clip_frames and annotated_frames < clip_frames:
        report.add(
            'warning', 'video shorter than the clip', where,
            f'{annotated_frames} annotated frames, fewer than the '
            f'{clip_frames}-frame training clips: ClipFrameSample repeats '
            'them')
