"""Frames to CIE-LAB at mask-logit resolution, on the frames' own device."""
import torch
import torch.nn.functional as F
from kornia.color import rgb_to_lab as kornia_rgb_to_lab
from torch import Tensor

__all__ = ['rgb_to_lab', 'pool_to_logit_resolution', 'lab_at_logit_resolution']


def _check_rgb_shape(images: Tensor, name: str) -> None:
    if images.dim() < 3 or images.shape[-3] != 3:
        raise ValueError(f'{name} must have shape (..., 3, H, W), '
                         f'got {tuple(images.shape)}')


def rgb_to_lab(images: Tensor) -> Tensor:
    """Convert RGB frames to CIE-LAB (D65 white, 2 degree observer).

    Args:
        images (Tensor): (..., 3, H, W) RGB (not BGR) in 0..1. Values
            outside 0..1 (rounding, padding) are clamped.

    Returns:
        Tensor: (..., 3, H, W) float32 (float64 stays float64) LAB with L in
        0..100 and a, b roughly in -128..127, on the input's device.
    """
    _check_rgb_shape(images, 'images')
    dtype = torch.promote_types(images.dtype, torch.float32)
    # kornia's colour matrices go through einsum, which an enclosing
    # autocast region would run in half precision.
    with torch.autocast(images.device.type, enabled=False):
        return kornia_rgb_to_lab(images.to(dtype).clamp(0.0, 1.0))


def pool_to_logit_resolution(images: Tensor, stride: int = 4) -> Tensor:
    """Average-pool frames by ``stride``, the mask-logit stride.

    Args:
        images (Tensor): (..., C, H, W) frames.
        stride (int): pooling window and step in pixels. Default 4.

    Returns:
        Tensor: (..., C, ceil(H / stride), ceil(W / stride)). The size is
        rounded up like a stride-4 backbone feature map; a window that
        overhangs the border averages only the pixels it covers.
    """
    if images.dim() < 3:
        raise ValueError('images must have shape (..., C, H, W), '
                         f'got {tuple(images.shape)}')
    if stride < 1:
        raise ValueError(f'stride must be >= 1, got {stride}')
    leading, (channels, height, width) = images.shape[:-3], images.shape[-3:]
    pooled = F.avg_pool2d(
        images.reshape(-1, channels, height, width),
        kernel_size=stride,
        stride=stride,
        ceil_mode=True)
    return pooled.reshape(*leading, *pooled.shape[-3:])


def lab_at_logit_resolution(images_rgb: Tensor, stride: int = 4) -> Tensor:
    """Pool RGB frames (0..1) to logit resolution, then convert to LAB.

    Args:
        images_rgb (Tensor): (..., 3, H, W) RGB in 0..1.
        stride (int): mask-logit stride. Default 4.

    Returns:
        Tensor: (..., 3, ceil(H / stride), ceil(W / stride)) LAB, L in 0..100.
    """
    _check_rgb_shape(images_rgb, 'images_rgb')
    return rgb_to_lab(pool_to_logit_resolution(images_rgb, stride))
