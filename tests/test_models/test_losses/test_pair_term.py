import math

import pytest
import torch
import torch.nn.functional as F

from mmfvis.models.losses import (pair_term, same_label_nll,
                                  segmented_pair_term_sums)


def _definition(x, y):
    p, q = torch.sigmoid(x), torch.sigmoid(y)
    return -torch.log(p * q + (1 - p) * (1 - q))


def test_same_label_nll_equals_its_definition_and_softplus_form():
    generator = torch.Generator().manual_seed(0)
    x, y = 6 * torch.randn(2, 1000, generator=generator, dtype=torch.float64)
    expected = _definition(x, y)
    assert torch.allclose(same_label_nll(x, y), expected, rtol=1e-12)
    softplus_form = F.softplus(x) + F.softplus(y) - F.softplus(x + y)
    assert torch.allclose(same_label_nll(x, y), softplus_form, rtol=1e-10)


@pytest.mark.parametrize('dtype', [torch.float32, torch.float64])
def test_same_label_nll_is_exact_for_saturated_logits(dtype):
    x = torch.tensor([100.0, -100.0, 100.0, 0.0, 30.0, -1e4], dtype=dtype)
    y = torch.tensor([100.0, -100.0, -100.0, 0.0, 30.0, 1e4], dtype=dtype)
    expected = [
        0.0, 0.0, 100.0 - math.log(2.0),
        math.log(2.0), 2 * math.exp(-30.0), 1e4 - math.log(2.0)
    ]
    values = same_label_nll(x, y)
    assert torch.isfinite(values).all()
    assert values.tolist() == pytest.approx(expected, rel=1e-6, abs=1e-12)


def _pairs(num_logits, num_pairs, seed):
    generator = torch.Generator().manual_seed(seed)
    first = torch.randint(0, num_logits, (num_pairs, ), generator=generator)
    second = torch.randint(0, num_logits, (num_pairs, ), generator=generator)
    return first, second, torch.rand(
        num_pairs, generator=generator, dtype=torch.float64)


def _reference_sums(logits, first, second, weights, sizes):
    terms = weights * same_label_nll(logits[first], logits[second])
    return torch.stack([part.sum() for part in terms.split(sizes)])


@pytest.mark.parametrize('index_dtype', [torch.int32, torch.int64])
def test_segment_sums_and_gradient_match_autograd(index_dtype, monkeypatch):
    monkeypatch.setattr(pair_term, '_CHUNK_PAIRS', 7)
    logits = torch.randn(40, dtype=torch.float64, requires_grad=True)
    first, second, weights = _pairs(40, 60, seed=1)
    sizes = (25, 0, 35)
    expected = _reference_sums(logits, first, second, weights, sizes)
    sums = segmented_pair_term_sums(logits, first.to(index_dtype),
                                    second.to(index_dtype), weights, sizes)
    assert torch.allclose(sums, expected, rtol=1e-12)
    upstream = torch.tensor([0.5, 3.0, -2.0], dtype=torch.float64)
    (expected_grad, ) = torch.autograd.grad(expected, logits, upstream)
    (grad, ) = torch.autograd.grad(sums, logits, upstream)
    assert torch.allclose(grad, expected_grad, rtol=1e-10)


def test_segment_sums_gradcheck_and_unit_weights():
    logits = torch.randn(20, dtype=torch.float64, requires_grad=True)
    first, second, weights = _pairs(20, 30, seed=2)
    assert torch.autograd.gradcheck(
        lambda x: segmented_pair_term_sums(x, first, second, weights,
                                           (10, 20)), (logits, ))
    ones = torch.ones_like(weights)
    assert torch.equal(
        segmented_pair_term_sums(logits, first, second, None, (30, )),
        segmented_pair_term_sums(logits, first, second, ones, (30, )))


def test_no_pairs_and_no_segments():
    logits = torch.randn(5, requires_grad=True)
    empty = torch.zeros(0, dtype=torch.long)
    sums = segmented_pair_term_sums(logits, empty, empty, None, (0, 0))
    assert sums.tolist() == [0.0, 0.0]
    assert segmented_pair_term_sums(logits, empty, empty, None,
                                    ()).numel() == 0
    sums.sum().backward()
    assert torch.count_nonzero(logits.grad) == 0


def test_inconsistent_arguments_are_reported():
    logits = torch.randn(5)
    index = torch.tensor([0, 1])
    with pytest.raises(ValueError, match='segment_sizes'):
        segmented_pair_term_sums(logits, index, index, None, (3, ))
    with pytest.raises(ValueError, match='first and second'):
        segmented_pair_term_sums(logits, index, index[:1], None, (2, ))
    with pytest.raises(ValueError, match='logits must be flat'):
        segmented_pair_term_sums(logits[None], index, index, None, (2, ))
