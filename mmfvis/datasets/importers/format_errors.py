"""The importers' one error vocabulary: ``'<file>: <where>: <detail>'``.

Every reader of a source format (official YouTube-VIS / OVIS, MOTChallenge,
BDD100K, CVAT) stops at the first malformed record with an error of its
format's class, all of them :class:`AnnotationFormatError`: the message
names the file, then the video, frame, track or element, then the field at
fault and what is wrong with it.
"""
from typing import NoReturn

__all__ = [
    'AnnotationFormatError', 'BoxTrackFormatError', 'YouTubeVISFormatError'
]


class AnnotationFormatError(ValueError):
    """Malformed source annotations, raised by an importer's reader.

    Attributes:
        where (str): the video, annotation, line or element, frame and
            track at fault.
        detail (str): what is wrong, naming the field.
    """
    where: str
    detail: str

    @classmethod
    def raise_at(cls, source: str, where: str, detail: str) -> NoReturn:
        """Raise this class as ``'<source>: <where>: <detail>'``.

        Args:
            source (str): the annotation file (or folder) at fault.
            where (str): the place in it, e.g. ``'video 3 (name), frame
                7'``.
            detail (str): what is wrong, naming the field.
        """
        error = cls(f'{source}: {where}: {detail}')
        error.where, error.detail = where, detail
        raise error


class YouTubeVISFormatError(AnnotationFormatError):
    """Malformed official YouTube-VIS / OVIS annotations."""


class BoxTrackFormatError(AnnotationFormatError):
    """Malformed box-tracking annotations (MOTChallenge, BDD100K, CVAT)."""
