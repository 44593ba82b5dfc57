from typing import Optional

from mmcv.transforms import LoadImageFromFile
from mmdet.registry import TRANSFORMS

__all__ = ['FrameLoadError', 'LoadFrameFromFile']


class FrameLoadError(OSError):
    """A video frame that is missing from disk or cannot be decoded."""


def _frame_where(results: dict) -> str:
    """'video <id>, frame <index> (<path>)', as far as ``results`` tells."""
    parts = []
    if 'video_id' in results:
        parts.append(f"video {results['video_id']}")
    if 'frame_id' in results:
        parts.append(f"frame {results['frame_id']}")
    return ', '.join(parts + [f"file {results['img_path']}"])


@TRANSFORMS.register_module()
class LoadFrameFromFile(LoadImageFromFile):
    """mmcv's ``LoadImageFromFile``, whose failures name the video and frame.

    A missing file, an empty one or one that does not decode as an image
    (truncated or corrupt) raises :class:`FrameLoadError` naming the
    video id, frame index and path, with the original error as its cause.
    With ``ignore_empty=True`` such a frame gives None, as mmcv's does.
    The checked datasets (``CheckedVideoDataset``...) load frames with it in
    place of ``LoadImageFromFile``.
    """

    def transform(self, results: dict) -> Optional[dict]:
        try:
            return super().transform(results)
        except FileNotFoundError as error:
            raise FrameLoadError(f'{_frame_where(results)}: the frame is '
                                 'missing from disk') from error
        except Exception as error:  # mmcv raises several kinds on bad data
            raise FrameLoadError(
                f'{_frame_where(results)}: the frame cannot be read as an '
                f'image (empty, truncated or corrupt file?): {error}'
            ) from error
