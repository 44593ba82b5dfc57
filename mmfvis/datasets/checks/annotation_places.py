"""The places the annotation checks name, and the json value tests they
share: ``'video 7 (name), frame 0 (file)'``, or ``'image 3 (file)'`` for an
image outside a video."""
from typing import List, Tuple

__all__ = [
    'Problem', 'frame_files', 'frame_where', 'is_id', 'is_int',
    'is_positive_int', 'video_where'
]

Problem = Tuple[str, str, str]  # severity, kind, message


def is_int(value) -> bool:
    """A json integer (not a bool)."""
    return isinstance(value, int) and not isinstance(value, bool)


def is_positive_int(value) -> bool:
    """A json integer >= 1."""
    return is_int(value) and value > 0


def is_id(value) -> bool:
    """An id json can hold and a set can index: int (not bool) or str."""
    return isinstance(value, (int, str)) and not isinstance(value, bool)


def video_where(video_id, video_names: dict) -> str:
    """``'video 7 (name)'``, the name from ``video_names`` (video id ->
    name) where it has one."""
    name = video_names.get(video_id) if is_id(video_id) else None
    return f'video {video_id!r}' + (f' ({name})' if name else '')


def frame_where(image: dict, video_names: dict) -> str:
    """``'video 7 (name), frame 0 (file)'``, or ``'image 3 (file)'``
    outside a video."""
    name = image.get('file_name')
    if 'video_id' not in image:
        return f"image {image.get('id')!r} ({name})"
    return (f"{video_where(image['video_id'], video_names)}, frame "
            f"{image.get('frame_id')!r} ({name})")


def frame_files(data: dict) -> List[Tuple[str, str]]:
    """(location, ``file_name``) of every frame of an mmdet-format file
    that names its file, in file order."""
    video_names = {
        video.get('id'): video.get('name')
        for video in data.get('videos') or [] if isinstance(video, dict)
    }
    return [
        (frame_where(image, video_names), image['file_name'])
        for image in data.get('images') or []
        if isinstance(image, dict) and isinstance(image.get('file_name'), str)
    ]
