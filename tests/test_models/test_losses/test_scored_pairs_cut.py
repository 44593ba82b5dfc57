"""scored_pairs_cut: the pairs the pairwise term scores, and those a mask
cuts, against a count by hand and against the loss itself."""
import math

import torch

from mmfvis.models.losses import pairwise_affinity_loss, scored_pairs_cut

GRID = dict(size=3, dilation=1, color_thresh=0.3)


def _flat_frame(height=6, width=6):
    """(1, 3, h, w) LAB of one mid-grey colour: every pair passes."""
    lab = torch.zeros(1, 3, height, width)
    lab[:, 0] = 50.0
    return lab


def _left_columns(count, height=6, width=6):
    """(1, 1, h, w): 1 in the first ``count`` columns."""
    mask = torch.zeros(1, 1, height, width)
    mask[..., :count] = 1
    return mask


def test_a_straight_outline_counted_by_hand():
    box = torch.ones(1, 1, 6, 6)
    scored, cut = scored_pairs_cut(_flat_frame(), box, _left_columns(3),
                                   **GRID)
    # 8 neighbours of the 16 inner pixels, 5 of the 16 edge pixels, 3 of
    # the 4 corners; across the outline between columns 2 and 3, three
    # partners a pixel in the 4 inner rows, two in the top and bottom rows,
    # in both directions
    assert scored.tolist() == [[16 * 8 + 16 * 5 + 4 * 3]]
    assert cut.tolist() == [[2 * (4 * 3 + 2 * 2)]]


def test_an_outline_on_a_colour_edge_cuts_no_scored_pair():
    lab = _flat_frame()
    lab[:, 0, :, 3:] = 90.0
    scored, cut = scored_pairs_cut(lab, torch.ones(1, 1, 6, 6),
                                   _left_columns(3), **GRID)
    assert cut.tolist() == [[0]] and scored.item() > 0


def test_pairs_start_in_the_box_only():
    box = _left_columns(2)
    scored, cut = scored_pairs_cut(_flat_frame(), box, box, **GRID)
    # the box's own edge: pixels of column 1 with partners in column 2
    assert cut.tolist() == [[4 * 3 + 2 * 2]]
    # in-frame neighbours of column 0 (2 corners, 4 edge pixels) and of
    # column 1 (2 edge pixels, 4 inner ones)
    assert scored.tolist() == [[(2 * 3 + 4 * 5) + (2 * 5 + 4 * 8)]]


def test_the_cut_share_is_the_pairwise_loss_at_hard_logits():
    torch.manual_seed(0)
    lab = torch.rand(2, 3, 8, 10) * torch.tensor([20.0, 4, 4])[:, None, None]
    lab[:, 0] += 40
    box = torch.zeros(2, 2, 8, 10)
    box[0, :, 1:7, 2:9] = 1
    box[1, :, 0:5, 0:6] = 1
    mask = box * (torch.rand(2, 2, 8, 10) > 0.4)
    grid = dict(size=3, dilation=2, color_thresh=0.3)
    scored, cut = scored_pairs_cut(lab, box, mask, **grid)
    logit = 20.0
    loss = pairwise_affinity_loss((2 * mask - 1) * logit, lab, box,
                                  **grid).item()
    # a cut pair costs -log(2 s(20) s(-20)); a pair with one label ~0; off
    # the frame, LAB 0 is far from these colours: no pair passes there
    cost = -math.log(2 * torch.sigmoid(torch.tensor(logit)).item() *
                     torch.sigmoid(torch.tensor(-logit)).item())
    assert cut.sum() > 0
    assert math.isclose(
        loss, (cut.sum() / scored.sum()).item() * cost, rel_tol=1e-4)
