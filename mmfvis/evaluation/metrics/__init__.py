from .track_jf_metric import TrackJFMetric
from .youtube_vis_mask_metric import YouTubeVISMaskMetric

__all__ = ['TrackJFMetric', 'YouTubeVISMaskMetric']
