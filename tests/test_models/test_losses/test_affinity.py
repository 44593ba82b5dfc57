import pytest
import torch
import torch.nn.functional as F

from mmfvis.models.losses import (cyclic_frame_pairs, grid_offsets,
                                  inside_frame_mask, keep_top_candidates,
                                  neighbour_color_similarity,
                                  patch_candidate_similarity,
                                  shift_with_zero_fill)


def test_grid_offsets():
    assert grid_offsets(
        3, 2, include_centre=False) == [(-2, -2), (-2, 0), (-2, 2), (0, -2),
                                        (0, 2), (2, -2), (2, 0), (2, 2)]
    assert len(grid_offsets(5, 1, include_centre=True)) == 25
    assert grid_offsets(1, 3, include_centre=True) == [(0, 0)]
    with pytest.raises(ValueError, match='odd'):
        grid_offsets(4, 1, include_centre=True)


@pytest.mark.parametrize('dy,dx', [(0, 0), (2, -1), (-3, 4), (7, 0), (0, -9)])
def test_shift_with_zero_fill_reads_the_partner(dy, dx):
    images = torch.randn(2, 5, 7)
    shifted = shift_with_zero_fill(images, dy, dx)
    inside = inside_frame_mask(5, 7, [(dy, dx)], images.device)[0]
    for y in range(5):
        for x in range(7):
            partner_inside = 0 <= y + dy < 5 and 0 <= x + dx < 7
            assert bool(inside[y, x]) == partner_inside
            expected = (
                images[:, y + dy,
                       x + dx] if partner_inside else torch.zeros(2))
            assert torch.equal(shifted[:, y, x], expected)


def test_similarities_at_the_border_use_zero_lab():
    lab = torch.full((1, 3, 4, 4), 1.0)
    similarity = neighbour_color_similarity(lab, [(0, 1)])
    assert similarity.shape == (1, 1, 4, 4)
    assert torch.allclose(similarity[0, 0, :, :3], torch.ones(4, 3))
    off_frame = torch.exp(torch.tensor(-(3**0.5) / 2))
    assert torch.allclose(similarity[0, 0, :, 3], off_frame.expand(4))


def test_patch_similarity_equals_unfolded_patches():
    frames = torch.randn(2, 3, 5, 6, dtype=torch.float64)
    offsets = [(0, 0), (1, -2), (-3, 3), (0, 6)]
    similarity = patch_candidate_similarity(frames[1], frames[0], offsets, 3)
    patches = F.unfold(frames, 3, padding=1).reshape(2, 27, 5, 6)
    for index, (dy, dx) in enumerate(offsets):
        # An off-frame candidate's patch is all zeros.
        partner = shift_with_zero_fill(patches[0], dy, dx)
        distance = torch.linalg.vector_norm(patches[1] - partner, dim=0)
        assert torch.allclose(similarity[index], torch.exp(-distance / 2))


def test_keep_top_candidates_thresholds_and_breaks_ties_by_index():
    similarity = torch.tensor([0.9, 0.2, 0.9, 0.04, 0.9, 0.5])[None, :, None,
                                                               None]
    keep = keep_top_candidates(similarity, topk=2, sim_thresh=0.05)
    assert keep.flatten().tolist() == [True, False, True, False, False, False]
    keep = keep_top_candidates(similarity, topk=9, sim_thresh=0.05)
    assert keep.flatten().tolist() == [True, True, True, False, True, True]
    assert not keep_top_candidates(similarity, 0, 0.0).any()


def test_cyclic_frame_pairs():
    assert cyclic_frame_pairs(1) == []
    assert cyclic_frame_pairs(2) == [(0, 1)]
    assert cyclic_frame_pairs(3) == [(0, 1), (1, 2), (2, 0)]
    assert cyclic_frame_pairs(5)[-1] == (4, 0)
