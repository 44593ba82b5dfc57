import random
from typing import List, Tuple

from mmdet.datasets.transforms import UniformRefFrameSample
from mmdet.registry import TRANSFORMS

__all__ = ['ClipFrameSample']


@TRANSFORMS.register_module()
class ClipFrameSample(UniformRefFrameSample):
    """Sample a training clip of ``num_frames`` frames around a key frame.

    The clip holds the key frame and ``num_frames - 1`` others drawn within
    ``frame_range`` frames of it, without repeats. Near the ends of a video
    the window slides to stay inside it, and a ``frame_range`` too small for
    ``num_frames`` distinct frames widens it: a video of at least
    ``num_frames`` frames always gives distinct frames. A shorter video gives
    all of its frames, then repeats them from the start until the clip is
    full (its frame order is still sorted). The frames are sorted, then
    shuffled when ``shuffle`` is set: MaskFreeVIS pairs frames cyclically in
    clip order, and shuffling makes those pairs random pairs of the window.

    Args:
        num_frames (int): frames per clip, T. Defaults to 5.
        frame_range (int): frames are at most this far from the key frame.
            Defaults to 5 (the published setting).
        shuffle (bool): shuffle the sorted clip. Defaults to True.
        collect_video_keys (list[str]): video-level keys copied into every
            frame.
    """

    def __init__(self,
                 num_frames: int = 5,
                 frame_range: int = 5,
                 shuffle: bool = True,
                 collect_video_keys: List[str] = ['video_id', 'video_length']):
        if num_frames < 1:
            raise ValueError(f'num_frames must be >= 1, got {num_frames}')
        if not isinstance(frame_range, int) or frame_range < 0:
            raise ValueError(
                f'frame_range must be an int >= 0, got {frame_range!r}')
        super().__init__(
            num_ref_imgs=num_frames - 1,
            frame_range=frame_range,
            filter_key_img=True,
            collect_video_keys=collect_video_keys)
        self.num_frames = num_frames
        self.shuffle = shuffle

    def _window(self, video_length: int, key_frame_id: int) -> List[int]:
        """Frame ids within ``frame_range`` of the key frame, widened to
        ``num_frames`` ids if narrower and slid to stay inside the video."""
        width = min(video_length,
                    max(2 * self.frame_range[1] + 1, self.num_frames))
        start = min(max(0, key_frame_id - width // 2), video_length - width)
        return list(range(start, start + width))

    def sampling_frames(self, video_length: int,
                        key_frame_id: int) -> Tuple[List[int], List[bool]]:
        """Frame ids of the clip and which one is the key frame.

        Returns:
            tuple[list[int], list[bool]]: ``num_frames`` frame ids (sorted,
            or shuffled), and a flag per frame, True for the key frame.
        """
        if video_length >= self.num_frames:
            others = [
                i for i in self._window(video_length, key_frame_id)
                if i != key_frame_id
            ]
            frame_ids = [key_frame_id] + random.sample(others,
                                                       self.num_frames - 1)
        else:
            frame_ids = [i % video_length for i in range(self.num_frames)]
        frame_ids.sort()
        key_flags = [False] * self.num_frames
        key_flags[frame_ids.index(key_frame_id)] = True
        if self.shuffle:
            order = random.sample(range(self.num_frames), self.num_frames)
            frame_ids = [frame_ids[i] for i in order]
            key_flags = [key_flags[i] for i in order]
        return frame_ids, key_flags

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(num_frames={self.num_frames}, '
                f'frame_range={self.frame_range[1]}, '
                f'shuffle={self.shuffle})')
