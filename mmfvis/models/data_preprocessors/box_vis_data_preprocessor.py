from typing import Dict, Sequence

from mmdet.models.data_preprocessors import TrackDataPreprocessor
from mmdet.registry import MODELS
from mmdet.structures import TrackDataSample
from torch import Tensor

from ..utils.box_masks import box_masks_at_stride
from ..utils.color import lab_at_logit_resolution

__all__ = ['BoxVISDataPreprocessor']


def _logit_grid(img_shape: Sequence[int], stride: int) -> tuple:
    """(h, w) of the mask logits over a frame's unpadded area."""
    return (-(-img_shape[0] // stride), -(-img_shape[1] // stride))


@MODELS.register_module()
class BoxVISDataPreprocessor(TrackDataPreprocessor):
    """mmdet's clip preprocessor, plus what box-supervised losses need.

    In training, for each clip it adds to the :obj:`TrackDataSample`:

    - ``images_lab``: (T, 3, h, w) CIE-LAB frames (L in 0..100) averaged
      over ``mask_stride`` x ``mask_stride`` pixel cells, computed on the
      device over the frame's unpadded area only: (h, w) =
      ``ceil(img_shape / mask_stride)``;
    - ``gt_instances.box_masks`` of every frame: (n, h, w) float, the
      ground-truth boxes rasterised on the same grid.

    Frames are loaded BGR (mmcv's default); the LAB conversion is fed RGB,
    whether or not ``bgr_to_rgb`` is set for the network's input.

    Args:
        mask_stride (int): input pixels per mask-logit cell (Mask2Former's
            mask features are at stride 4). Defaults to 4.
        **kwargs: arguments of :class:`TrackDataPreprocessor`.
    """

    def __init__(self, *args, mask_stride: int = 4, **kwargs):
        super().__init__(*args, **kwargs)
        self.mask_stride = mask_stride

    def forward(self, data: dict, training: bool = False) -> Dict:
        batch = super().forward(data, training)
        if training:
            rgb_clips = self._rgb_in_unit_range(batch['inputs'])
            for rgb, track_sample in zip(rgb_clips, batch['data_samples']):
                self._add_box_supervision(rgb, track_sample)
        return batch

    def _rgb_in_unit_range(self, inputs: Tensor) -> Tensor:
        """Undo normalisation: (B, T, 3, H, W) RGB in 0..1."""
        images = inputs.float()
        if self._enable_normalize:
            images = images * self.std + self.mean
        if not self._channel_conversion:
            images = images.flip(-3)
        return images / 255.0

    def _add_box_supervision(self, rgb: Tensor,
                             track_sample: TrackDataSample) -> None:
        """Set ``images_lab`` and the frames' ``box_masks``.

        Args:
            rgb (Tensor): (T, 3, H, W) padded RGB clip in 0..1.
            track_sample (TrackDataSample): the clip's data sample.
        """
        height, width = track_sample[0].img_shape[:2]
        grid = _logit_grid((height, width), self.mask_stride)
        track_sample.images_lab = lab_at_logit_resolution(
            rgb[:, :, :height, :width], self.mask_stride)
        for frame in range(len(track_sample)):
            gt_instances = track_sample[frame].gt_instances
            boxes = gt_instances.bboxes
            if not isinstance(boxes, Tensor):
                boxes = boxes.tensor
            gt_instances.box_masks = box_masks_at_stride(
                boxes, grid, self.mask_stride).to(rgb.device)
