from typing import List, Tuple

import torch
from mmdet.models.roi_heads.mask_heads import FCNMaskHead
from mmdet.models.task_modules.samplers import SamplingResult
from mmdet.registry import MODELS
from mmdet.structures.bbox import get_box_tensor
from mmdet.utils import ConfigType, InstanceList
from mmengine.config import ConfigDict
from mmengine.structures import InstanceData
from torch import Tensor
from torch.nn.modules.utils import _pair

from ...utils import (box_masks_on_roi_grid, check_finite_losses,
                      lab_on_roi_grid)

__all__ = ['BoxSupervisedFCNMaskHead']

# (M_h, M_w) cells of a mask grid
Grid = Tuple[int, int]


@MODELS.register_module()
class BoxSupervisedFCNMaskHead(FCNMaskHead):
    """mmdet's FCN mask head (Mask R-CNN family) trained from boxes only.

    :meth:`loss_and_target` replaces mmdet's mask loss. Each positive RoI's
    M x M logits (``train_cfg.rcnn.mask_size``, mmdet's 28) of its class get
    the box projection loss against its assigned ground-truth box
    rasterised on the grid (:func:`box_masks_on_roi_grid`), and the
    pairwise affinity loss on the frame's LAB averaged over the grid's
    cells (:func:`lab_on_roi_grid`), the R positive RoIs of the batch being
    the R frames of a one-instance clip. Forward, inference and the weights
    are mmdet's, so a box-supervised checkpoint loads into ``FCNMaskHead``.
    docs/losses.md (R-CNN mask heads) gives the design: how RoI cells
    compare with the published stride-4 cells, and why the pairwise
    dilation is 3 cells.

    It needs :class:`BoxDetDataPreprocessor` (or
    :class:`BoxVISDataPreprocessor`), which hands each image's LAB to its
    ground truth (metainfo ``lab_frame`` and ``lab_stride``). Masks are
    never read.

    Args:
        loss_proj (dict): config of the box projection loss. Default
            weight 1.0, BoxInst's (the scale of mmdet's mask loss).
        loss_pair (dict): config of the pairwise affinity loss: the
            published ``size`` 3 and ``color_thresh`` 0.3, ``dilation`` 3
            cells (odd, so that the pairs tie together the four phases of
            mmdet's stride-2 deconvolution). Default weight 1.0, BoxInst's.
        *args, **kwargs: arguments of :class:`FCNMaskHead`; its
            ``loss_mask`` goes unused.
    """

    def __init__(self,
                 *args,
                 loss_proj: ConfigType = dict(
                     type='BoxProjectionLoss', loss_weight=1.0),
                 loss_pair: ConfigType = dict(
                     type='PairwiseAffinityLoss', dilation=3, loss_weight=1.0),
                 **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.loss_proj = MODELS.build(loss_proj)
        self.loss_pair = MODELS.build(loss_pair)

    @staticmethod
    def frame_lab(gt_instances: InstanceData) -> Tuple[Tensor, int]:
        """The LAB frame the preprocessor handed to an image's ground truth.

        Returns:
            tuple[Tensor, int]: (3, h, w) LAB and its stride in pixels.
        """
        if 'lab_frame' not in gt_instances.metainfo_keys():
            raise KeyError(
                'BoxSupervisedFCNMaskHead needs the LAB frames that '
                'BoxDetDataPreprocessor (images) or BoxVISDataPreprocessor '
                '(videos) hand to the ground truth: set '
                'model.data_preprocessor.type to one of them')
        return gt_instances.lab_frame, gt_instances.lab_stride

    def roi_logits(self, mask_preds: Tensor, labels: Tensor) -> Tensor:
        """Each RoI's logits for its class (channel 0 if class-agnostic).

        Args:
            mask_preds (Tensor): (R, C, M, M) the head's output.
            labels (Tensor): (R, ) class indices.

        Returns:
            Tensor: (R, M, M).
        """
        channels = torch.zeros_like(labels) if self.class_agnostic else labels
        rows = torch.arange(len(mask_preds), device=mask_preds.device)
        return mask_preds[rows, channels.to(mask_preds.device)]

    def class_logits(self, roi_feats: Tensor, labels: Tensor) -> Tensor:
        """Forward, then each RoI's logits for its class.

        Args:
            roi_feats (Tensor): (R, C_in, S, S) RoI features, as the RoI
                head's ``mask_roi_extractor`` gives them.
            labels (Tensor): (R, ) class indices.

        Returns:
            Tensor: (R, M, M).
        """
        return self.roi_logits(self(roi_feats), labels)

    def get_targets(self, sampling_results: List[SamplingResult],
                    batch_gt_instances: InstanceList,
                    rcnn_train_cfg: ConfigDict) -> Tensor:
        """The assigned ground-truth box of each positive RoI on its grid.

        Args:
            sampling_results (list[SamplingResult]): per image.
            batch_gt_instances (list[InstanceData]): per image, ``bboxes``.
            rcnn_train_cfg (ConfigDict): ``mask_size``, the grid.

        Returns:
            Tensor: (R, M, M) 0/1, the positive RoIs of all images in
            order.
        """
        grid = _pair(rcnn_train_cfg.mask_size)
        return torch.cat([
            box_masks_on_roi_grid(
                get_box_tensor(result.pos_priors),
                get_box_tensor(result.pos_gt_bboxes), grid)
            for result in sampling_results
        ])

    def roi_lab(self, sampling_results: List[SamplingResult],
                batch_gt_instances: InstanceList, grid: Grid) -> Tensor:
        """The LAB colours of each positive RoI's cells.

        Returns:
            Tensor: (R, 3, M, M), the positive RoIs of all images in order.
        """
        crops = []
        for result, gt_instances in zip(sampling_results, batch_gt_instances):
            frame_lab, stride = self.frame_lab(gt_instances)
            crops.append(
                lab_on_roi_grid(frame_lab, get_box_tensor(result.pos_priors),
                                grid, stride))
        return torch.cat(crops)

    def loss_and_target(self, mask_preds: Tensor,
                        sampling_results: List[SamplingResult],
                        batch_gt_instances: InstanceList,
                        rcnn_train_cfg: ConfigDict) -> dict:
        """Box projection and pairwise losses of the positive RoIs.

        Args:
            mask_preds (Tensor): (R, C, M, M) logits of the positive RoIs.
            sampling_results (list[SamplingResult]): per image.
            batch_gt_instances (list[InstanceData]): per image, ``bboxes``
                and the preprocessor's LAB metainfo.
            rcnn_train_cfg (ConfigDict): ``mask_size`` M.

        Returns:
            dict: ``loss_mask`` (``loss_proj``, ``loss_pair``) and
            ``mask_targets``, the (R, M, M) box masks.

        Raises:
            NonFiniteLossError: a term is NaN or infinite.
        """
        grid = _pair(rcnn_train_cfg.mask_size)
        if tuple(mask_preds.shape[-2:]) != grid:
            raise ValueError(
                f'train_cfg.rcnn.mask_size is {rcnn_train_cfg.mask_size} but '
                f'the mask head predicts {tuple(mask_preds.shape[-2:])} '
                'grids: make them agree')
        box_masks = self.get_targets(sampling_results, batch_gt_instances,
                                     rcnn_train_cfg)
        if mask_preds.size(0) == 0:
            no_loss = mask_preds.sum() * 0
            return dict(
                loss_mask=dict(loss_proj=no_loss, loss_pair=no_loss),
                mask_targets=box_masks)
        labels = torch.cat(
            [result.pos_gt_labels for result in sampling_results])
        logits = self.roi_logits(mask_preds, labels)
        lab = self.roi_lab(sampling_results, batch_gt_instances, grid)
        losses = dict(
            # (R, T = 1): each RoI a mask of its own
            loss_proj=self.loss_proj(logits[:, None], box_masks[:, None]),
            # (N = 1, T = R): the RoIs are the frames of one clip
            loss_pair=self.loss_pair(logits[None], lab, box_masks[None]))
        check_finite_losses(losses, f'{len(logits)} positive RoIs')
        return dict(loss_mask=losses, mask_targets=box_masks)
