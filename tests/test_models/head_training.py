"""A model's losses on a batch, a few training steps, and the check that
ground-truth masks change no loss, for the model and config tests."""
import copy
import math

import torch
from mmdet.structures import TrackDataSample


def losses_of(model, data, seed=0):
    """The model's losses on ``data`` (a collated batch), preprocessed for
    training, with torch seeded first."""
    torch.manual_seed(seed)
    processed = model.data_preprocessor(copy.deepcopy(data), training=True)
    return model(**processed, mode='loss')


def train_steps(model, data, steps=12, lr=1e-3):
    """Train ``model`` on ``data`` with AdamW, ``steps`` steps (step s
    seeded with s); every loss must be finite.

    Returns:
        tuple[dict, list[float]]: the last step's losses, and the total
        loss of every step.
    """
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr)
    totals = []
    for step in range(steps):
        losses = losses_of(model, data, seed=step)
        assert all(math.isfinite(value.item()) for value in losses.values())
        total = sum(losses.values())
        optimizer.zero_grad()
        total.backward()
        optimizer.step()
        totals.append(total.item())
    return losses, totals


def with_scrambled_masks(data):
    """A deep copy of ``data`` (a collated batch of images or clips) with
    every ground-truth mask flipped left-right and inverted."""
    scrambled = copy.deepcopy(data)
    for sample in scrambled['data_samples']:
        frames = sample if isinstance(sample, TrackDataSample) else [sample]
        for frame in frames:
            masks = frame.gt_instances.masks
            masks.masks = 1 - masks.masks[:, ::-1]
    return scrambled


def assert_masks_change_no_loss(model, data):
    """The model's losses on ``data``, whose ground truth has masks, equal
    those with the masks scrambled, term by term (a term of per-level
    values level by level): training reads no mask.

    Returns:
        dict: the losses on ``data``.
    """
    assert all(
        'masks' in frame.gt_instances for sample in data['data_samples']
        for frame in (
            sample if isinstance(sample, TrackDataSample) else [sample]))
    reference = losses_of(model, data)
    for name, value in losses_of(model, with_scrambled_masks(data)).items():
        values, expected = (value, reference[name]) if isinstance(
            value, list) else ([value], [reference[name]])
        assert all(map(torch.equal, values, expected)), name
    return reference
