from .clip_frame_sample import ClipFrameSample
from .image_to_pseudo_clip import ImageToPseudoClip

__all__ = ['ClipFrameSample', 'ImageToPseudoClip']
