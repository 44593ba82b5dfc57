"""Boxes and LAB colours on the mask grid of RoIs (the R-CNN mask heads).

An R-CNN mask head predicts an M x M grid of logits over each RoI: cell
(i, j) of RoI (x1, y1, x2, y2) has its centre at
``(x1 + (j + 0.5) (x2 - x1) / M, y1 + (i + 0.5) (y2 - y1) / M)`` pixels,
as mmdet's ``mask_target`` crops the targets and ``_do_paste_mask`` pastes
the predictions back. The box-supervised losses take their inputs on that
grid: a box rasterised in the RoI's cells, and the frame's LAB colours
averaged over each cell.
"""
from typing import Tuple

import torch
from mmcv.ops import roi_align
from torch import Tensor

from .box_masks import box_masks_at_stride

__all__ = ['box_masks_on_roi_grid', 'lab_on_roi_grid']


def _check_boxes(name: str, boxes: Tensor) -> None:
    if boxes.dim() != 2 or boxes.shape[-1] != 4:
        raise ValueError(f'{name} must be (R, 4) x1, y1, x2, y2, got '
                         f'{tuple(boxes.shape)}')


def box_masks_on_roi_grid(rois: Tensor, boxes: Tensor,
                          grid: Tuple[int, int]) -> Tensor:
    """Rasterise one box per RoI on the RoI's mask grid.

    A cell is inside when its centre lies in the box (the rule of
    :func:`box_masks_at_stride`, in RoI cells); a box thinner than a cell
    still covers the cell that holds its centre. The part of a box outside
    its RoI is cut off, as mmdet's mask targets are.

    Args:
        rois (Tensor): (R, 4) RoIs x1, y1, x2, y2 in input pixels.
        boxes (Tensor): (R, 4) the box of each RoI, same coordinates; it
            should overlap its RoI (an assigned ground-truth box does).
        grid (tuple[int, int]): (M_h, M_w) cells of the mask grid.

    Returns:
        Tensor: (R, M_h, M_w) float, 1 in the cells inside the box.
    """
    _check_boxes('rois', rois)
    _check_boxes('boxes', boxes)
    if len(rois) != len(boxes):
        raise ValueError(f'got {len(rois)} rois but {len(boxes)} boxes')
    if not len(rois):
        return rois.new_zeros(0, *grid)
    rois, boxes = rois.float(), boxes.to(rois.device).float()
    origin = rois[:, [0, 1, 0, 1]]
    # RoI pixels per cell along x and y; a degenerate RoI gets cells of 1 px
    cell_size = (rois[:, 2:] - rois[:, :2]).clamp(min=1e-6) / rois.new_tensor(
        [grid[1], grid[0]])
    boxes_in_cells = (boxes - origin) / cell_size.repeat(1, 2)
    return box_masks_at_stride(boxes_in_cells, grid, stride=1)


def lab_on_roi_grid(frame_lab: Tensor, rois: Tensor, grid: Tuple[int, int],
                    lab_stride: int) -> Tensor:
    """Average a frame's LAB colours over each cell of the RoIs' grids.

    RoIAlign (mmcv's, ``aligned=True``, adaptive sampling): a cell larger
    than a LAB cell averages the LAB cells it covers, a smaller one reads
    them bilinearly; LAB off the map reads 0, as off the frame for the
    image-space losses.

    Args:
        frame_lab (Tensor): (3, h, w) CIE-LAB of one frame, each value the
            average of a ``lab_stride`` x ``lab_stride`` pixel cell.
        rois (Tensor): (R, 4) x1, y1, x2, y2 in input pixels.
        grid (tuple[int, int]): (M_h, M_w) cells of the mask grid.
        lab_stride (int): input pixels per LAB cell.

    Returns:
        Tensor: (R, 3, M_h, M_w) LAB, float32.
    """
    _check_boxes('rois', rois)
    if frame_lab.dim() != 3 or frame_lab.shape[0] != 3:
        raise ValueError('frame_lab must be (3, h, w), got '
                         f'{tuple(frame_lab.shape)}')
    if not len(rois):
        return frame_lab.new_zeros(0, 3, *grid)
    indexed = torch.cat([rois.new_zeros(len(rois), 1), rois], dim=1)
    # the colours are inputs of the losses, never differentiated
    with torch.no_grad(), torch.autocast(frame_lab.device.type, enabled=False):
        return roi_align(frame_lab[None].float(),
                         indexed.float().to(frame_lab.device), tuple(grid),
                         1.0 / lab_stride, 0, 'avg', True)
