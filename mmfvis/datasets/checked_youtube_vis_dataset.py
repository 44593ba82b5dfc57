from mmdet.datasets import YouTubeVISDataset
from mmdet.registry import DATASETS

from .checked_video_dataset_mixin import CheckedVideoDatasetMixin

__all__ = ['CheckedYouTubeVISDataset']


@DATASETS.register_module()
class CheckedYouTubeVISDataset(CheckedVideoDatasetMixin, YouTubeVISDataset):
    """mmdet's ``YouTubeVISDataset`` (``dataset_version='2019'`` or
    ``'2021'``) whose annotation file is checked on load (see
    :class:`CheckedVideoDatasetMixin`): errors stop with the file, video,
    frame, annotation and field named; skips are logged."""
