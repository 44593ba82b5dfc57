from mmdet.datasets import CocoDataset
from mmdet.registry import DATASETS

from .generated_split import GeneratedSplitMixin
from .synthetic import SHAPE_CLASSES

__all__ = ['ShapesCocoDataset']


@DATASETS.register_module()
class ShapesCocoDataset(GeneratedSplitMixin, CocoDataset):
    """The frames of the generated shapes videos as a COCO image dataset.

    For image models (box-supervised pre-training on CPU, tests). mmdet's
    video format is COCO's with video keys added, so the generated
    ``annotations/<split>_mmdet_boxes.json`` (no ``segmentation``: boxes
    only, for training) and ``annotations/<split>_mmdet.json`` (with masks,
    for mask AP) read as COCO files; every frame is an image. The split is
    generated on first use when its annotation file is missing, as
    :class:`ShapesVISDataset` does; set ``data_prefix=dict(img=
    '<split>/JPEGImages/')``.

    Args:
        generate (dict): keyword arguments of
            :func:`mmfvis.datasets.generate_shapes_vis`.
    """
    METAINFO = dict(classes=SHAPE_CLASSES)
