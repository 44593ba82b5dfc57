from .clip_frame_sample import ClipFrameSample

__all__ = ['ClipFrameSample']
