from mmdet.registry import DATASETS

from .checked_video_dataset import CheckedVideoDataset
from .generated_split import GeneratedSplitMixin
from .synthetic import SHAPE_CLASSES

__all__ = ['ShapesVISDataset']


@DATASETS.register_module()
class ShapesVISDataset(GeneratedSplitMixin, CheckedVideoDataset):
    """The generated shapes videos (see :mod:`mmfvis.datasets.synthetic`).

    The split is generated on first use when its annotation file is missing:
    no download and no manual step. ``ann_file`` names one of the generated
    files, ``annotations/<split>_mmdet.json`` (with masks, for evaluation)
    or ``annotations/<split>_mmdet_boxes.json`` (boxes only, for training).
    The file is checked on load, as by :class:`CheckedVideoDataset`.

    Args:
        generate (dict): keyword arguments of :func:`generate_shapes_vis`
            (``split``, ``num_videos``, ``num_frames``, ``frame_size``,
            ``max_objects``, ``seed``, ``style``). The classes are the
            shapes'; with ``style='blobs'`` give
            ``metainfo=dict(classes=BLOB_CLASSES)``.
    """
    METAINFO = dict(classes=SHAPE_CLASSES)
