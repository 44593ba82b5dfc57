"""The pairwise term's colour pairs on a benchmark's frames."""
from typing import Sequence

import numpy as np


def frame_at_logits(image: dict, scale: Sequence[int], stride: int):
    """A frame read and resized to fit ``scale`` (w, h) as the training
    pipeline does: its (3, h, w) LAB at logit resolution, its instances'
    (N, h, w) box masks there, and the resized frame's (H, W, 3) shape."""
    import cv2
    import mmcv
    import torch

    from mmfvis.models.utils import lab_at_logit_resolution
    from mmfvis.models.utils.box_masks import box_masks_at_stride
    frame, factor = mmcv.imrescale(
        cv2.imread(image['img_path']), tuple(scale), return_scale=True)
    rgb = torch.from_numpy(np.ascontiguousarray(frame[..., ::-1]))
    lab = lab_at_logit_resolution(rgb.permute(2, 0, 1).float() / 255.0, stride)
    boxes = torch.tensor([instance['bbox'] for instance in image['instances']],
                         dtype=torch.float32).reshape(-1, 4) * factor
    return lab, box_masks_at_stride(boxes, lab.shape[-2:], stride), frame.shape


def frame_pair_counts(image: dict, scale: Sequence[int], size: int,
                      dilation: int, color_thresh: float, stride: int):
    """:func:`mmfvis.models.losses.colour_pair_share` of one frame, read
    and resized to fit ``scale`` (w, h) as the training pipeline does.

    Args:
        image (dict): a frame of an mmdet video dataset (``img_path``,
            ``instances`` with ``bbox`` x1 y1 x2 y2 in pixels).

    Returns:
        tuple: the frame's ``ColourPairCounts`` and its logit rows.
    """
    from mmfvis.models.losses import colour_pair_share
    lab, box_masks, _ = frame_at_logits(image, scale, stride)
    counts = colour_pair_share(
        lab[None],
        box_masks[:, None],
        size=size,
        dilation=dilation,
        color_thresh=color_thresh)
    return counts, lab.shape[-2]


def masks_at_logits(segmentations: Sequence, height: int, width: int,
                    resized_shape: Sequence[int], logit_shape: Sequence[int],
                    stride: int):
    """(N, h, w) 0/1: masks (RLE, polygons, or None for empty; as
    :func:`compressed_rle` reads them) of a
    ``height`` x ``width`` frame resized with it to ``resized_shape``, then
    the logit cells they cover half of or more."""
    import cv2
    import torch
    from pycocotools import mask as mask_utils

    from mmfvis.evaluation.metrics.youtube_vis_mask_metric import \
        compressed_rle
    from mmfvis.models.utils import pool_to_logit_resolution
    masks = []
    for segmentation in segmentations:
        if segmentation is None:
            mask = np.zeros((height, width), np.uint8)
        else:
            mask = mask_utils.decode(
                compressed_rle(segmentation, height, width))
        masks.append(
            cv2.resize(
                mask,
                tuple(resized_shape[1::-1]),
                interpolation=cv2.INTER_NEAREST))
    if not masks:
        return torch.zeros(0, *logit_shape)
    full = torch.from_numpy(np.stack(masks)).float()[:, None]
    covered = pool_to_logit_resolution(full, stride)[:, 0]
    return (covered >= 0.5).float()


def pair_grid(loss_pair: dict) -> dict:
    """The neighbour grid and colour threshold of a pairwise-term config,
    the term's defaults where unset."""
    return dict(
        size=loss_pair.get('size', 3),
        dilation=loss_pair.get('dilation', 2),
        color_thresh=loss_pair.get('color_thresh', 0.3))


def dataset_outline_cuts(dataset,
                         scale: Sequence[int],
                         loss_pair: dict,
                         stride: int = 4) -> dict:
    """What the pairwise term asks of the true masks against the filled
    boxes on a dataset's frames: of the pairs it scores (first pixel in
    the box, similar colours), the share each labels differently
    (:func:`mmfvis.models.losses.scored_pairs_cut`). Both satisfy the
    projection term; the term's value at a near 0/1 mask is about its cut
    share times ``-log(eps)``, so where the truth cuts more pairs than the
    box, the term pulls that mask away from the truth.

    Args:
        dataset: an mmdet video dataset with masks, built.
        scale, loss_pair, stride: see :func:`dataset_colour_pair_share`.

    Returns:
        dict: ``truth_cut`` and ``box_cut`` (cut / scored pairs, pooled),
        ``box_preferred`` (share of the object-frames where the box cuts
        fewer pairs than the truth), ``object_frames`` and ``text``.
    """
    from mmfvis.models.losses import scored_pairs_cut
    grid = pair_grid(loss_pair)
    scored = truth_cut = box_cut = preferred = object_frames = 0
    for index in range(len(dataset)):
        for image in dataset.get_data_info(index)['images']:
            lab, boxes, resized = frame_at_logits(image, scale, stride)
            truth = masks_at_logits(
                [instance['mask']
                 for instance in image['instances']], image['height'],
                image['width'], resized, lab.shape[-2:], stride)
            frame_scored, frame_truth = scored_pairs_cut(
                lab[None], boxes[:, None], truth[:, None], **grid)
            _, frame_box = scored_pairs_cut(lab[None], boxes[:, None],
                                            boxes[:, None], **grid)
            scored += int(frame_scored.sum())
            truth_cut += int(frame_truth.sum())
            box_cut += int(frame_box.sum())
            preferred += int((frame_box < frame_truth).sum())
            object_frames += frame_scored.numel()
    result = dict(
        truth_cut=truth_cut / max(scored, 1),
        box_cut=box_cut / max(scored, 1),
        box_preferred=preferred / max(object_frames, 1),
        object_frames=object_frames)
    result['text'] = (
        f'of the pairs the pairwise term scores, the true masks cut '
        f'{100 * result["truth_cut"]:.1f}%, the filled boxes '
        f'{100 * result["box_cut"]:.1f}%; the box cuts fewer than the truth '
        f'in {100 * result["box_preferred"]:.0f}% of {object_frames} '
        f'object-frames')
    return result


def dataset_colour_pair_share(dataset,
                              scale: Sequence[int],
                              loss_pair: dict,
                              stride: int = 4) -> dict:
    """How many of the pairwise term's neighbour pairs pass its colour
    threshold on a dataset's frames, resized to fit ``scale`` (w, h) as
    the training pipeline does: of all the pairs inside the frames, and of
    those whose first pixel is in a box (the pairs the term scores).

    Args:
        dataset: an mmdet video dataset (``img_path``, ``bbox`` x1 y1 x2 y2
            of every frame's instances), built.
        scale (tuple[int, int]): the Resize scale (w, h), kept ratio.
        loss_pair (dict): the config of the pairwise term (its ``size``,
            ``dilation`` and ``color_thresh``; the defaults where unset).
        stride (int): mask-logit stride in pixels.

    Returns:
        dict: ``all`` and ``in_boxes`` shares, ``frames``, ``logit_rows``
        (of the last frame) and a sentence, ``text``.
    """
    from mmfvis.models.losses import ColourPairCounts
    grid = pair_grid(loss_pair)
    size, dilation = grid['size'], grid['dilation']
    threshold = grid['color_thresh']
    total, frames, rows = ColourPairCounts(), 0, 0
    for index in range(len(dataset)):
        for image in dataset.get_data_info(index)['images']:
            counts, rows = frame_pair_counts(image, scale, size, dilation,
                                             threshold, stride)
            total, frames = total + counts, frames + 1
    text = (f'colour pairs passing the pairwise threshold ({threshold}, '
            f'{size}x{size} grid, dilation {dilation}), frames resized to '
            f'fit {scale[0]}x{scale[1]} (logits {rows} rows), {frames} '
            f'frames: {100 * total.share:.1f}% of all pairs, '
            f'{100 * total.share_in_boxes:.1f}% of those starting in a box')
    return dict(
        all=total.share,
        in_boxes=total.share_in_boxes,
        frames=frames,
        logit_rows=rows,
        text=text)
