"""Reference LAB at logit resolution, independent of kornia, and the
normalisation of mmdet's configs."""
import numpy as np

MEAN, STD = [123.675, 116.28, 103.53], [58.395, 57.12, 57.375]


def textbook_lab(rgb):
    """CIE-LAB from sRGB in 0..1 (D65), by the textbook formulas. OpenCV's
    float conversion is approximate (0.3 off), so it is not the reference.
    """
    linear = np.where(rgb > 0.04045, ((rgb + 0.055) / 1.055)**2.4, rgb / 12.92)
    to_xyz = np.array([[0.412453, 0.357580, 0.180423],
                       [0.212671, 0.715160, 0.072169],
                       [0.019334, 0.119193, 0.950227]])
    xyz = linear @ to_xyz.T / np.array([0.950456, 1.0, 1.088754])
    delta = 6 / 29
    f = np.where(xyz > delta**3, np.cbrt(xyz), xyz / (3 * delta**2) + 4 / 29)
    return np.stack([
        116 * f[..., 1] - 16, 500 * (f[..., 0] - f[..., 1]), 200 *
        (f[..., 1] - f[..., 2])
    ],
                    axis=-1)


def reference_lab(frame_bgr, stride):
    """Independent reference: pool the valid area, then convert."""
    rgb = frame_bgr[..., ::-1].astype(np.float64) / 255
    height, width = rgb.shape[:2]
    out_h, out_w = -(-height // stride), -(-width // stride)
    pooled = np.zeros((out_h, out_w, 3))
    for i in range(out_h):
        for j in range(out_w):
            cell = rgb[i * stride:(i + 1) * stride,
                       j * stride:(j + 1) * stride]
            pooled[i, j] = cell.reshape(-1, 3).mean(0)
    return textbook_lab(pooled).transpose(2, 0, 1)
