"""What the image and the video box-supervised Mask2Former heads share.

Both heads match every decoder layer to the ground truth without masks and
score the matched mask logits with losses that read boxes only. They differ
in the shape of a sample (an image, or a clip of T frames) and in the loss
terms (the temporal term needs T > 1), not in how a layer is matched.
"""
from typing import Callable, Dict, List, Sequence, Tuple

import torch
from mmdet.utils import InstanceList
from mmengine.structures import InstanceData
from torch import Tensor

from ..utils.box_masks import filled_box_masks
from ..utils.finite_losses import check_finite_losses

__all__ = ['BoxSupervisedHeadMixin']


def _describe_sample(img_meta: dict, num_gts: int) -> str:
    """'video 3 has 12 instances in a clip' or 'image a.jpg has 12
    instances', for error messages."""
    if 'video_id' in img_meta:
        return (f'video {_first(img_meta["video_id"])} has {num_gts} '
                'instances in a clip')
    name = img_meta.get('img_path', img_meta.get('img_id'))
    return f'image {name} has {num_gts} instances'


def _first(value):
    """A clip's meta value (one per frame in a clip's metainfo)."""
    return value[0] if isinstance(value, (list, tuple)) else value


def _describe_batch(batch_img_metas: Sequence[dict]) -> str:
    """'batch of videos [3, 8]' or 'batch of images [a.jpg, b.jpg]'."""
    if 'video_id' in batch_img_metas[0]:
        ids = [_first(meta['video_id']) for meta in batch_img_metas]
        return f'batch of videos {ids}'
    names = [
        meta.get('img_path', meta.get('img_id')) for meta in batch_img_metas
    ]
    return f'batch of images {names}'


class BoxSupervisedHeadMixin:
    """Box-mask matching and per-layer bookkeeping for Mask2Former heads.

    Put it before the mmdet head in the bases: its
    :meth:`_get_targets_single` wraps the mmdet head's. The head sets
    ``loss_names``: ``'loss_cls'`` then its mask-loss names, in the order
    its ``mask_losses`` callable (see :meth:`_box_supervised_layer_losses`)
    returns them. Ground-truth instances carry ``labels`` (N, ) and
    ``box_masks`` (N, ..., h, w) at mask-logit resolution over the sample's
    unpadded area.
    """
    loss_names: Tuple[str, ...] = ('loss_cls', )

    def _get_targets_single(self, cls_score: Tensor, mask_pred: Tensor,
                            gt_instances: InstanceData,
                            img_meta: dict) -> Tuple:
        """mmdet's targets, matched on box masks instead of masks.

        The mask cost compares the filled box of the binarised predicted
        mask with the ground-truth box mask (see ``train_cfg.assigner``).

        Args:
            cls_score (Tensor): (Q, C + 1) class logits of one sample.
            mask_pred (Tensor): (Q, ..., h, w) mask logits over the sample's
                unpadded area ((Q, h, w) for an image, (Q, T, h, w) for a
                clip).
            gt_instances (InstanceData): the sample's ``labels`` (N, ) and
                ``box_masks`` (N, ..., h, w).
            img_meta (dict): the sample's meta information.

        Returns:
            tuple: mmdet's seven targets, then (N, ) the query matched to
            each ground-truth instance.
        """
        num_gts, num_queries = len(gt_instances), cls_score.shape[0]
        if num_gts > num_queries:
            raise ValueError(
                f'{_describe_sample(img_meta, num_gts)} but the head has '
                f'{num_queries} queries: raise num_queries')
        pred_box_masks = filled_box_masks(mask_pred.detach() > 0).float()
        box_gt = InstanceData(
            labels=gt_instances.labels, masks=gt_instances.box_masks)
        targets = super()._get_targets_single(cls_score, pred_box_masks,
                                              box_gt, img_meta)
        sampling_result = targets[-1]
        order = sampling_result.pos_assigned_gt_inds.argsort()
        return (*targets, sampling_result.pos_inds[order])

    def loss_by_feat(self, all_cls_scores: List[Tensor],
                     all_mask_preds: List[Tensor],
                     batch_gt_instances: InstanceList,
                     batch_img_metas: List[dict],
                     batch_images_lab: List[Tensor]) -> Dict[str, Tensor]:
        """Losses of all decoder layers: the mask losses' image-only parts
        once for the batch (:meth:`mask_loss_terms`), then every layer
        matched and scored.

        Args:
            all_cls_scores (list[Tensor]): per layer, (B, Q, C + 1).
            all_mask_preds (list[Tensor]): per layer, (B, Q, ..., H/4, W/4):
                (B, Q, H/4, W/4) for images, (B, Q, T, H/4, W/4) for clips.
            batch_gt_instances (list[InstanceData]): per sample, from
                ``preprocess_gt``.
            batch_img_metas (list[dict]): per sample.
            batch_images_lab (list[Tensor]): per sample, (T, 3, h, w) LAB
                (T = 1 for an image).

        Raises:
            NonFiniteLossError: a term is NaN or infinite; the message names
                the iteration, the terms and the batch's images or videos.
        """
        mask_losses = self.mask_loss_terms(batch_gt_instances,
                                           batch_images_lab)
        return self._name_layer_losses([
            self._box_supervised_layer_losses(
                cls_scores, mask_preds, batch_gt_instances, batch_img_metas,
                mask_losses)
            for cls_scores, mask_preds in zip(all_cls_scores, all_mask_preds)
        ], batch_img_metas)

    def mask_loss_terms(
        self, batch_gt_instances: InstanceList, batch_images_lab: List[Tensor]
    ) -> Callable[[List[Tensor]], Sequence[Tensor]]:
        """The mask losses of a layer's matched logits, as
        :meth:`_box_supervised_layer_losses` takes them, with what depends
        on the images only (the pairs) computed here, once for all layers.

        Args:
            batch_gt_instances (list[InstanceData]): per sample.
            batch_images_lab (list[Tensor]): per sample, (T, 3, h, w) LAB.

        Returns:
            callable: per-sample (N, ..., h, w) matched logits -> the mask
            losses, in the order of ``loss_names[1:]``.
        """
        raise NotImplementedError

    def _box_supervised_layer_losses(
        self, cls_scores: Tensor, mask_preds: Tensor,
        batch_gt_instances: InstanceList, batch_img_metas: List[dict],
        mask_losses: Callable[[List[Tensor]], Sequence[Tensor]]
    ) -> Tuple[Tensor, ...]:
        """Match one decoder layer, then its class and mask losses.

        Args:
            cls_scores (Tensor): (B, Q, C + 1) class logits.
            mask_preds (Tensor): (B, Q, ..., H/4, W/4) mask logits of the
                padded batch; each sample's unpadded area (the size of its
                box masks) is used.
            batch_gt_instances (list[InstanceData]): per sample.
            batch_img_metas (list[dict]): per sample.
            mask_losses (callable): maps the matched logits, per sample
                (N, ..., h, w) in ground-truth order (the order the box
                masks and any precomputed pairs are in), to the mask losses.
                Not called when nothing matched.

        Returns:
            tuple[Tensor]: the classification loss, then the mask losses
            (zeros that keep the graph when nothing matched).
        """
        mask_preds = [
            pred[..., :gt.box_masks.shape[-2], :gt.box_masks.shape[-1]]
            for pred, gt in zip(mask_preds, batch_gt_instances)
        ]
        (labels, label_weights, _, _, _, matched_queries) = self.get_targets(
            list(cls_scores), mask_preds, batch_gt_instances, batch_img_metas)
        loss_cls = self._classification_loss(cls_scores, labels, label_weights)
        if sum(len(queries) for queries in matched_queries) == 0:
            no_loss = sum(pred.sum() for pred in mask_preds) * 0
            return (loss_cls, ) + (no_loss, ) * (len(self.loss_names) - 1)
        logits = [
            pred[queries] for pred, queries in zip(mask_preds, matched_queries)
        ]
        return (loss_cls, *mask_losses(logits))

    def _classification_loss(self, cls_scores: Tensor, labels: List[Tensor],
                             label_weights: List[Tensor]) -> Tensor:
        """Cross-entropy over all queries, as mmdet's Mask2Former.

        Args:
            cls_scores (Tensor): (B, Q, C + 1) class logits.
            labels, label_weights (list[Tensor]): per sample, (Q, ).
        """
        labels = torch.stack(labels).flatten()
        class_weight = cls_scores.new_tensor(self.class_weight)
        return self.loss_cls(
            cls_scores.flatten(0, 1),
            labels,
            torch.stack(label_weights).flatten(),
            avg_factor=class_weight[labels].sum())

    def _name_layer_losses(
            self, per_layer: Sequence[Sequence[Tensor]],
            batch_img_metas: Sequence[dict]) -> Dict[str, Tensor]:
        """mmdet's naming: the last layer's losses bare, the others
        ``d{i}.<name>``; training stops here, before the backward pass, if
        any is NaN or infinite (see :func:`check_finite_losses`).

        Args:
            per_layer (list[tuple[Tensor]]): per decoder layer, first to
                last, its losses in the order of ``loss_names``.
            batch_img_metas (list[dict]): per sample, named in the error.
        """
        losses = dict(zip(self.loss_names, per_layer[-1]))
        for layer, layer_losses in enumerate(per_layer[:-1]):
            losses.update({
                f'd{layer}.{name}': value
                for name, value in zip(self.loss_names, layer_losses)
            })
        check_finite_losses(losses, _describe_batch(batch_img_metas))
        return losses
