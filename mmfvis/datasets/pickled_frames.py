"""A video's frame infos kept pickled one by one, unpickled when read."""
import pickle
from collections.abc import Sequence
from typing import Iterable, List, Union

__all__ = ['PickledFrames']


class PickledFrames(Sequence):
    """The frame infos of one video (``video['images']`` of an mmdet video
    dataset), each kept as its own pickle and unpickled when read.

    mmengine's ``serialize_data`` pickles a video as one entry, which
    ``get_data_info`` unpickles whole for every clip: a clip reads 5
    frames, but a MOT20 sequence of 3,000 frames of 150 boxes took seconds
    to unpickle, each time. Held here, a clip unpickles the frames it
    reads; the video's entry is a tuple of bytes, quick to unpickle.

    A list to read: ``len``, indexing (a slice gives a list), iteration.
    Each read gives a new dict: a change to it is not kept.

    Args:
        frames (Iterable[dict]): the frame infos, in order.
    """
    __slots__ = ('_pickles', )

    def __init__(self, frames: Iterable[dict]) -> None:
        self._pickles = tuple(
            pickle.dumps(frame, protocol=pickle.HIGHEST_PROTOCOL)
            for frame in frames)

    def __len__(self) -> int:
        return len(self._pickles)

    def __getitem__(self, index: Union[int, slice]) -> Union[dict, List[dict]]:
        if isinstance(index, slice):
            return [pickle.loads(frame) for frame in self._pickles[index]]
        return pickle.loads(self._pickles[index])

    def __repr__(self) -> str:
        return f'{type(self).__name__}({len(self)} frames)'
