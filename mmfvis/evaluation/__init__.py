from .metrics import YouTubeVISMaskMetric

__all__ = ['YouTubeVISMaskMetric']
