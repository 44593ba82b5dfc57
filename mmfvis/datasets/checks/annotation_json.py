"""Read an annotation json, naming the file and position of any fault."""
import json
from typing import Optional

from mmengine import fileio

from .annotation_report import VideoAnnotationError

__all__ = ['is_official_youtube_vis', 'load_annotation_json']


def _decode_failure(path: str, text: str,
                    error: json.JSONDecodeError) -> VideoAnnotationError:
    message = (f'{path}: not valid JSON at line {error.lineno} column '
               f'{error.colno} (character {error.pos} of {len(text)}): '
               f'{error.msg}')
    if error.pos >= len(text.rstrip()):
        message += ('; the file ends there: it is truncated (an interrupted '
                    'download, copy or conversion?) or empty')
    return VideoAnnotationError(message)


def load_annotation_json(path: str, backend_args: Optional[dict] = None):
    """The parsed content of an annotation file.

    Args:
        path (str): local path or URI (mmengine file backends).
        backend_args (dict, optional): mmengine file backend arguments.

    Raises:
        FileNotFoundError: no file at ``path``.
        VideoAnnotationError: not UTF-8 text, or not valid JSON (the
            message gives the line, column and whether the file ends
            there, i.e. is truncated).
    """
    if not fileio.exists(path, backend_args=backend_args):
        raise FileNotFoundError(f'{path}: no such file')
    try:
        text = fileio.get_text(path, backend_args=backend_args)
    except UnicodeDecodeError as error:
        raise VideoAnnotationError(
            f'{path}: not UTF-8 text (byte {error.start}): is it an '
            'annotation json?') from error
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise _decode_failure(path, text, error) from error


def is_official_youtube_vis(data) -> bool:
    """Whether parsed json looks like the official format: videos listing
    their ``file_names``."""
    videos = data.get('videos') if isinstance(data, dict) else None
    return isinstance(videos, list) and bool(videos) and isinstance(
        videos[0], dict) and 'file_names' in videos[0]
