from contextlib import contextmanager
from typing import Dict, Iterator, NamedTuple, Tuple

import torch
from mmdet.models.vis import MaskTrackRCNN
from mmdet.registry import MODELS
from mmdet.structures import TrackDataSample, TrackSampleList
from mmdet.structures.bbox import bbox2roi, get_box_tensor
from mmdet.utils import ConfigType
from torch import Tensor, nn

from ..roi_heads.mask_heads import BoxSupervisedFCNMaskHead
from ..utils import box_masks_on_roi_grid, check_finite_losses, lab_on_roi_grid

__all__ = ['BoxSupervisedMaskTrackRCNN']

# Multi-level features of one batch of frames, as the detector's neck
# returns them.
Features = Tuple[Tensor, ...]
# (M_h, M_w) cells of a mask grid
Grid = Tuple[int, int]


@contextmanager
def _features_given_to(track_head: nn.Module) -> Iterator[Dict[str, Features]]:
    """Record the key- and reference-frame features that mmdet's
    ``MaskTrackRCNN.loss`` hands ``track_head.loss(key_feats, ref_feats,
    ...)``, while the context is open."""
    features = {}
    track_head_loss = track_head.loss

    def recording_loss(key_feats, ref_feats, *args, **kwargs):
        features.update(key=tuple(key_feats), ref=tuple(ref_feats))
        return track_head_loss(key_feats, ref_feats, *args, **kwargs)

    track_head.loss = recording_loss
    try:
        yield features
    finally:
        del track_head.loss


class SharedInstances(NamedTuple):
    """The instances of a clip present in both its key and reference frame.

    Attributes:
        rois (Tensor): (P, 4) the union of each one's two boxes, x1, y1,
            x2, y2 in input pixels: its shared RoI.
        key_boxes (Tensor): (P, 4) its key-frame box.
        ref_boxes (Tensor): (P, 4) its reference-frame box.
        labels (Tensor): (P, ) its key-frame label.
    """
    rois: Tensor
    key_boxes: Tensor
    ref_boxes: Tensor
    labels: Tensor


def _shared_instances(sample: TrackDataSample) -> SharedInstances:
    key = sample.get_key_frames()[0].gt_instances
    ref = sample.get_ref_frames()[0].gt_instances
    key_rows, ref_rows = torch.nonzero(
        key.instances_ids[:, None] == ref.instances_ids[None], as_tuple=True)
    key_boxes = get_box_tensor(key.bboxes)[key_rows]
    ref_boxes = get_box_tensor(ref.bboxes)[ref_rows].to(key_boxes)
    union = torch.cat([
        torch.minimum(key_boxes[:, :2], ref_boxes[:, :2]),
        torch.maximum(key_boxes[:, 2:], ref_boxes[:, 2:])
    ],
                      dim=1)
    return SharedInstances(union, key_boxes, ref_boxes, key.labels[key_rows])


@MODELS.register_module()
class BoxSupervisedMaskTrackRCNN(MaskTrackRCNN):
    """MaskTrack R-CNN trained from boxes, with MaskFreeVIS's TK term.

    :meth:`loss` is mmdet's plus ``loss_temp`` (:meth:`temporal_loss`): for
    every instance present in both the key and the reference frame, the
    mask head's logits on one shared RoI, the union of its two boxes, over
    each frame's features, form a two-frame clip for
    :class:`TemporalKNNPatchLoss`, pooled over the instances of the batch.
    The features are those mmdet's ``loss`` hands its track head, so no
    frame goes through the backbone twice. Detector, track head, tracker
    and inference are mmdet's. docs/losses.md (MaskTrack R-CNN) gives the
    design.

    Args:
        loss_temp (dict): config of the TK loss. Default weight 0.1, the
            published ratio of the temporal to the spatial weights
            (0.5 to 5) applied to the mask head's 1.0, warmed up over the
            published 200 iterations.
        *args, **kwargs: arguments of :class:`MaskTrackRCNN`; the
            detector's ``roi_head.mask_head`` must be a
            :class:`BoxSupervisedFCNMaskHead`.
    """

    def __init__(self,
                 *args,
                 loss_temp: ConfigType = dict(
                     type='TemporalKNNPatchLoss',
                     loss_weight=0.1,
                     warmup_iters=200),
                 **kwargs) -> None:
        super().__init__(*args, **kwargs)
        mask_head = getattr(self.detector.roi_head, 'mask_head', None)
        if not isinstance(mask_head, BoxSupervisedFCNMaskHead):
            raise TypeError(
                'BoxSupervisedMaskTrackRCNN trains the mask head from boxes: '
                'model.detector.roi_head.mask_head must be a '
                f'BoxSupervisedFCNMaskHead, got {type(mask_head).__name__} '
                '(configs/_base_/box_supervision_rcnn_video.py sets it)')
        self.loss_temp = MODELS.build(loss_temp)

    def loss(self, inputs: Tensor, data_samples: TrackSampleList,
             **kwargs) -> dict:
        """mmdet's losses, plus ``loss_temp``.

        Args:
            inputs (Tensor): (N, 2, C, H, W) key and reference frames.
            data_samples (list[TrackDataSample]): N clips; the frames'
                ground truth carries ``instances_ids`` and the LAB metainfo
                of :class:`BoxVISDataPreprocessor`.

        Raises:
            NonFiniteLossError: the TK term is NaN or infinite.
        """
        with _features_given_to(self.track_head) as features:
            losses = super().loss(inputs, data_samples, **kwargs)
        losses['loss_temp'] = self.temporal_loss(features['key'],
                                                 features['ref'], data_samples)
        video_ids = [
            sample.get_key_frames()[0].metainfo.get('video_id')
            for sample in data_samples
        ]
        check_finite_losses(
            dict(loss_temp=losses['loss_temp']),
            f'batch of videos {video_ids}')
        return losses

    def temporal_loss(self, key_feats: Features, ref_feats: Features,
                      data_samples: TrackSampleList) -> Tensor:
        """The TK term of a batch, on the shared RoI of each instance.

        Args:
            key_feats, ref_feats (tuple[Tensor]): multi-level features of
                the key and of the reference frames, (N, C, H_l, W_l).
            data_samples (list[TrackDataSample]): N clips.

        Returns:
            Tensor: scalar; zero, in the graph, when no instance is in
            both frames of any clip.
        """
        shared = [_shared_instances(sample) for sample in data_samples]
        if sum(len(instances.rois) for instances in shared) == 0:
            return sum(level.sum() for level in key_feats) * 0
        rois = bbox2roi([instances.rois for instances in shared])
        labels = torch.cat([instances.labels for instances in shared])
        logits = torch.stack([
            self.roi_class_logits(key_feats, rois, labels),
            self.roi_class_logits(ref_feats, rois, labels)
        ],
                             dim=1)
        grid = tuple(logits.shape[-2:])
        rois_lab = torch.cat([
            self._rois_lab(sample, instances.rois, grid)
            for sample, instances in zip(data_samples, shared)
        ])
        box_masks = torch.cat(
            [_rois_box_masks(instances, grid) for instances in shared])
        return self.temporal_term(logits, rois_lab, box_masks)

    def roi_class_logits(self, feats: Features, rois: Tensor,
                         labels: Tensor) -> Tensor:
        """The mask head's logits of each RoI's class, on its M x M grid.

        Args:
            feats (tuple[Tensor]): multi-level features of one batch of
                frames, (N, C, H_l, W_l).
            rois (Tensor): (P, 5) batch index, x1, y1, x2, y2 in input
                pixels.
            labels (Tensor): (P, ) class indices.

        Returns:
            Tensor: (P, M, M).
        """
        roi_head = self.detector.roi_head
        extractor = roi_head.mask_roi_extractor
        roi_feats = extractor(feats[:extractor.num_inputs], rois)
        if roi_head.with_shared_head:
            roi_feats = roi_head.shared_head(roi_feats)
        return roi_head.mask_head.class_logits(roi_feats, labels)

    def _rois_lab(self, sample: TrackDataSample, rois: Tensor,
                  grid: Grid) -> Tensor:
        """(P, 2, 3, M, M) LAB of the key and reference frames on the RoIs.
        """
        crops = []
        for frame in (sample.get_key_frames()[0], sample.get_ref_frames()[0]):
            frame_lab, stride = self.detector.roi_head.mask_head.frame_lab(
                frame.gt_instances)
            crops.append(lab_on_roi_grid(frame_lab, rois, grid, stride))
        return torch.stack(crops, dim=1)

    def temporal_term(self, logits: Tensor, rois_lab: Tensor,
                      box_masks: Tensor) -> Tensor:
        """The weighted TK loss of P two-frame RoI clips, pooled.

        Args:
            logits (Tensor): (P, 2, M, M) mask logits of each instance on
                its shared RoI, key frame then reference frame.
            rois_lab (Tensor): (P, 2, 3, M, M) LAB of the same cells.
            box_masks (Tensor): (P, 2, M, M) each frame's box on the grid.

        Returns:
            Tensor: scalar.
        """
        return self.loss_temp(
            list(logits[:, None]), list(rois_lab), list(box_masks[:, None]))


def _rois_box_masks(instances: SharedInstances, grid: Grid) -> Tensor:
    """(P, 2, M, M) the key and reference boxes on the shared RoIs."""
    return torch.stack([
        box_masks_on_roi_grid(instances.rois, instances.key_boxes, grid),
        box_masks_on_roi_grid(instances.rois, instances.ref_boxes, grid)
    ],
                       dim=1)
