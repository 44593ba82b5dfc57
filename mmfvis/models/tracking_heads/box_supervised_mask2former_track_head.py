from typing import Callable, Dict, List, Tuple

import torch
from mmdet.models.tracking_heads import Mask2FormerTrackHead
from mmdet.registry import MODELS
from mmdet.structures import TrackSampleList
from mmdet.utils import ConfigType, InstanceList
from mmengine.structures import InstanceData
from torch import Tensor

from ..dense_heads.box_supervised_head_mixin import BoxSupervisedHeadMixin

__all__ = ['BoxSupervisedMask2FormerTrackHead']


@MODELS.register_module()
class BoxSupervisedMask2FormerTrackHead(BoxSupervisedHeadMixin,
                                        Mask2FormerTrackHead):
    """Mask2Former-VIS head trained from boxes only (MaskFreeVIS).

    Training reads no mask. Each decoder layer is matched to the ground
    truth without masks (class cost plus the dice between the box of the
    binarised predicted mask and the ground-truth box, on sampled points;
    see ``train_cfg.assigner``), then its mask logits get the box
    projection, pairwise affinity and temporal KNN-patch losses in place of
    the mask losses. The image-only parts of the last two (colour
    affinities, patch matches) are computed once per batch and shared by
    all decoder layers. Inference is mmdet's.

    It needs :class:`BoxVISDataPreprocessor`, which adds the LAB frames and
    the box masks at mask-logit resolution. The clip length comes from the
    data, not from ``num_frames``.

    Args:
        loss_proj (dict): config of the box projection loss.
        loss_pair (dict): config of the pairwise affinity loss.
        loss_temp (dict): config of the temporal KNN-patch loss.
        *args, **kwargs: arguments of :class:`Mask2FormerTrackHead`; its
            ``loss_mask`` and ``loss_dice`` go unused.
    """
    loss_names = ('loss_cls', 'loss_proj', 'loss_pair', 'loss_temp')

    def __init__(self,
                 *args,
                 loss_proj: ConfigType = dict(
                     type='BoxProjectionLoss', loss_weight=5.0),
                 loss_pair: ConfigType = dict(
                     type='PairwiseAffinityLoss', loss_weight=5.0),
                 loss_temp: ConfigType = dict(
                     type='TemporalKNNPatchLoss', loss_weight=0.5),
                 **kwargs):
        super().__init__(*args, **kwargs)
        self.loss_proj = MODELS.build(loss_proj)
        self.loss_pair = MODELS.build(loss_pair)
        self.loss_temp = MODELS.build(loss_temp)

    def preprocess_gt(self, batch_gt_instances: InstanceList) -> InstanceList:
        """Group the frames' ground truth into clips, by instance id.

        Args:
            batch_gt_instances (list[InstanceData]): per frame, clip after
                clip, with ``labels``, ``instances_ids`` and ``box_masks``
                (n, h, w).

        Returns:
            list[InstanceData]: per clip, with ``labels`` (N, ),
            ``box_masks`` (N, T, h, w) (empty where the instance is absent)
            and ``instances_id`` (N, T) (-1 where absent).
        """
        frames = self.num_frames
        return [
            self._clip_ground_truth(batch_gt_instances[start:start + frames])
            for start in range(0, len(batch_gt_instances), frames)
        ]

    @staticmethod
    def _clip_ground_truth(frames: InstanceList) -> InstanceData:
        ids = torch.cat([frame.instances_ids for frame in frames]).unique()
        num_frames = len(frames)
        grid = frames[0].box_masks.shape[-2:]
        labels = frames[0].labels.new_full((len(ids), ), -1)
        track_ids = ids.new_full((len(ids), num_frames), -1)
        box_masks = frames[0].box_masks.new_zeros(len(ids), num_frames, *grid)
        for index, frame in enumerate(frames):
            rows = torch.searchsorted(ids, frame.instances_ids)
            labels[rows] = frame.labels
            track_ids[rows, index] = frame.instances_ids
            box_masks[rows, index] = frame.box_masks
        return InstanceData(
            labels=labels, box_masks=box_masks, instances_id=track_ids)

    def loss(self, x: Tuple[Tensor],
             data_samples: TrackSampleList) -> Dict[str, Tensor]:
        """Forward, then the box-supervised losses of every decoder layer.

        Args:
            x (tuple[Tensor]): multi-level features, (B * T, C, H, W) each.
            data_samples (list[TrackDataSample]): B clips, with
                ``images_lab`` and the frames' ``gt_instances.box_masks``.

        Returns:
            dict[str, Tensor]: ``loss_cls``, ``loss_proj``, ``loss_pair``,
            ``loss_temp`` of the last layer, ``d{i}.*`` of the others.
        """
        if 'images_lab' not in data_samples[0]:
            raise KeyError(
                'BoxSupervisedMask2FormerTrackHead needs the LAB frames and '
                'box masks of BoxVISDataPreprocessor: set '
                "model.data_preprocessor.type='BoxVISDataPreprocessor'")
        self.num_frames = len(data_samples[0])
        # the clip's metainfo, plus its frames' video ids (for messages)
        batch_img_metas = [
            dict(
                sample.metainfo,
                video_id=[frame.metainfo.get('video_id') for frame in sample])
            for sample in data_samples
        ]
        all_cls_scores, all_mask_preds = self(x, data_samples)
        batch_gt_instances = self.preprocess_gt([
            sample[index].gt_instances for sample in data_samples
            for index in range(len(sample))
        ])
        batch_images_lab = [sample.images_lab for sample in data_samples]
        return self.loss_by_feat(all_cls_scores, all_mask_preds,
                                 batch_gt_instances, batch_img_metas,
                                 batch_images_lab)

    def mask_loss_terms(
            self, batch_gt_instances: InstanceList,
            batch_images_lab: List[Tensor]) -> Callable[[List[Tensor]], tuple]:
        """Projection, pairwise and temporal losses of the matched logits.

        Args:
            batch_gt_instances (list[InstanceData]): per clip, ``box_masks``
                (N, T, h, w).
            batch_images_lab (list[Tensor]): per clip, (T, 3, h, w) LAB.

        Returns:
            callable: per clip (N, T, h, w) matched logits -> (``loss_proj``,
            ``loss_pair``, ``loss_temp``); a term of weight 0 gets no pairs
            (None) and costs 0.
        """
        box_masks = [gt.box_masks for gt in batch_gt_instances]
        pair_pairs = self.loss_pair.precompute(batch_images_lab, box_masks)
        temp_pairs = self.loss_temp.precompute(batch_images_lab, box_masks)

        def mask_losses(logits: List[Tensor]) -> Tuple[Tensor, ...]:
            return (self.loss_proj(logits, box_masks),
                    self.loss_pair(logits, pairs=pair_pairs),
                    self.loss_temp(logits, pairs=temp_pairs))

        return mask_losses
