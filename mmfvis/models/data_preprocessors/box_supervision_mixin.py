"""What the image and the clip box-supervision preprocessors share."""
import logging
from typing import Dict, List, Sequence

from mmdet.structures import DetDataSample
from mmengine.logging import print_log
from mmengine.structures import InstanceData
from torch import Tensor

from ..utils.box_masks import box_masks_at_stride
from ..utils.color import lab_at_logit_resolution

__all__ = ['BoxSupervisionMixin']


def _logit_grid(img_shape: Sequence[int], stride: int) -> tuple:
    """(h, w) of the mask logits over a frame's unpadded area."""
    return (-(-img_shape[0] // stride), -(-img_shape[1] // stride))


def _box_tensor(gt_instances: InstanceData) -> Tensor:
    boxes = gt_instances.bboxes
    return boxes if isinstance(boxes, Tensor) else boxes.tensor


def _drop_boxes_without_area(frame: DetDataSample, height: int,
                             width: int) -> None:
    """Drop the frame's instances whose box covers no area of the unpadded
    ``height`` x ``width`` frame (zero width or height, or outside it, as
    crops and resizes can leave them), and log it: such a box supervises
    nothing, and its box mask would be an invented cell."""
    boxes = _box_tensor(frame.gt_instances)
    widths = boxes[:, 2].clamp(0, width) - boxes[:, 0].clamp(0, width)
    heights = boxes[:, 3].clamp(0, height) - boxes[:, 1].clamp(0, height)
    empty = (widths <= 0) | (heights <= 0)
    if not bool(empty.any()):
        return
    print_log(
        f"{frame.metainfo.get('img_path', 'a frame')}: dropped "
        f'{int(empty.sum())} box(es) covering no area of the {width}x'
        f'{height} (w x h) frame: {boxes[empty].tolist()} (x1, y1, x2, y2)',
        logger='current',
        level=logging.WARNING)
    frame.gt_instances = frame.gt_instances[~empty]


class BoxSupervisionMixin:
    """LAB frames and box masks at mask-logit resolution, for the losses.

    For a preprocessor derived from mmdet's ``DetDataPreprocessor`` (its
    ``mean``, ``std``, ``_enable_normalize`` and ``_channel_conversion``).
    In training, :meth:`forward` sets ``images_lab`` on each sample of the
    batch and ``box_masks`` on its frames' ground truth; the subclass says
    which frames a sample holds (:meth:`sample_frames`).

    Args:
        mask_stride (int): input pixels per mask-logit cell. Defaults to 4.
        *args, **kwargs: arguments of the mmdet preprocessor.
    """

    def __init__(self, *args, mask_stride: int = 4, **kwargs):
        super().__init__(*args, **kwargs)
        self.mask_stride = mask_stride

    def forward(self, data: dict, training: bool = False) -> Dict:
        batch = super().forward(data, training)
        if training:
            rgb_samples = self._rgb_in_unit_range(batch['inputs'])
            for rgb, sample in zip(rgb_samples, batch['data_samples']):
                frames = self.sample_frames(sample)
                sample.images_lab = self._lab_and_box_masks(
                    rgb.reshape(-1, *rgb.shape[-3:]), frames[0].img_shape,
                    frames)
        return batch

    def sample_frames(self, sample) -> List[DetDataSample]:
        """The frames of one sample of the batch, in input order."""
        raise NotImplementedError

    def _rgb_in_unit_range(self, inputs: Tensor) -> Tensor:
        """Undo normalisation: (..., 3, H, W) RGB in 0..1.

        Frames are loaded BGR (mmcv's default); the result is RGB whether
        or not ``bgr_to_rgb`` was set for the network's input.
        """
        images = inputs.float()
        if self._enable_normalize:
            images = images * self.std + self.mean
        if not self._channel_conversion:
            images = images.flip(-3)
        return images / 255.0

    def _lab_and_box_masks(self, rgb_frames: Tensor, img_shape: Sequence[int],
                           frames: List[DetDataSample]) -> Tensor:
        """Set each frame's ``box_masks``; return the frames in LAB.

        Instances whose box covers no area of the frame are dropped first
        (logged). Each frame's ground truth also gets the frame's LAB as
        metainfo, ``lab_frame`` (3, h, w) and ``lab_stride``
        (``mask_stride``): a RoI mask head (:class:`BoxSupervisedFCNMaskHead`)
        is handed the ground truth of each image and nothing else of its
        sample.

        Args:
            rgb_frames (Tensor): (T, 3, H, W) padded RGB frames in 0..1 of
                one sample, all with the unpadded size ``img_shape``.
            img_shape (tuple[int, int]): unpadded (height, width), pixels.
            frames (list[DetDataSample]): per frame, ``gt_instances`` with
                ``bboxes`` (n, 4) x1, y1, x2, y2 in input pixels; gets
                ``box_masks`` (n, h, w) float on the frames' device, and the
                metainfo.

        Returns:
            Tensor: (T, 3, h, w) CIE-LAB (L in 0..100) averaged over
            ``mask_stride`` x ``mask_stride`` cells of the unpadded area,
            (h, w) = ``ceil(img_shape / mask_stride)``.
        """
        height, width = img_shape[:2]
        grid = _logit_grid((height, width), self.mask_stride)
        for frame in frames:
            _drop_boxes_without_area(frame, height, width)
            frame.gt_instances.box_masks = box_masks_at_stride(
                _box_tensor(frame.gt_instances), grid,
                self.mask_stride).to(rgb_frames.device)
        frames_lab = lab_at_logit_resolution(rgb_frames[:, :, :height, :width],
                                             self.mask_stride)
        for frame_lab, frame in zip(frames_lab, frames):
            frame.gt_instances.set_metainfo(
                dict(lab_frame=frame_lab, lab_stride=self.mask_stride))
        return frames_lab
