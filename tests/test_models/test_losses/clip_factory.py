"""Small random clips whose similarities straddle the loss thresholds."""
import torch


def random_lab(num_frames,
               height,
               width,
               *,
               generator,
               dark=False,
               noise=0.8,
               dtype=torch.float64):
    """(T, 3, h, w) LAB frames: colour regions plus per-frame noise.

    ``noise`` 0.8 puts neighbour colour distances near the pairwise
    threshold (2 ln(1/0.3) = 2.4) and 27-value patch distances near the TK
    one (2 ln 20 = 6). ``dark`` frames sit near LAB 0, like the zero
    padding, so off-frame partners pass the thresholds too.
    """
    base = torch.zeros(3, height, width, dtype=dtype)
    if not dark:
        base += torch.tensor([55.0, 8.0, -12.0], dtype=dtype)[:, None, None]
        base[0, :, width // 2:] += 6.0
        base[1, height // 2:] -= 4.0
    noise_frames = torch.randn(
        num_frames, 3, height, width, generator=generator, dtype=dtype)
    return base + noise * noise_frames


def _randint(low, high, generator):
    return int(torch.randint(low, high, (1, ), generator=generator))


def random_boxes(num_instances,
                 num_frames,
                 height,
                 width,
                 *,
                 generator,
                 dtype=torch.float64):
    """(N, T, h, w) 0/1 box masks.

    Instance 0 touches the top-left corner, instance 1 the bottom-right
    one; the last instance is absent (empty box) from frame 0 when T > 1.
    """
    boxes = torch.zeros(num_instances, num_frames, height, width, dtype=dtype)
    for n in range(num_instances):
        for t in range(num_frames):
            y0 = _randint(0, height // 2, generator)
            x0 = _randint(0, width // 2, generator)
            y1 = _randint(y0 + 1, height + 1, generator)
            x1 = _randint(x0 + 1, width + 1, generator)
            if n == 0:
                y0, x0 = 0, 0
            if n == 1:
                y1, x1 = height, width
            boxes[n, t, y0:y1, x0:x1] = 1.0
    if num_frames > 1:
        boxes[-1, 0] = 0.0
    return boxes


def random_clip(num_instances,
                num_frames,
                height,
                width,
                *,
                seed,
                dark=False,
                dtype=torch.float64,
                logit_scale=3.0):
    """Logits (N, T, h, w), LAB (T, 3, h, w) and box masks (N, T, h, w)."""
    generator = torch.Generator().manual_seed(seed)
    images_lab = random_lab(
        num_frames, height, width, generator=generator, dark=dark, dtype=dtype)
    shape = (num_instances, num_frames, height, width)
    box_masks = random_boxes(*shape, generator=generator, dtype=dtype)
    mask_logits = logit_scale * torch.randn(
        shape, generator=generator, dtype=dtype)
    return mask_logits, images_lab, box_masks
