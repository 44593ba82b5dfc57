import numpy as np
import pytest
import torch

from mmfvis.models.utils.box_masks import box_masks_at_stride, filled_box_masks


def _reference_box_mask(box, grid_size, stride):
    """Cell by cell: is the cell centre inside the box?"""
    mask = np.zeros(grid_size, np.float32)
    x1, y1, x2, y2 = box
    for i in range(grid_size[0]):
        for j in range(grid_size[1]):
            cy, cx = (i + 0.5) * stride, (j + 0.5) * stride
            mask[i, j] = y1 <= cy < y2 and x1 <= cx < x2
    return mask


@pytest.mark.parametrize('box', [(0, 0, 40, 24), (3.5, 5, 17, 23.9),
                                 (10, 2, 39.5, 7), (0, 0, 1e3, 1e3)])
def test_cells_with_centre_in_box(box):
    grid_size = (6, 10)
    masks = box_masks_at_stride(torch.tensor([box]), grid_size, stride=4)
    assert masks.shape == (1, *grid_size)
    np.testing.assert_array_equal(masks[0].numpy(),
                                  _reference_box_mask(box, grid_size, 4))


def test_thin_box_keeps_the_cell_of_its_centre():
    masks = box_masks_at_stride(
        torch.tensor([[9.0, 4.5, 10.0, 15.0]]), (6, 10), stride=4)
    # rows with centres 6, 10, 14; no column centre in [9, 10): column 2
    assert masks.sum() == 3
    assert masks[0, 1:4, 2].tolist() == [1.0, 1.0, 1.0]


def test_box_shape_is_checked():
    with pytest.raises(ValueError, match=r'\(n, 4\)'):
        box_masks_at_stride(torch.zeros(3, 5), (4, 4))


def test_filled_box_of_masks():
    masks = torch.zeros(2, 3, 7, 8, dtype=torch.bool)
    masks[0, 0, 1, 2] = masks[0, 0, 4, 6] = True
    masks[1, 2, 3:5, 0] = True
    boxes = filled_box_masks(masks)
    expected = torch.zeros_like(masks)
    expected[0, 0, 1:5, 2:7] = True
    expected[1, 2, 3:5, 0:1] = True
    assert torch.equal(boxes, expected)
