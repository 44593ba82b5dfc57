from .clip_frame_sample import ClipFrameSample
from .image_to_pseudo_clip import ImageToPseudoClip
from .load_frame_from_file import FrameLoadError, LoadFrameFromFile

__all__ = [
    'ClipFrameSample', 'FrameLoadError', 'ImageToPseudoClip',
    'LoadFrameFromFile'
]
