"""The pairwise term's colour pairs on a benchmark's frames."""
from typing import Sequence

import numpy as np


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
    import cv2
    import mmcv
    import torch

    from mmfvis.models.losses import colour_pair_share
    from mmfvis.models.utils import lab_at_logit_resolution
    from mmfvis.models.utils.box_masks import box_masks_at_stride
    frame, factor = mmcv.imrescale(
        cv2.imread(image['img_path']), tuple(scale), return_scale=True)
    rgb = torch.from_numpy(np.ascontiguousarray(frame[..., ::-1]))
    lab = lab_at_logit_resolution(rgb.permute(2, 0, 1).float() / 255.0, stride)
    boxes = torch.tensor([instance['bbox'] for instance in image['instances']],
                         dtype=torch.float32).reshape(-1, 4) * factor
    box_masks = box_masks_at_stride(boxes, lab.shape[-2:], stride)
    counts = colour_pair_share(
        lab[None],
        box_masks[:, None],
        size=size,
        dilation=dilation,
        color_thresh=color_thresh)
    return counts, lab.shape[-2]


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
    size, dilation = loss_pair.get('size', 3), loss_pair.get('dilation', 2)
    threshold = loss_pair.get('color_thresh', 0.3)
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
