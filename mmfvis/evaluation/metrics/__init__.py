from .youtube_vis_mask_metric import YouTubeVISMaskMetric

__all__ = ['YouTubeVISMaskMetric']
