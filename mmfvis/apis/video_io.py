"""Reading the frames of a video file or folder, and writing videos."""
import os
import os.path as osp
from typing import Iterator, List, Optional, Tuple

import cv2
import numpy as np

__all__ = [
    'IMAGE_EXTENSIONS', 'VideoFrames', 'open_video_writer',
    'read_dataset_frames'
]

IMAGE_EXTENSIONS = ('.jpg', '.jpeg', '.png', '.bmp', '.tif', '.tiff', '.webp')
# FourCC codes OpenCV's bundled FFmpeg writes, by container.
_FOURCC_BY_EXTENSION = {'.mp4': 'mp4v', '.m4v': 'mp4v', '.avi': 'MJPG'}


class VideoFrames:
    """The frames of a video file or of a folder of images, in order.

    Iterating yields (H, W, 3) uint8 BGR frames; it can be repeated (the
    source is read again). A folder's images are taken in file-name order.

    Args:
        path (str): a video file OpenCV reads (mp4, avi...) or a folder of
            images (``IMAGE_EXTENSIONS``).
        fps (float, optional): frame rate of a folder of images (default
            10); a video file's own rate is read from it.

    Raises:
        FileNotFoundError: no such path, or a folder without images.
        ValueError: a video file OpenCV cannot open.
    """

    def __init__(self, path: str, fps: Optional[float] = None) -> None:
        self.path = path
        self.frame_files: Optional[List[str]] = None
        if osp.isdir(path):
            self.frame_files = sorted(
                osp.join(path, name) for name in os.listdir(path)
                if name.lower().endswith(IMAGE_EXTENSIONS))
            if not self.frame_files:
                raise FileNotFoundError(
                    f'{path}: no image files ({", ".join(IMAGE_EXTENSIONS)})')
            self.fps = float(fps or 10.0)
            self.num_frames = len(self.frame_files)
        elif osp.isfile(path):
            capture = self._open_capture()
            self.fps = float(fps or capture.get(cv2.CAP_PROP_FPS) or 10.0)
            # The container's count, for progress bars: it can be off.
            self.num_frames = int(capture.get(cv2.CAP_PROP_FRAME_COUNT))
            capture.release()
        else:
            raise FileNotFoundError(f'{path}: no such video file or folder')

    def _open_capture(self) -> cv2.VideoCapture:
        capture = cv2.VideoCapture(self.path)
        if not capture.isOpened():
            raise ValueError(f'{self.path}: OpenCV cannot open this video')
        return capture

    def __iter__(self) -> Iterator[np.ndarray]:
        first_shape = None
        for name, frame in self._read():
            if first_shape is None:
                first_shape = frame.shape
            elif frame.shape != first_shape:
                raise ValueError(
                    f'{name}: frame of {frame.shape[1]}x{frame.shape[0]} '
                    f'pixels, the first frame has '
                    f'{first_shape[1]}x{first_shape[0]}')
            yield frame

    def _read(self) -> Iterator[Tuple[str, np.ndarray]]:
        if self.frame_files is not None:
            for file_name in self.frame_files:
                frame = cv2.imread(file_name, cv2.IMREAD_COLOR)
                if frame is None:
                    raise ValueError(f'{file_name}: cannot be read as an '
                                     'image')
                yield file_name, frame
            return
        capture = self._open_capture()
        try:
            index = 0
            while True:
                ok, frame = capture.read()
                if not ok:
                    break
                yield f'{self.path} frame {index}', frame
                index += 1
        finally:
            capture.release()


def open_video_writer(path: str, fps: float, width: int,
                      height: int) -> cv2.VideoWriter:
    """An OpenCV writer of (height, width, 3) uint8 BGR frames.

    Raises:
        ValueError: an extension other than .mp4, .m4v or .avi, or a file
            OpenCV cannot create.
    """
    extension = osp.splitext(path)[1].lower()
    if extension not in _FOURCC_BY_EXTENSION:
        raise ValueError(f'{path}: write the video as one of '
                         f'{sorted(_FOURCC_BY_EXTENSION)}')
    os.makedirs(osp.dirname(osp.abspath(path)), exist_ok=True)
    fourcc = cv2.VideoWriter_fourcc(*_FOURCC_BY_EXTENSION[extension])
    writer = cv2.VideoWriter(path, fourcc, fps, (width, height))
    if not writer.isOpened():
        raise ValueError(f'{path}: OpenCV cannot write this video')
    return writer


def read_dataset_frames(frame_infos: List[dict],
                        scale: float = 1) -> List[np.ndarray]:
    """The frames of one dataset video (the ``images`` entries of mmdet's
    video data info, each with its ``img_path``), BGR (H, W, 3) uint8,
    resized by ``scale`` (bilinear): pictures drawn larger than the frames
    keep their labels legible."""
    return [
        cv2.resize(
            cv2.imread(info['img_path']),
            None,
            fx=scale,
            fy=scale,
            interpolation=cv2.INTER_LINEAR) for info in frame_infos
    ]
