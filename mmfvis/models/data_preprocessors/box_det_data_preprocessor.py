from typing import Dict

from mmdet.models.data_preprocessors import DetDataPreprocessor
from mmdet.registry import MODELS

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

    def __init__(self, *args, mask_stride: int = 4, **kwargs):
        super().__init__(*args, **kwargs)
        self.mask_stride = mask_stride

    def forward(self, data: dict, training: bool = False) -> Dict:
        batch = super().forward(data, training)
        if training:
            rgb_images = self._rgb_in_unit_range(batch['inputs'])
            for rgb, sample in zip(rgb_images, batch['data_samples']):
                sample.images_lab = self._lab_and_box_masks(
                    rgb[None], sample.img_shape, [sample])
        return batch
