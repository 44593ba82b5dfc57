from typing import List

from mmdet.models.data_preprocessors import DetDataPreprocessor
from mmdet.registry import MODELS
from mmdet.structures import DetDataSample

from .box_supervision_mixin import BoxSupervisionMixin

__all__ = ['BoxDetDataPreprocessor']


@MODELS.register_module()
class BoxDetDataPreprocessor(BoxSupervisionMixin, DetDataPreprocessor):
    """mmdet's image preprocessor, plus what box-supervised losses need.

    The image counterpart of :class:`BoxVISDataPreprocessor`: an image is a
    clip of one frame. In training, each :obj:`DetDataSample` gets

    - ``images_lab``: (1, 3, h, w) CIE-LAB (L in 0..100) averaged over
      ``mask_stride`` x ``mask_stride`` pixel cells of the unpadded area,
      (h, w) = ``ceil(img_shape / mask_stride)``, computed after the batch
      augments (e.g. ``BatchFixedSizePad``, which leaves ``img_shape``);
    - ``gt_instances.box_masks``: (n, h, w) float, the boxes rasterised on
      the same grid; instances whose box covers no area of the image are
      dropped first (logged).

    Args:
        mask_stride (int): input pixels per mask-logit cell. Defaults to 4.
        **kwargs: arguments of :class:`DetDataPreprocessor`.
    """

    def sample_frames(self, sample: DetDataSample) -> List[DetDataSample]:
        """An image: a clip of one frame."""
        return [sample]
