from mmdet.datasets import BaseVideoDataset
from mmdet.registry import DATASETS

from .checked_video_dataset_mixin import CheckedVideoDatasetMixin

__all__ = ['CheckedVideoDataset']


@DATASETS.register_module()
class CheckedVideoDataset(CheckedVideoDatasetMixin, BaseVideoDataset):
    """mmdet's ``BaseVideoDataset`` whose annotation file is checked on
    load (see :class:`CheckedVideoDatasetMixin`): errors stop with the
    file, video, frame, annotation and field named; skips are logged.

    Give the classes as ``metainfo=dict(classes=(...))``, in the order of
    the file's categories.
    """
