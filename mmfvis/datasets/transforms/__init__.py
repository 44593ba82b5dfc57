from .clip_frame_sample import ClipFrameSample
from .load_frame_from_file import FrameLoadError, LoadFrameFromFile

__all__ = ['ClipFrameSample', 'FrameLoadError', 'LoadFrameFromFile']
