import pytest
import torch

from mmfvis.models.utils import (lab_at_logit_resolution,
                                 pool_to_logit_resolution, rgb_to_lab)


def test_rgb_to_lab_reference_colours():
    # black, white, sRGB red, green and blue; LAB under D65.
    rgb = torch.tensor([[0.0, 0.0, 0.0], [1.0, 1.0, 1.0], [1.0, 0.0, 0.0],
                        [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]])
    lab = rgb_to_lab(rgb.T[:, :, None]).squeeze(-1).T
    expected = torch.tensor([[0.0, 0.0, 0.0], [100.0, 0.0, 0.0],
                             [53.24, 80.09, 67.20], [87.73, -86.18, 83.18],
                             [32.30, 79.19, -107.86]])
    assert torch.allclose(lab, expected, atol=0.05)


def test_rgb_to_lab_keeps_shape_clamps_and_computes_in_float32():
    rgb = torch.rand(2, 5, 3, 4, 6)
    lab = rgb_to_lab(rgb)
    assert lab.shape == rgb.shape and lab.dtype == torch.float32
    assert torch.equal(
        rgb_to_lab(rgb * 1.5 - 0.25), rgb_to_lab(
            (rgb * 1.5 - 0.25).clamp(0, 1)))
    assert rgb_to_lab(rgb.half()).dtype == torch.float32
    with torch.autocast('cpu', dtype=torch.bfloat16):
        under_autocast = rgb_to_lab(rgb)
    assert torch.allclose(under_autocast, lab, atol=1e-4)
    with pytest.raises(ValueError, match='images'):
        rgb_to_lab(torch.rand(4, 4, 4))


def test_pooling_rounds_the_size_up_and_averages_covered_pixels():
    images = torch.arange(
        2 * 1 * 6 * 5, dtype=torch.float32).reshape(2, 1, 6, 5)
    pooled = pool_to_logit_resolution(images, stride=4)
    assert pooled.shape == (2, 1, 2, 2)
    assert pooled[0, 0, 0, 0] == images[0, 0, :4, :4].mean()
    assert pooled[1, 0, 1, 1] == images[1, 0, 4:, 4:].mean()
    assert pool_to_logit_resolution(torch.rand(3, 2, 3, 8,
                                               12)).shape == (3, 2, 3, 2, 3)
    with pytest.raises(ValueError, match='stride'):
        pool_to_logit_resolution(images, stride=0)


def test_lab_at_logit_resolution_pools_before_converting():
    rgb = torch.rand(4, 3, 10, 13)
    lab = lab_at_logit_resolution(rgb, stride=2)
    assert lab.shape == (4, 3, 5, 7)
    assert torch.allclose(lab, rgb_to_lab(pool_to_logit_resolution(rgb, 2)))
