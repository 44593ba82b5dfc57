"""colour_pair_share: the pairwise term's colour pairs, counted with the
term's own selection."""
import pytest
import torch
from clip_factory import random_clip

from mmfvis.models.losses import (ColourPairCounts, colour_pair_share,
                                  pairwise_affinity_pairs)


def _two_halves(height=4, width=8):
    """(1, 3, h, w) LAB: the left half black, the right half white."""
    lab = torch.zeros(1, 3, height, width)
    lab[:, 0, :, width // 2:] = 100.0
    return lab


def test_counts_by_hand():
    lab = _two_halves()
    box = torch.zeros(1, 1, 4, 8)
    box[..., :2] = 1  # columns 0 and 1
    counts = colour_pair_share(lab, box, size=3, dilation=2, color_thresh=0.3)
    offsets = [(dy, dx) for dy in (-2, 0, 2) for dx in (-2, 0, 2)
               if (dy, dx) != (0, 0)]
    expected = [0, 0, 0, 0]
    for y in range(4):
        for x in range(8):
            for dy, dx in offsets:
                if 0 <= y + dy < 4 and 0 <= x + dx < 8:
                    same = (x < 4) == (x + dx < 4)
                    in_box = x < 2
                    expected = [
                        expected[0] + same, expected[1] + 1,
                        expected[2] + (same and in_box), expected[3] + in_box
                    ]
    assert counts == ColourPairCounts(*expected)
    assert counts.share == pytest.approx(expected[0] / expected[1])
    assert counts.share_in_boxes == pytest.approx(expected[2] / expected[3])


def test_counts_of_frames_add_up_and_no_box_counts_none_in_boxes():
    lab = _two_halves()
    one = colour_pair_share(
        lab, torch.zeros(0, 1, 4, 8), size=3, dilation=2, color_thresh=0.3)
    both = colour_pair_share(
        lab.repeat(2, 1, 1, 1),
        torch.zeros(0, 2, 4, 8),
        size=3,
        dilation=2,
        color_thresh=0.3)
    assert both == one + one
    assert one.pairs_in_boxes == 0 and one.share_in_boxes == 0
    assert 0 < one.share < 1


@pytest.mark.parametrize('config', [
    dict(size=3, dilation=2, color_thresh=0.3),
    dict(size=5, dilation=1, color_thresh=0.1),
])
def test_pairs_in_a_box_are_those_the_pairwise_term_scores(config):
    """One instance: the in-frame pairs that pass and start in its box are
    the pairs the loss builds."""
    _, lab, boxes = random_clip(1, 3, 10, 13, seed=2, dark=True)
    counts = colour_pair_share(lab, boxes, **config)
    pairs = pairwise_affinity_pairs(lab, boxes, **config)
    assert counts.passed_in_boxes == pairs.first.numel() > 0
    assert counts.passed_in_boxes <= counts.pairs_in_boxes
