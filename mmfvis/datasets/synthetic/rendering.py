"""What the generated videos share: backgrounds, textures, the rendered
video."""
import math
from typing import List, NamedTuple, Tuple

import cv2
import numpy as np

__all__ = [
    'RenderedVideo', 'background_noise', 'object_stripes', 'render_frames'
]


def object_stripes(height: int, width: int, center: Tuple[float, float],
                   angle: float, period: float) -> np.ndarray:
    """(H, W) in -1..1: stripes fixed to an object's own frame of reference,
    so the texture moves with the object."""
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float32)
    along = (xs - center[0]) * math.cos(angle) + \
        (ys - center[1]) * math.sin(angle)
    return np.sin(2 * np.pi * along / period)


def background_noise(rng: np.random.Generator, height: int,
                     width: int) -> np.ndarray:
    """(H, W, 3) float RGB: a muted gradient with blurred noise on top."""
    low, high = rng.uniform(40, 120, 3), rng.uniform(60, 150, 3)
    ramp = np.linspace(0, 1, width, dtype=np.float32)[None, :, None]
    image = low + (high - low) * ramp * np.ones((height, 1, 1), np.float32)
    noise = rng.normal(0, 12, (height, width, 3)).astype(np.float32)
    noise = cv2.GaussianBlur(noise, (0, 0), sigmaX=3.0)
    return image + noise


class RenderedVideo(NamedTuple):
    """A drawn video, before it is written.

    Attributes:
        frames (list[np.ndarray]): T (H, W, 3) uint8 RGB frames.
        objects (list): the N objects, each with ``label`` (class index),
            ``height`` and ``width``.
        full_masks (list[list[np.ndarray]]): per frame, per object, the
            (H, W) bool mask before occlusion (later objects are in front).
    """
    frames: List[np.ndarray]
    objects: list
    full_masks: List[List[np.ndarray]]


def render_frames(background: np.ndarray, objects: list,
                  num_frames: int) -> RenderedVideo:
    """Paint ``objects`` over a (H, W, 3) float ``background`` in
    ``num_frames`` frames, later objects in front.

    Each object gives ``mask()`` ((H, W) bool) and ``texture()`` ((H, W, 3)
    float) in its current pose, and ``step()`` moves it to the next frame.
    """
    frames, full_masks = [], []
    for _ in range(num_frames):
        image = background.copy()
        masks = [obj.mask() for obj in objects]
        for obj, mask in zip(objects, masks):
            image[mask] = obj.texture()[mask]
        frames.append(np.clip(image, 0, 255).astype(np.uint8))
        full_masks.append(masks)
        for obj in objects:
            obj.step()
    return RenderedVideo(frames, objects, full_masks)
