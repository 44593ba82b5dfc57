"""The box losses in a plain network: a small U-Net trained on images of one
object each, scored by region similarity J on held-out images.

The lowest rungs of the ladder (``tools/analysis/mask_term_ladder.py``):
no detector, no matching, no queries; the mask logits of the whole image
are the object's.
The rows differ only in the loss: the box projection term alone, plus the
pairwise colour-affinity term, or mask supervision (the ceiling); the
filled box is the floor a box-supervised mask has to beat.
"""
from dataclasses import asdict, dataclass
from typing import Dict

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch import Tensor

from mmfvis.datasets.synthetic.single_object_images import (ObjectImages,
                                                            crop_blob_videos,
                                                            render_blob_images)
from mmfvis.models.losses import box_projection_loss, pairwise_affinity_loss
from mmfvis.models.utils import lab_at_logit_resolution
from mmfvis.models.utils.box_masks import box_masks_at_stride

__all__ = [
    'FCN_ROWS', 'FcnSettings', 'SmallUNet', 'make_images', 'train_fcn',
    'predicted_masks', 'box_region_similarity', 'run_fcn'
]

FCN_ROWS = ('filled_box', 'projection', 'projection_pairwise', 'mask')
# video_crops_plain: the crops of objects with a colour of their own only
IMAGE_SOURCES = ('blobs', 'two_colour_blobs', 'video_crops',
                 'video_crops_plain')
# frames normalised to about zero mean, unit spread
PIXEL_MEAN, PIXEL_STD = 127.5, 64.0


@dataclass(frozen=True)
class FcnSettings:
    """One FCN experiment, everything but the row and the seed.

    Attributes:
        source (str): images, one of ``IMAGE_SOURCES``.
        logit_stride (int): image pixels per mask logit, 2 or 4.
        image_size (int): side of the square images in pixels.
        num_train, num_test (int): training and held-out images.
        iters (int): optimiser steps.
        batch_size (int): images a step.
        lr (float): Adam learning rate.
        proj_weight, pair_weight (float): loss weights.
        pair_warmup_iters (int): steps over which the pairwise weight
            ramps linearly from 0, as the configs ramp it (a twelfth of
            their iterations); 0 for full weight from the first step,
            where some seeds fill the box (docs/benchmarks/README.md).
    """
    source: str = 'blobs'
    logit_stride: int = 2
    image_size: int = 64
    num_train: int = 512
    num_test: int = 128
    iters: int = 1200
    batch_size: int = 8
    lr: float = 1e-3
    proj_weight: float = 1.0
    pair_weight: float = 1.0
    pair_warmup_iters: int = 100

    def to_dict(self) -> dict:
        return asdict(self)


def _conv_block(in_channels: int, out_channels: int, stride: int):
    return nn.Sequential(
        nn.Conv2d(in_channels, out_channels, 3, stride, 1, bias=False),
        nn.BatchNorm2d(out_channels), nn.ReLU(inplace=True),
        nn.Conv2d(out_channels, out_channels, 3, 1, 1, bias=False),
        nn.BatchNorm2d(out_channels), nn.ReLU(inplace=True))


class SmallUNet(nn.Module):
    """A 3-level U-Net, 8/16/32 channels at strides s, 2s, 4s; one mask
    logit per ``logit_stride`` x ``logit_stride`` pixels.

    Args:
        logit_stride (int): s, a power of 2.
    """

    def __init__(self, logit_stride: int = 2, widths=(8, 16, 32)) -> None:
        super().__init__()
        if logit_stride < 1 or logit_stride & (logit_stride - 1):
            raise ValueError(
                f'logit_stride must be a power of 2, got {logit_stride}')
        stem = [_conv_block(3, widths[0], 1)]
        for _ in range(int(np.log2(logit_stride))):
            stem.append(_conv_block(widths[0], widths[0], 2))
        self.level1 = nn.Sequential(*stem)
        self.level2 = _conv_block(widths[0], widths[1], 2)
        self.level3 = _conv_block(widths[1], widths[2], 2)
        self.up3 = _conv_block(widths[2] + widths[1], widths[1], 1)
        self.up2 = _conv_block(widths[1] + widths[0], widths[0], 1)
        self.logits = nn.Conv2d(widths[0], 1, 1)

    def forward(self, images: Tensor) -> Tensor:
        """(B, 3, H, W) normalised images -> (B, H/s, W/s) mask logits."""
        level1 = self.level1(images)
        level2 = self.level2(level1)
        level3 = self.level3(level2)
        up = F.interpolate(level3, size=level2.shape[-2:], mode='nearest')
        up = self.up3(torch.cat([up, level2], 1))
        up = F.interpolate(up, size=level1.shape[-2:], mode='nearest')
        up = self.up2(torch.cat([up, level1], 1))
        return self.logits(up)[:, 0]


def make_images(source: str, seed: int, count: int, size: int) -> ObjectImages:
    """``count`` images of ``source`` (see ``IMAGE_SOURCES``)."""
    if source in ('video_crops', 'video_crops_plain'):
        return crop_blob_videos(
            seed, count, size, camouflaged_targets=source == 'video_crops')
    if source in ('blobs', 'two_colour_blobs'):
        return render_blob_images(
            seed, count, size, two_coloured=source == 'two_colour_blobs')
    raise ValueError(f'unknown image source {source!r}; choose among '
                     f'{IMAGE_SOURCES}')


def _to_tensors(images: ObjectImages, indices: np.ndarray):
    """RGB in 0..1 (B, 3, S, S), masks (B, S, S) float, boxes (B, 4)."""
    rgb = torch.from_numpy(images.images[indices]).permute(0, 3, 1, 2)
    return (rgb.float() / 255, torch.from_numpy(images.masks[indices]).float(),
            torch.from_numpy(images.boxes[indices]))


def _mask_supervision_loss(logits: Tensor, masks: Tensor,
                           stride: int) -> Tensor:
    """BCE plus dice against the true masks pooled to logit resolution."""
    target = (F.avg_pool2d(masks[:, None], stride)[:, 0] > 0.5).float()
    bce = F.binary_cross_entropy_with_logits(logits, target)
    probs = logits.sigmoid().flatten(1)
    target = target.flatten(1)
    dice = 1 - (2 * (probs * target).sum(1) + 1) / (
        probs.sum(1) + target.sum(1) + 1)
    return bce + dice.mean()


def _pair_factor(settings: FcnSettings, step: int) -> float:
    """The pairwise weight's warm-up factor at a 0-based step."""
    if settings.pair_warmup_iters == 0:
        return 1.0
    return min(step / settings.pair_warmup_iters, 1.0)


def _box_loss(row: str, settings: FcnSettings, logits: Tensor, rgb: Tensor,
              boxes: Tensor, step: int) -> Tensor:
    """The row's box losses of one batch at a 0-based step, the batch as a
    clip of one instance: (1, B, h, w) logits and box masks, (B, 3, h, w)
    LAB."""
    stride = settings.logit_stride
    box_masks = box_masks_at_stride(boxes, logits.shape[-2:], stride)[None]
    clip_logits = logits[None]
    loss = settings.proj_weight * box_projection_loss(clip_logits, box_masks)
    if row == 'projection_pairwise':
        images_lab = lab_at_logit_resolution(rgb, stride)
        weight = settings.pair_weight * _pair_factor(settings, step)
        loss = loss + weight * pairwise_affinity_loss(clip_logits, images_lab,
                                                      box_masks)
    return loss


def train_fcn(row: str, settings: FcnSettings, train: ObjectImages,
              seed: int) -> SmallUNet:
    """Train a :class:`SmallUNet` on ``train`` with the row's loss.

    Args:
        row (str): ``'projection'``, ``'projection_pairwise'`` or
            ``'mask'``.
        settings (FcnSettings): the experiment.
        train (ObjectImages): training images.
        seed (int): seed of the weights and of the batch order.

    Returns:
        SmallUNet: the trained network, in eval mode.
    """
    if row not in FCN_ROWS[1:]:
        raise ValueError(f'row {row!r} is not trained; choose among '
                         f'{FCN_ROWS[1:]}')
    torch.manual_seed(seed)
    order = np.random.default_rng(seed)
    model = SmallUNet(settings.logit_stride)
    optimizer = torch.optim.Adam(model.parameters(), lr=settings.lr)
    for step in range(settings.iters):
        batch = order.choice(len(train.images), settings.batch_size, False)
        rgb, masks, boxes = _to_tensors(train, batch)
        logits = model((rgb * 255 - PIXEL_MEAN) / PIXEL_STD)
        if row == 'mask':
            loss = _mask_supervision_loss(logits, masks, settings.logit_stride)
        else:
            loss = _box_loss(row, settings, logits, rgb, boxes, step)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return model.eval()


@torch.no_grad()
def predicted_masks(model: SmallUNet, images: ObjectImages) -> np.ndarray:
    """(N, S, S) bool: logits upsampled bilinearly to the image, > 0."""
    rgb, _, _ = _to_tensors(images, np.arange(len(images.images)))
    logits = model((rgb * 255 - PIXEL_MEAN) / PIXEL_STD)
    full = F.interpolate(logits[:, None], size=rgb.shape[-2:], mode='bilinear')
    return full[:, 0].numpy() > 0


def _filled_boxes(images: ObjectImages) -> np.ndarray:
    """(N, S, S) bool: each image's ground-truth box, filled."""
    filled = np.zeros_like(images.masks)
    for mask, (x1, y1, x2, y2) in zip(filled, images.boxes.astype(int)):
        mask[y1:y2, x1:x2] = True
    return filled


def box_region_similarity(predicted: np.ndarray,
                          images: ObjectImages) -> np.ndarray:
    """(N,) IoU with the true mask of each prediction cut to its box.

    The box is given, as in every box-supervised setting: what counts is
    the mask inside it.
    """
    inside = predicted & _filled_boxes(images)
    overlap = (inside & images.masks).sum((1, 2))
    union = (inside | images.masks).sum((1, 2))
    return overlap / np.maximum(union, 1)


def run_fcn(row: str,
            settings: FcnSettings,
            seed: int,
            data_seed: int = 0) -> Dict:
    """Train (unless the row is the filled box) and score on held-out
    images.

    Args:
        row (str): one of ``FCN_ROWS``.
        settings (FcnSettings): the experiment.
        seed (int): seed of the network and batch order.
        data_seed (int): seed of the training images; the held-out images
            use ``data_seed + 1``. The same for every row and seed.

    Returns:
        dict: ``J`` (mean IoU on the held-out images), ``J_per_image``
        and the predicted masks ``masks`` (N, S, S) bool.
    """
    test = make_images(settings.source, data_seed + 1, settings.num_test,
                       settings.image_size)
    if row == 'filled_box':
        masks = _filled_boxes(test)
    else:
        train = make_images(settings.source, data_seed, settings.num_train,
                            settings.image_size)
        masks = predicted_masks(train_fcn(row, settings, train, seed), test)
    scores = box_region_similarity(masks, test)
    return dict(J=float(scores.mean()), J_per_image=scores, masks=masks)
