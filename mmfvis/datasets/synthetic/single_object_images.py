"""Generated images of one object each, with its mask and box: the clean
settings in which a mask loss is tested apart from detection.

Two sources. :func:`render_blob_images` draws one random blob (a circle
bent by radial harmonics) of a flat colour plus noise on a noisy colour
gradient, optionally cut in two colours by a line through its centre (a
colour edge inside the object, as a rider on a horse). :func:`crop_blob_videos`
cuts frames of the generated blobs videos to one object's surroundings:
textures, static striped patches that belong to no object, other blobs
that occlude it, camouflaged colours.
"""
from typing import NamedTuple

import cv2
import numpy as np

from .blobs_vis import render_blob_video
from .rendering import background_noise

__all__ = ['ObjectImages', 'render_blob_images', 'crop_blob_videos']

HARMONIC_ORDERS = np.arange(2, 6)
# largest amplitude of each harmonic, a fraction of the radius (sum 0.6)
HARMONIC_SCALES = np.array([0.25, 0.15, 0.12, 0.08])
NUM_VERTICES = 64
# an object's colour stays this far (RGB L2) from the background under it
MIN_CONTRAST = 60.0
# pixel noise of the object's flat colour (RGB standard deviation)
OBJECT_NOISE = 6.0
# a crop is the object's box grown by this fraction of its side each way
CROP_MARGIN = 0.3


class ObjectImages(NamedTuple):
    """Images of one object each.

    Attributes:
        images (np.ndarray): (N, S, S, 3) uint8 RGB.
        masks (np.ndarray): (N, S, S) bool, the object's visible pixels.
        boxes (np.ndarray): (N, 4) float32 tight boxes of the masks,
            (x1, y1, x2, y2) in pixels, x2 and y2 exclusive.
    """
    images: np.ndarray
    masks: np.ndarray
    boxes: np.ndarray


def tight_box(mask: np.ndarray) -> np.ndarray:
    """(4,) float32 (x1, y1, x2, y2) of a non-empty (H, W) bool mask,
    x2 and y2 one past the last pixel."""
    ys, xs = np.nonzero(mask)
    return np.array(
        [xs.min(), ys.min(), xs.max() + 1,
         ys.max() + 1], np.float32)


def _blob_mask(rng: np.random.Generator, size: int) -> np.ndarray:
    """(S, S) bool: a circle of radius 0.2..0.35 S bent by harmonics."""
    radius = rng.uniform(0.2, 0.35) * size
    centre = rng.uniform(0.35, 0.65, 2) * size
    theta = np.linspace(0, 2 * np.pi, NUM_VERTICES, endpoint=False)
    amplitudes = rng.uniform(0.3, 1, len(HARMONIC_ORDERS)) * HARMONIC_SCALES
    phases = rng.uniform(0, 2 * np.pi, len(HARMONIC_ORDERS))
    bend = amplitudes[:, None] * np.cos(HARMONIC_ORDERS[:, None] * theta +
                                        phases[:, None])
    radii = radius * (1 + bend.sum(0))
    outline = np.stack(
        [centre[0] + radii * np.cos(theta), centre[1] + radii * np.sin(theta)],
        1)
    mask = np.zeros((size, size), np.uint8)
    cv2.fillPoly(mask, [np.round(outline).astype(np.int32)], 1)
    return mask.astype(bool)


def _contrasting_colour(rng: np.random.Generator, *others:
                        np.ndarray) -> np.ndarray:
    """(3,) RGB at least ``MIN_CONTRAST`` from each of the colours
    ``others``."""
    while True:
        colour = rng.uniform(20, 235, 3)
        if all(
                np.linalg.norm(colour - other) >= MIN_CONTRAST
                for other in others):
            return colour


def _render_blob_image(rng: np.random.Generator, size: int,
                       two_coloured: bool):
    """One (S, S, 3) uint8 image and its (S, S) bool mask."""
    image = background_noise(rng, size, size)
    mask = _blob_mask(rng, size)
    under = image[mask].mean(0)
    colours = np.empty((size, size, 3), np.float32)
    colours[:] = _contrasting_colour(rng, under)
    if two_coloured:
        # a line through the blob's centre splits it in two colours
        ys, xs = np.nonzero(mask)
        angle = rng.uniform(0, np.pi)
        grid_y, grid_x = np.mgrid[0:size, 0:size]
        side = ((grid_x - xs.mean()) * np.cos(angle) +
                (grid_y - ys.mean()) * np.sin(angle)) > 0
        colours[side] = _contrasting_colour(rng, colours[0, 0], under)
    noise = rng.normal(0, OBJECT_NOISE, (size, size, 3))
    image[mask] = (colours + noise)[mask]
    return np.clip(image, 0, 255).astype(np.uint8), mask


def render_blob_images(seed: int,
                       count: int,
                       size: int = 64,
                       two_coloured: bool = False) -> ObjectImages:
    """Draw ``count`` images of one blob each.

    Args:
        seed (int): seed of the generator; the same seed gives the same
            images.
        count (int): number of images N.
        size (int): side S of the square images in pixels. Default 64.
        two_coloured (bool): split each blob in two colours by a random
            line through its centre. Default False.

    Returns:
        ObjectImages: N images, masks and boxes.
    """
    rng = np.random.default_rng(seed)
    drawn = [_render_blob_image(rng, size, two_coloured) for _ in range(count)]
    images = np.stack([image for image, _ in drawn])
    masks = np.stack([mask for _, mask in drawn])
    boxes = np.stack([tight_box(mask) for mask in masks])
    return ObjectImages(images, masks, boxes)


def _visible_masks(full_masks):
    """Per object, its (H, W) mask minus the objects drawn after it."""
    visible, in_front = [], np.zeros_like(full_masks[0])
    for mask in reversed(full_masks):
        visible.append(mask & ~in_front)
        in_front = in_front | mask
    return visible[::-1]


def _square_crop(box: np.ndarray, height: int, width: int):
    """(x1, y1, x2, y2) int: a square around ``box`` grown by
    ``CROP_MARGIN`` each way, shifted (and if need be cut) to fit."""
    side = (1 + 2 * CROP_MARGIN) * max(box[2] - box[0], box[3] - box[1])
    side = int(min(np.ceil(side), height, width))
    centre_x, centre_y = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    x1 = int(np.clip(round(centre_x - side / 2), 0, width - side))
    y1 = int(np.clip(round(centre_y - side / 2), 0, height - side))
    return x1, y1, x1 + side, y1 + side


def _crop_one(rng: np.random.Generator, size: int, frame_size: tuple,
              min_visible: float, camouflaged_targets: bool):
    """One crop of a random visible object of a new blobs video: (S, S, 3)
    uint8 image and (S, S) bool mask, or None when no object shows
    ``min_visible`` of its pixels (or, without ``camouflaged_targets``, no
    such object has a colour of its own)."""
    height, width = frame_size
    video = render_blob_video(
        rng, num_frames=1, height=height, width=width, max_objects=3)
    full = video.full_masks[0]
    visible = _visible_masks(full)
    shown = [
        index for index, (mask, whole) in enumerate(zip(visible, full))
        if mask.sum() >= max(min_visible * whole.sum(), 16) and (
            camouflaged_targets or not video.objects[index].camouflaged)
    ]
    if not shown:
        return None
    index = shown[int(rng.integers(len(shown)))]
    x1, y1, x2, y2 = _square_crop(tight_box(visible[index]), height, width)
    image = cv2.resize(
        video.frames[0][y1:y2, x1:x2], (size, size),
        interpolation=cv2.INTER_AREA)
    mask = cv2.resize(
        visible[index][y1:y2, x1:x2].astype(np.uint8), (size, size),
        interpolation=cv2.INTER_NEAREST).astype(bool)
    return (image, mask) if mask.any() else None


def crop_blob_videos(seed: int,
                     count: int,
                     size: int = 64,
                     frame_size: tuple = (120, 160),
                     min_visible: float = 0.5,
                     camouflaged_targets: bool = True) -> ObjectImages:
    """Cut frames of new blobs videos to one object's surroundings.

    Each image is a square around one visible blob of a freshly drawn
    frame (its box grown by ``CROP_MARGIN`` each way), resized to
    ``size``; its mask is the blob's visible part, occluders removed, and
    other blobs, striped patches and camouflage stay in the picture.

    Args:
        seed (int): seed of the generator.
        count (int): number of images N.
        size (int): side S of the crops in pixels. Default 64.
        frame_size (tuple[int, int]): (H, W) of the drawn frames; the blobs
            benchmark's videos are 120 x 160. Default (120, 160).
        min_visible (float): least visible share of an object's pixels to be
            cropped (heavily occluded objects are skipped). Default 0.5.
        camouflaged_targets (bool): whether an object coloured as the
            background where it starts may be the one cropped; when False
            such objects appear only around another. Default True.

    Returns:
        ObjectImages: N crops, their masks and boxes.
    """
    rng = np.random.default_rng(seed)
    crops = []
    while len(crops) < count:
        crop = _crop_one(rng, size, frame_size, min_visible,
                         camouflaged_targets)
        if crop is not None:
            crops.append(crop)
    images = np.stack([image for image, _ in crops])
    masks = np.stack([mask for _, mask in crops])
    boxes = np.stack([tight_box(mask) for mask in masks])
    return ObjectImages(images, masks, boxes)
