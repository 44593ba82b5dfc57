"""Boxes as masks at mask-logit resolution."""
import torch
from torch import Tensor

__all__ = ['box_masks_at_stride', 'filled_box_masks']


def _cells_inside(low: Tensor, high: Tensor, num_cells: int,
                  stride: int) -> Tensor:
    """(n, num_cells) bool: cells whose centre lies in [low, high).

    A box thinner than a cell still covers the cell that holds its centre,
    so every box gives a non-empty mask.
    """
    cells = torch.arange(num_cells, device=low.device)
    centres = (cells.to(low.dtype) + 0.5) * stride
    inside = (centres >= low[:, None]) & (centres < high[:, None])
    centre_cell = (((low + high) / 2) // stride).long().clamp(0, num_cells - 1)
    thin = ~inside.any(dim=1, keepdim=True)
    return inside | (thin & (cells == centre_cell[:, None]))


def box_masks_at_stride(boxes: Tensor,
                        grid_size: tuple,
                        stride: int = 4) -> Tensor:
    """Rasterise boxes on the grid of mask logits.

    Args:
        boxes (Tensor): (n, 4) boxes (x1, y1, x2, y2) in input pixels.
        grid_size (tuple[int, int]): (h, w) of the logit grid.
        stride (int): input pixels per logit cell. Defaults to 4.

    Returns:
        Tensor: (n, h, w) float, 1 in the cells whose centre is in a box.
    """
    if boxes.dim() != 2 or boxes.shape[-1] != 4:
        raise ValueError(
            f'boxes must have shape (n, 4), got {tuple(boxes.shape)}')
    boxes = boxes.float()
    rows = _cells_inside(boxes[:, 1], boxes[:, 3], grid_size[0], stride)
    cols = _cells_inside(boxes[:, 0], boxes[:, 2], grid_size[1], stride)
    return (rows[:, :, None] & cols[:, None, :]).float()


def _span(occupied: Tensor) -> Tensor:
    """Along the last dim: True from the first to the last True element."""
    seen_before = occupied.cumsum(-1) > 0
    seen_after = occupied.flip(-1).cumsum(-1).flip(-1) > 0
    return seen_before & seen_after


def filled_box_masks(masks: Tensor) -> Tensor:
    """The tight box of each binary mask, filled.

    Args:
        masks (Tensor): (..., h, w) bool.

    Returns:
        Tensor: (..., h, w) bool; an empty mask gives an empty box.
    """
    rows = _span(masks.any(dim=-1).int())
    cols = _span(masks.any(dim=-2).int())
    return rows[..., :, None] & cols[..., None, :]
