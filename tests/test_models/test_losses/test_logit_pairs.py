import pytest
import torch

from mmfvis.models.losses import LogitPairs


def _one_offset_pairs(gate):
    """Each pixel with its right neighbour, in frame 0, one segment."""
    keep = torch.ones(1, 1, 2, 3, dtype=torch.bool)
    return LogitPairs.from_candidates(
        keep,
        gate, [(0, 1)],
        centre_frames=[0],
        partner_frames=[0],
        segments=[0],
        num_frames=2)


def test_from_candidates_lists_in_frame_pairs_inside_the_gate():
    gate = torch.zeros(2, 1, 2, 3)
    gate[0, 0, 0, :] = 1.0
    gate[1, 0, 1, 1:] = 1.0
    pairs = _one_offset_pairs(gate)
    # Logits (N=2, T=2, 2, 3): instance n, frame 0, pixel i at 12 n + i.
    assert pairs.first.tolist() == [0, 1, 16]
    assert pairs.second.tolist() == [1, 2, 17]
    assert pairs.first.dtype == torch.int32
    assert pairs.weights is None
    assert pairs.segment_sizes == (3, )
    # The off-frame partners of pixels 2 (instance 0) and 5 (instance 1)
    # count in the denominator.
    assert pairs.denominators.tolist() == [5.0]
    assert pairs.num_logits == 24


def test_soft_gates_become_weights():
    gate = torch.zeros(1, 1, 2, 3)
    gate[0, 0, 0, 0] = 0.25
    pairs = _one_offset_pairs(gate)
    assert pairs.weights.tolist() == [0.25]
    assert pairs.denominators.tolist() == [0.25]


def test_merge_offsets_indices_and_pools_segments():
    gate = torch.ones(1, 1, 2, 3)
    keep = torch.ones(2, 1, 2, 3, dtype=torch.bool)
    two_segments = LogitPairs.from_candidates(
        keep,
        gate.expand(-1, 2, -1, -1), [(0, 1)],
        centre_frames=[0, 1],
        partner_frames=[1, 0],
        segments=[0, 1],
        num_frames=2)
    soft = two_segments.__class__(
        first=two_segments.first,
        second=two_segments.second,
        weights=torch.full((8, ), 0.5),
        segment_sizes=(4, 4),
        denominators=two_segments.denominators / 2,
        num_logits=12)
    merged = LogitPairs.merge([two_segments, soft])
    assert merged.segment_sizes == (8, 8)
    assert merged.first[:8].tolist() == (
        two_segments.first[:4].tolist() +
        (two_segments.first[:4] + 12).tolist())
    assert merged.weights.tolist(
    ) == [1.0] * 4 + [0.5] * 4 + [1.0] * 4 + [0.5] * 4
    assert merged.denominators.tolist() == [9.0, 9.0]
    logits = [torch.randn(1, 2, 2, 3), torch.randn(1, 2, 2, 3)]
    expected = (two_segments.numerators(logits[0]) +
                soft.numerators(logits[1])) / merged.denominators
    assert torch.allclose(merged.loss(logits), expected.float().sum())
    with pytest.raises(ValueError, match='same number of segments'):
        LogitPairs.merge([two_segments, _one_offset_pairs(gate)])


def test_logits_must_match_the_indexed_size():
    pairs = _one_offset_pairs(torch.ones(1, 1, 2, 3))
    with pytest.raises(ValueError, match=r'\(1, 2, 2, 4\)'):
        pairs.loss(torch.zeros(1, 2, 2, 4))
    with pytest.raises(ValueError, match='empty'):
        pairs.loss([])
