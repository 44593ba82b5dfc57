import numpy as np
import pytest
import torch

from mmfvis.models.utils import box_masks_on_roi_grid, lab_on_roi_grid


def _reference_roi_box_mask(roi, box, grid):
    """Cell by cell: is the cell centre, in input pixels, inside the box?"""
    x1, y1, x2, y2 = roi
    cell_w, cell_h = (x2 - x1) / grid[1], (y2 - y1) / grid[0]
    mask = np.zeros(grid, np.float32)
    for i in range(grid[0]):
        for j in range(grid[1]):
            cx, cy = x1 + (j + 0.5) * cell_w, y1 + (i + 0.5) * cell_h
            mask[i, j] = box[0] <= cx < box[2] and box[1] <= cy < box[3]
    return mask


@pytest.mark.parametrize('roi, box', [
    ((10, 20, 66, 76), (10, 20, 66, 76)),
    ((0, 0, 100, 50), (30.5, 5, 80, 47)),
    ((12.3, 4.1, 40.9, 90.2), (0, 30, 25, 200)),
])
def test_box_cells_are_those_whose_centre_is_inside(roi, box):
    grid = (14, 10)
    masks = box_masks_on_roi_grid(
        torch.tensor([roi]), torch.tensor([box]), grid)
    assert masks.shape == (1, *grid)
    np.testing.assert_array_equal(masks[0].numpy(),
                                  _reference_roi_box_mask(roi, box, grid))


def test_the_box_of_a_roi_fills_its_grid():
    rois = torch.tensor([[3.0, 7.0, 51.0, 29.0], [0.0, 0.0, 8.0, 300.0]])
    assert box_masks_on_roi_grid(rois, rois, (28, 28)).all()


def test_box_and_roi_counts_must_agree():
    with pytest.raises(ValueError, match='2 rois but 1 boxes'):
        box_masks_on_roi_grid(torch.zeros(2, 4), torch.zeros(1, 4), (4, 4))
    with pytest.raises(ValueError, match=r'rois must be \(R, 4\)'):
        box_masks_on_roi_grid(torch.zeros(2, 5), torch.zeros(2, 4), (4, 4))


def test_no_roi_gives_an_empty_grid_stack():
    empty = torch.zeros(0, 4)
    assert box_masks_on_roi_grid(empty, empty, (5, 6)).shape == (0, 5, 6)
    lab = lab_on_roi_grid(torch.zeros(3, 8, 8), empty, (5, 6), 4)
    assert lab.shape == (0, 3, 5, 6)


def test_lab_cells_aligned_with_the_map_read_its_values():
    generator = torch.Generator().manual_seed(0)
    frame_lab = torch.randn(3, 12, 16, generator=generator)
    # a RoI over map cells 3..10 (columns) and 2..7 (rows) at stride 4,
    # one grid cell per map cell
    roi = torch.tensor([[12.0, 8.0, 44.0, 32.0]])
    lab = lab_on_roi_grid(frame_lab, roi, (6, 8), lab_stride=4)
    torch.testing.assert_close(lab[0], frame_lab[:, 2:8, 3:11])


def test_a_roi_cell_averages_the_map_cells_it_covers():
    generator = torch.Generator().manual_seed(1)
    frame_lab = torch.randn(3, 12, 16, generator=generator)
    # whole frame at stride 2 on a grid of 2 x 2 map cells per RoI cell
    roi = torch.tensor([[0.0, 0.0, 32.0, 24.0]])
    lab = lab_on_roi_grid(frame_lab, roi, (6, 8), lab_stride=2)
    expected = frame_lab.reshape(3, 6, 2, 8, 2).mean(dim=(2, 4))
    torch.testing.assert_close(lab[0], expected)


def test_the_frame_must_be_one_lab_image():
    with pytest.raises(ValueError, match=r'frame_lab must be \(3, h, w\)'):
        lab_on_roi_grid(torch.zeros(1, 3, 8, 8), torch.zeros(1, 4), (2, 2), 4)
