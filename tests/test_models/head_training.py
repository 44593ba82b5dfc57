"""A model's losses on a batch, and a few training steps, for the head
tests."""
import copy
import math

import torch


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
