from typing import List

from mmdet.models.data_preprocessors import TrackDataPreprocessor
from mmdet.registry import MODELS
from mmdet.structures import DetDataSample, TrackDataSample

from .box_supervision_mixin import BoxSupervisionMixin

__all__ = ['BoxVISDataPreprocessor']


@MODELS.register_module()
class BoxVISDataPreprocessor(BoxSupervisionMixin, TrackDataPreprocessor):
    """mmdet's clip preprocessor, plus what box-supervised losses need.

    In training, for each clip it adds to the :obj:`TrackDataSample`:

    - ``images_lab``: (T, 3, h, w) CIE-LAB frames (L in 0..100) averaged
      over ``mask_stride`` x ``mask_stride`` pixel cells, computed on the
      device over the frame's unpadded area only: (h, w) =
      ``ceil(img_shape / mask_stride)``;
    - ``gt_instances.box_masks`` of every frame: (n, h, w) float, the
      ground-truth boxes rasterised on the same grid; instances whose box
      covers no area of the frame are dropped first (logged).

    Frames are loaded BGR (mmcv's default); the LAB conversion is fed RGB,
    whether or not ``bgr_to_rgb`` is set for the network's input. The
    frames of a clip share one size (the first frame's ``img_shape``).

    Args:
        mask_stride (int): input pixels per mask-logit cell (Mask2Former's
            mask features are at stride 4). Defaults to 4.
        **kwargs: arguments of :class:`TrackDataPreprocessor`.
    """

    def sample_frames(self, sample: TrackDataSample) -> List[DetDataSample]:
        """The frames of a clip."""
        return sample.video_data_samples
