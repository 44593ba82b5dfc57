"""Deliberately naive references of the three losses, for the tests.

Plain Python loops over pixels and offsets in float64, straight from the
formulation in MASKFREEVIS.md, sharing no code with mmfvis. Small sizes
only.
"""
import math

import numpy as np
import torch


def sigmoid(value):
    return 1.0 / (1.0 + math.exp(-value))


def pair_term(x, y):
    """-log(P(same label)) from its definition (moderate logits only)."""
    p, q = sigmoid(x), sigmoid(y)
    return -math.log(p * q + (1.0 - p) * (1.0 - q))


def _numpy(tensor):
    return tensor.detach().double().cpu().numpy()


def _grid(size, dilation, include_centre):
    radius = size // 2
    return [(dy * dilation, dx * dilation)
            for dy in range(-radius, radius + 1)
            for dx in range(-radius, radius + 1)
            if include_centre or (dy, dx) != (0, 0)]


def _inside(y, x, height, width):
    return 0 <= y < height and 0 <= x < width


def pairwise_parts(mask_logits,
                   images_lab,
                   box_masks,
                   size=3,
                   dilation=2,
                   color_thresh=0.3):
    """(numerator, denominator) of the pairwise affinity loss of one clip."""
    logits, lab, boxes = map(_numpy, (mask_logits, images_lab, box_masks))
    num_instances, num_frames, height, width = logits.shape
    numerator = denominator = 0.0
    for t in range(num_frames):
        for y in range(height):
            for x in range(width):
                for dy, dx in _grid(size, dilation, include_centre=False):
                    qy, qx = y + dy, x + dx
                    inside = _inside(qy, qx, height, width)
                    lab_q = lab[t, :, qy, qx] if inside else np.zeros(3)
                    distance = np.linalg.norm(lab[t, :, y, x] - lab_q)
                    if math.exp(-distance / 2) < color_thresh:
                        continue
                    for n in range(num_instances):
                        weight = boxes[n, t, y, x]
                        denominator += weight
                        if inside and weight:
                            numerator += weight * pair_term(
                                logits[n, t, y, x], logits[n, t, qy, qx])
    return numerator, denominator


def pairwise_loss(*args, **kwargs):
    numerator, denominator = pairwise_parts(*args, **kwargs)
    return numerator / max(denominator, 1.0)


def _patch(frame, y, x, patch_size):
    """Patch values around (y, x), zeros outside the frame."""
    radius = patch_size // 2
    channels, height, width = frame.shape
    values = np.zeros((channels, patch_size, patch_size))
    for i in range(patch_size):
        for j in range(patch_size):
            py, px = y + i - radius, x + j - radius
            if _inside(py, px, height, width):
                values[:, i, j] = frame[:, py, px]
    return values.ravel()


def cyclic_pairs(num_frames):
    if num_frames == 1:
        return []
    if num_frames == 2:
        return [(0, 1)]
    return [(t, (t + 1) % num_frames) for t in range(num_frames)]


def tk_parts(mask_logits,
             images_lab,
             box_masks,
             patch_size=3,
             search_size=3,
             search_dilation=3,
             topk=5,
             sim_thresh=0.05):
    """[(numerator, denominator)] of the TK loss per cyclic frame pair."""
    logits, lab, boxes = map(_numpy, (mask_logits, images_lab, box_masks))
    num_instances, num_frames, height, width = logits.shape
    union = boxes.max(axis=1)
    parts = []
    for a, b in cyclic_pairs(num_frames):
        numerator = denominator = 0.0
        for y in range(height):
            for x in range(width):
                centre_patch = _patch(lab[b], y, x, patch_size)
                candidates = []
                for dy, dx in _grid(search_size, search_dilation, True):
                    qy, qx = y + dy, x + dx
                    inside = _inside(qy, qx, height, width)
                    # An off-frame candidate's patch is all zeros.
                    patch = (
                        _patch(lab[a], qy, qx, patch_size)
                        if inside else np.zeros_like(centre_patch))
                    similarity = math.exp(
                        -np.linalg.norm(centre_patch - patch) / 2)
                    candidates.append((similarity, inside, qy, qx))
                # Stable: ties keep the earlier offset.
                ranked = sorted(candidates, key=lambda item: -item[0])
                for similarity, inside, qy, qx in ranked[:topk]:
                    if similarity < sim_thresh:
                        continue
                    for n in range(num_instances):
                        weight = union[n, y, x]
                        denominator += weight
                        if inside and weight:
                            numerator += weight * pair_term(
                                logits[n, b, y, x], logits[n, a, qy, qx])
        parts.append((numerator, denominator))
    return parts


def tk_loss(*args, **kwargs):
    return sum(numerator / max(denominator, 1.0)
               for numerator, denominator in tk_parts(*args, **kwargs))


def _dice(predicted, target):
    return 1.0 - 2.0 * (predicted * target).sum() / ((predicted**2).sum() +
                                                     (target**2).sum() + 1e-5)


def projection_parts(mask_logits, box_masks):
    """(sum of dice losses, number of masks) of the projection loss."""
    logits, boxes = _numpy(mask_logits), _numpy(box_masks)
    probabilities = 1.0 / (1.0 + np.exp(-logits))
    total, count = 0.0, 0
    for n in range(logits.shape[0]):
        for t in range(logits.shape[1]):
            mask, box = probabilities[n, t], boxes[n, t]
            total += _dice(mask.max(axis=0), box.max(axis=0))
            total += _dice(mask.max(axis=1), box.max(axis=1))
            count += 1
    return total, count


def projection_loss(mask_logits, box_masks):
    total, count = projection_parts(mask_logits, box_masks)
    return total / max(count, 1)


def as_tensor(value):
    return torch.tensor(value, dtype=torch.float64)
