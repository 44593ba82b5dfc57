"""Mask2Former-VIS test predictions rescaled and encoded frame by frame.

mmdet's ``Mask2FormerTrackHead.predict_by_feat`` upsamples the mask
logits of the kept queries for every frame of a video at once, as float32
at the original size, and keeps every frame's binary masks until the
video is evaluated: (10, T, 720, 1280) floats are 37 MB a frame, 9 GB at
250 frames (``tools/test.py`` was stopped at 12 GiB). Here each frame is
upsampled, thresholded and (for the evaluators that read them so)
encoded as compressed RLE in turn: the same masks, held a few hundred
bytes each.
"""
from functools import partial
from typing import List

import numpy as np
import torch
import torch.nn.functional as F
from mmdet.models.tracking_heads import Mask2FormerTrackHead
from mmdet.structures.mask import mask2bbox
from mmdet.utils import InstanceList
from mmengine.structures import InstanceData
from pycocotools import mask as mask_utils
from torch import Tensor

__all__ = ['encode_masks', 'predict_frame_by_frame', 'use_frame_by_frame']

# The tracks a video keeps, as mmdet's head does
KEPT_TRACKS = 10


def encode_masks(masks: np.ndarray) -> List[dict]:
    """Binary masks (N, H, W) as N compressed RLEs with ``str`` counts."""
    if len(masks) == 0:
        return []
    rles = mask_utils.encode(
        np.asfortranarray(masks.transpose(1, 2, 0).astype(np.uint8)))
    for rle in rles:
        rle['counts'] = rle['counts'].decode()
    return rles


def predict_frame_by_frame(head: Mask2FormerTrackHead,
                           mask_cls_results: Tensor,
                           mask_pred_results: Tensor,
                           batch_img_metas: List[dict],
                           rescale: bool = True,
                           encode: bool = False) -> InstanceList:
    """What ``Mask2FormerTrackHead.predict_by_feat`` returns, frame by frame.

    The 10 best (query, class) pairs of the video, by class probability,
    are its tracks; each frame's mask logits are cropped to the unpadded
    image, upsampled to the original size (``rescale``) and thresholded
    at 0, one frame at a time.

    Args:
        head (Mask2FormerTrackHead): the head (its ``num_classes``).
        mask_cls_results (Tensor): (Q, C + 1) class logits of the video.
        mask_pred_results (Tensor): (Q, T, H, W) mask logits at the padded
            input size.
        batch_img_metas (list[dict]): the T frames' metainfo
            (``img_shape``, ``ori_shape``).
        rescale (bool): masks at the original size, else at the image's.
        encode (bool): masks as compressed RLEs (``str`` counts), not
            tensors.

    Returns:
        list[InstanceData]: per frame ``masks`` (10, h, w) bool, or 10
        RLEs; ``bboxes`` (10, 4) of the masks, x1, y1, x2, y2 pixels;
        ``labels``, ``scores`` and ``instances_id`` (10,), the same for
        every frame.
    """
    if len(mask_cls_results) == 0:
        return []
    scores = F.softmax(mask_cls_results, dim=-1)[:, :-1]
    kept_scores, kept = scores.flatten().topk(KEPT_TRACKS, sorted=False)
    labels = kept % head.num_classes
    height, width = batch_img_metas[0]['img_shape'][:2]
    logits = mask_pred_results[kept // head.num_classes, :, :height, :width]
    results = []
    for frame in range(logits.shape[1]):
        frame_logits = logits[:, frame:frame + 1]
        if rescale:
            frame_logits = F.interpolate(
                frame_logits,
                size=batch_img_metas[0]['ori_shape'][:2],
                mode='bilinear',
                align_corners=False)
        masks = frame_logits[:, 0] > 0
        results.append(
            InstanceData(
                masks=encode_masks(masks.cpu().numpy()) if encode else masks,
                bboxes=mask2bbox(masks),
                labels=labels,
                scores=kept_scores,
                instances_id=torch.arange(KEPT_TRACKS)))
    return results


def use_frame_by_frame(model: torch.nn.Module, encode: bool) -> bool:
    """Make a Mask2Former-VIS model predict with
    :func:`predict_frame_by_frame`; False for any other model.

    Args:
        model (nn.Module): the runner's model.
        encode (bool): masks as compressed RLEs, for evaluators that read
            them so (:class:`YouTubeVISMaskMetric`, :class:`TrackJFMetric`).
    """
    head = getattr(getattr(model, 'module', model), 'track_head', None)
    if not isinstance(head, Mask2FormerTrackHead):
        return False
    # the head's own predict calls it: set on the instance, the model and
    # its checkpoint stay mmdet's
    head.predict_by_feat = partial(predict_frame_by_frame, head, encode=encode)
    return True
