"""What the generated videos share: backgrounds, textures, the rendered
video."""
import math
from typing import List, NamedTuple, Tuple

import cv2
import numpy as np

__all__ = [
    'RenderedVideo', 'StripedObject', 'background_noise', 'object_stripes',
    'render_frames'
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


class StripedObject:
    """What a generated object does in every frame: fill its outlines, wear
    its colour with stripes fixed to it, move and bounce off the borders.

    A subclass sets ``height``, ``width`` (frame size in pixels),
    ``center`` and ``velocity`` ((2,) x, y in pixels, pixels a frame),
    ``angle`` (radians), ``colour`` ((3,) float RGB), ``stripe_angle``
    (radians) and ``stripe_period`` (pixels), and gives :meth:`polygons`.
    """
    stripe_contrast = 8.0  # RGB levels from the colour to a stripe's crest

    def polygons(self) -> List[np.ndarray]:
        """The outlines, (K, 2) in pixels (x, y), in the current frame."""
        raise NotImplementedError

    def mask(self) -> np.ndarray:
        """(H, W) bool, the whole object (before occlusion)."""
        mask = np.zeros((self.height, self.width), np.uint8)
        for outline in self.polygons():
            cv2.fillPoly(mask, [np.round(outline).astype(np.int32)], 1)
        return mask.astype(bool)

    def texture(self) -> np.ndarray:
        """(H, W, 3) float RGB: the object's colour and its own stripes."""
        stripes = object_stripes(self.height, self.width, self.center,
                                 self.angle + self.stripe_angle,
                                 self.stripe_period)
        return self.colour + self.stripe_contrast * stripes[..., None]

    def move(self) -> None:
        """Advance the centre one frame; bounce off the frame's borders."""
        self.center = self.center + self.velocity
        limits = np.array([self.width, self.height])
        for axis in range(2):
            if not 0 <= self.center[axis] <= limits[axis]:
                self.velocity[axis] *= -1
                self.center[axis] = np.clip(self.center[axis], 0, limits[axis])


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
