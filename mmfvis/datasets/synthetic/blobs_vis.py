"""Generated videos of deforming blobs: only colour edges and motion tell
the masks.

Each object is a blob with an outline of its own, a body (a circle bent by
random radial harmonics) with one to four limbs, and that outline changes
from frame to frame (the harmonics drift and pulse, the limbs swing), so
no outline is shared by a class (there is one class, ``blob``): a model
cannot learn the masks as the shapes of its classes from many boxes, as it
can on the shapes videos. About one object in three
takes the colour of the background where it starts; static patches on the
background draw colour edges that belong to no object; objects head for
the middle of the frame, so their paths cross and they occlude each other.
Each object's stripes move with it, as a real object's texture does; the
patches have stripes too, so only motion tells an object from a patch.
"""
import math
from typing import List

import cv2
import numpy as np

from .rendering import (RenderedVideo, StripedObject, background_noise,
                        object_stripes, render_frames)

__all__ = ['BLOB_CLASSES', 'render_blob_video']

BLOB_CLASSES = ('blob', )
# Share of the objects coloured as the background where they start.
CAMOUFLAGE_PROBABILITY = 0.3
# Orders of the radial harmonics and the largest amplitude of each, as a
# fraction of the radius: they sum to 0.83, so the radius stays positive;
# each is drawn in 0.3..1 of its largest, so no blob is a circle.
HARMONIC_ORDERS = np.arange(2, 7)
HARMONIC_SCALES = np.array([0.3, 0.2, 0.15, 0.1, 0.08])
NUM_VERTICES = 64


class _MorphingBlob(StripedObject):
    """A blob's trajectory and outline at every frame.

    Args:
        rng: the video's random generator.
        height, width (int): frame size in pixels.
        background (np.ndarray): (H, W, 3) float RGB background, the source
            of a camouflaged blob's colour.
    """
    label = 0

    def __init__(self, rng: np.random.Generator, height: int, width: int,
                 background: np.ndarray):
        self.height, self.width = height, width
        side = min(height, width)
        self.radius = rng.uniform(0.2, 0.35) * side
        self.center = rng.uniform(0.15, 0.85, 2) * np.array([width, height])
        # towards the middle give or take 60 degrees: paths cross
        to_middle = math.atan2(height / 2 - self.center[1],
                               width / 2 - self.center[0])
        direction = to_middle + rng.uniform(-np.pi / 3, np.pi / 3)
        speed = rng.uniform(0.015, 0.04) * side
        self.velocity = speed * np.array(
            [math.cos(direction), math.sin(direction)])
        self.angle = rng.uniform(0, 2 * np.pi)
        self.spin = rng.uniform(-0.06, 0.06)
        self.body_radius = rng.uniform(0.45, 0.65) * self.radius
        # 1 to 4 limbs that swing to and fro: articulated outlines
        self.limbs = [
            dict(
                angle=rng.uniform(0, 2 * np.pi),
                length=rng.uniform(0.7, 1.3) * self.radius,
                width=rng.uniform(0.3, 0.55) * self.radius,
                swing=rng.uniform(0.2, 0.7),
                speed=rng.uniform(0.2, 0.6),
                phase=rng.uniform(0, 2 * np.pi))
            for _ in range(int(rng.integers(1, 5)))
        ]
        count = len(HARMONIC_ORDERS)
        self.amplitudes = rng.uniform(0.3, 1, count) * HARMONIC_SCALES
        self.phases = rng.uniform(0, 2 * np.pi, count)
        self.phase_speeds = rng.uniform(-0.25, 0.25, count)
        self.pulse_phases = rng.uniform(0, 2 * np.pi, count)
        self.pulse_speeds = rng.uniform(0.1, 0.4, count)
        self.frame = 0
        self.camouflaged = bool(rng.random() < CAMOUFLAGE_PROBABILITY)
        if self.camouflaged:
            self.colour = background[self.mask()].mean(0) + rng.normal(0, 4, 3)
        else:
            self.colour = rng.uniform(20, 235, 3)
        self.stripe_period = rng.uniform(0.5, 1.0) * self.radius
        self.stripe_angle = rng.uniform(0, np.pi)

    def polygons(self) -> List[np.ndarray]:
        """The outlines, (K, 2) in pixels (x, y), of the body and each limb
        at this frame."""
        theta = np.linspace(0, 2 * np.pi, NUM_VERTICES, endpoint=False)
        # each amplitude pulses between 0.2 and 1 of its own maximum
        amplitudes = self.amplitudes * (
            0.6 +
            0.4 * np.sin(self.pulse_phases + self.pulse_speeds * self.frame))
        phases = self.phases + self.phase_speeds * self.frame
        bend = amplitudes[:, None] * np.cos(HARMONIC_ORDERS[:, None] * theta +
                                            phases[:, None])
        radii = self.body_radius * (1 + bend.sum(0))
        outlines = [self._points(radii, theta + self.angle)]
        for limb in self.limbs:
            swing = limb['swing'] * np.sin(limb['phase'] +
                                           limb['speed'] * self.frame)
            outlines.append(
                self._limb(self.angle + limb['angle'] + swing, limb['length'],
                           limb['width']))
        return outlines

    def _points(self, radii: np.ndarray, angles: np.ndarray) -> np.ndarray:
        return np.stack([
            self.center[0] + radii * np.cos(angles),
            self.center[1] + radii * np.sin(angles)
        ],
                        axis=1)

    def _limb(self, angle: float, length: float, width: float) -> np.ndarray:
        """(K, 2) outline of an arm from the centre, ``length`` pixels long
        and ``width`` wide, pointing at ``angle``: a stadium (half circles
        around both ends, joined by straight sides)."""
        half = np.linspace(-np.pi / 2, np.pi / 2, NUM_VERTICES // 4)
        radius = width / 2
        far_end = np.stack(
            [length + radius * np.cos(half), radius * np.sin(half)], 1)
        near_end = np.stack([-radius * np.cos(half), -radius * np.sin(half)],
                            1)
        rotation = np.array([[math.cos(angle), -math.sin(angle)],
                             [math.sin(angle),
                              math.cos(angle)]])
        return self.center + np.concatenate([far_end, near_end]) @ rotation.T

    def step(self) -> None:
        """Advance one frame."""
        self.move()
        self.angle += self.spin
        self.frame += 1


def _patched_background(rng: np.random.Generator, height: int,
                        width: int) -> np.ndarray:
    """(H, W, 3) float RGB: noisy gradient with 2 to 4 static striped
    ellipses, colour edges and stripes that belong to no object (so that
    neither tells an object; its motion does)."""
    image = background_noise(rng, height, width)
    side = min(height, width)
    for _ in range(int(rng.integers(2, 5))):
        patch = np.zeros((height, width), np.uint8)
        center = (int(rng.uniform(0, width)), int(rng.uniform(0, height)))
        axes = (int(rng.uniform(0.1, 0.35) * side),
                int(rng.uniform(0.1, 0.35) * side))
        cv2.ellipse(patch, center, axes, rng.uniform(0, 180), 0, 360, 1, -1)
        stripes = object_stripes(height, width, center, rng.uniform(0, np.pi),
                                 rng.uniform(0.5, 1.0) * max(axes))
        inside = patch.astype(bool)
        image[inside] += rng.uniform(-60, 60, 3) + 8.0 * stripes[inside, None]
    return image


def render_blob_video(rng: np.random.Generator, num_frames: int, height: int,
                      width: int, max_objects: int) -> RenderedVideo:
    """Draw one video of 1 to ``max_objects`` deforming blobs; the objects
    tell whether they are ``camouflaged``."""
    background = _patched_background(rng, height, width)
    blobs = [
        _MorphingBlob(rng, height, width, background)
        for _ in range(int(rng.integers(1, max_objects + 1)))
    ]
    return render_frames(background, blobs, num_frames)
