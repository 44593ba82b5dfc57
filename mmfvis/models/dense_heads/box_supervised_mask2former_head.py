from typing import Callable, Dict, List, Optional, Tuple

from mmdet.models.dense_heads import Mask2FormerHead
from mmdet.registry import MODELS
from mmdet.structures import SampleList
from mmdet.utils import ConfigType, InstanceList
from mmengine.structures import InstanceData, PixelData
from torch import Tensor

from .box_supervised_head_mixin import BoxSupervisedHeadMixin

__all__ = ['BoxSupervisedMask2FormerHead']


@MODELS.register_module()
class BoxSupervisedMask2FormerHead(BoxSupervisedHeadMixin, Mask2FormerHead):
    """Mask2Former instance-segmentation head trained from boxes only.

    The image counterpart of :class:`BoxSupervisedMask2FormerTrackHead`, for
    MaskFreeVIS's mask-free COCO pre-training: every decoder layer is
    matched to the ground truth without masks (class cost plus the dice
    between the box of the binarised predicted mask and the ground-truth
    box; set it in ``train_cfg.assigner``, which mmdet's ``Mask2Former``
    passes down), then its mask logits get the box projection and pairwise
    affinity losses (BoxInst's terms) in place of mmdet's mask and dice
    losses. An image is a clip of one frame for the loss modules; there is
    no temporal term. The colour affinities are computed once per batch and
    shared by all decoder layers. Inference is mmdet's.

    It needs :class:`BoxDetDataPreprocessor` (LAB image and box masks at
    mask-logit resolution). Boxes cannot supervise stuff classes, so
    ``num_stuff_classes`` must be 0 (instance segmentation).

    Args:
        loss_proj (dict): config of the box projection loss.
        loss_pair (dict): config of the pairwise affinity loss.
        *args, **kwargs: arguments of :class:`Mask2FormerHead`; its
            ``loss_mask`` and ``loss_dice`` go unused.
    """
    loss_names = ('loss_cls', 'loss_proj', 'loss_pair')

    def __init__(self,
                 *args,
                 loss_proj: ConfigType = dict(
                     type='BoxProjectionLoss', loss_weight=5.0),
                 loss_pair: ConfigType = dict(
                     type='PairwiseAffinityLoss', loss_weight=5.0),
                 **kwargs):
        super().__init__(*args, **kwargs)
        if self.num_stuff_classes:
            raise ValueError(
                f'num_stuff_classes is {self.num_stuff_classes}: boxes '
                'supervise things only, set it to 0 (instance segmentation)')
        self.loss_proj = MODELS.build(loss_proj)
        self.loss_pair = MODELS.build(loss_pair)

    def preprocess_gt(
            self, batch_gt_instances: InstanceList,
            batch_gt_semantic_segs: List[Optional[PixelData]]) -> InstanceList:
        """Keep the labels and box masks; masks are never read.

        Args:
            batch_gt_instances (list[InstanceData]): per image, with
                ``labels`` (n, ) and ``box_masks`` (n, h, w).
            batch_gt_semantic_segs (list[None]): must be None: semantic
                maps are masks.

        Returns:
            list[InstanceData]: per image, ``labels`` and ``box_masks``.
        """
        if any(seg is not None for seg in batch_gt_semantic_segs):
            raise ValueError(
                'BoxSupervisedMask2FormerHead trains from boxes: the '
                'pipeline must not load semantic segmentation maps')
        return [
            InstanceData(labels=gt.labels, box_masks=gt.box_masks)
            for gt in batch_gt_instances
        ]

    def loss(self, x: Tuple[Tensor],
             batch_data_samples: SampleList) -> Dict[str, Tensor]:
        """Forward, then the box-supervised losses of every decoder layer.

        Args:
            x (tuple[Tensor]): multi-level features, (B, C, H, W) each.
            batch_data_samples (list[DetDataSample]): B images, with
                ``images_lab`` and ``gt_instances.box_masks``.

        Returns:
            dict[str, Tensor]: ``loss_cls``, ``loss_proj``, ``loss_pair`` of
            the last layer, ``d{i}.*`` of the others.
        """
        if 'images_lab' not in batch_data_samples[0]:
            raise KeyError(
                'BoxSupervisedMask2FormerHead needs the LAB image and box '
                'masks of BoxDetDataPreprocessor: set '
                "model.data_preprocessor.type='BoxDetDataPreprocessor'")
        all_cls_scores, all_mask_preds = self(x, batch_data_samples)
        batch_gt_instances = self.preprocess_gt(
            [sample.gt_instances for sample in batch_data_samples],
            [sample.get('gt_sem_seg') for sample in batch_data_samples])
        return self.loss_by_feat(
            all_cls_scores, all_mask_preds, batch_gt_instances,
            [sample.metainfo for sample in batch_data_samples],
            [sample.images_lab for sample in batch_data_samples])

    def mask_loss_terms(
            self, batch_gt_instances: InstanceList,
            batch_images_lab: List[Tensor]) -> Callable[[List[Tensor]], tuple]:
        """Projection and pairwise losses of the matched logits, each image
        a clip of one frame for the loss modules.

        Args:
            batch_gt_instances (list[InstanceData]): per image, ``box_masks``
                (N, h, w).
            batch_images_lab (list[Tensor]): per image, (1, 3, h, w) LAB.

        Returns:
            callable: per image (N, h, w) matched logits -> (``loss_proj``,
            ``loss_pair``).
        """
        # the loss modules take clips: (N, T = 1, h, w)
        box_masks = [gt.box_masks[:, None] for gt in batch_gt_instances]
        pair_pairs = self.loss_pair.precompute(batch_images_lab, box_masks)

        def mask_losses(logits: List[Tensor]) -> Tuple[Tensor, Tensor]:
            clips = [image_logits[:, None] for image_logits in logits]
            return (self.loss_proj(clips, box_masks),
                    self.loss_pair(clips, pairs=pair_pairs))

        return mask_losses
