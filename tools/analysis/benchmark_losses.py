"""Benchmark mmfvis's mask losses against a dense unfold-based version.

Both variants compute the same three losses (box projection, pairwise
affinity, TK) for every decoder layer of one clip, sum them and run one
backward pass, as a training step does. The dense variant is written in the
style of the published code: it recomputes the image terms for every layer,
unfolds (N, K, h, w) tensors for each frame pair, and autograd keeps all the
intermediates of all the layers until backward. mmfvis precomputes the pairs
once per clip and its pair term saves only its inputs.

Each measurement runs in a fresh subprocess (``docs/benchmarks/methods.md``):
peak memory is the peak resident set size (VmHWM, reset through
/proc/self/clear_refs once the inputs exist) minus the resident size at that
moment, or, with ``--device cuda``, ``torch.cuda.max_memory_allocated``
minus the memory allocated by the inputs.

Example::

    PYTHONPATH=. python tools/analysis/benchmark_losses.py   # ~4 minutes
    PYTHONPATH=. python tools/analysis/benchmark_losses.py --no-scans
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from typing import Dict, List, Optional

import torch
import torch.nn.functional as F

from mmfvis.models.losses import (box_projection_loss, pairwise_affinity_pairs,
                                  temporal_knn_patch_pairs)

# glibc returns blocks of 64 KiB and more to the system as soon as they are
# freed, so the resident size follows the live memory of both variants alike
# (its default threshold adapts to the allocation pattern).
MALLOC_ENV = {'MALLOC_MMAP_THRESHOLD_': '65536'}
LOSS_NAMES = ('projection', 'pairwise', 'tk')


@dataclass
class Config:
    """One benchmark point: a clip and the number of decoder layers."""
    num_instances: int = 10
    num_frames: int = 5
    height: int = 90
    width: int = 160
    num_layers: int = 10
    whole_frame_boxes: bool = False
    seed: int = 0

    @property
    def label(self) -> str:
        boxes = ', whole-frame boxes' if self.whole_frame_boxes else ''
        return (f'N={self.num_instances} T={self.num_frames} '
                f'{self.height}x{self.width} L={self.num_layers}{boxes}')


# ----------------------------------------------------------------- inputs
def make_clip(config: Config, device: torch.device):
    """A synthetic clip like a real one at logit resolution.

    Returns:
        tuple: ``images_lab`` (T, 3, h, w), a smooth scene moving 1 px per
        frame plus sensor noise, so that many TK candidates and neighbours
        pass their thresholds (the costly case for a sparse method);
        ``box_masks`` (N, T, h, w), see :func:`_box_masks`; and
        ``layer_logits``, one (N, T, h, w) leaf tensor per decoder layer.
    """
    generator = torch.Generator().manual_seed(config.seed)
    frames, height, width = config.num_frames, config.height, config.width
    coarse = torch.randn(1, 3, 8, 12, generator=generator)
    coarse = coarse * torch.tensor([15.0, 10.0, 10.0]).view(1, 3, 1, 1)
    scene = F.interpolate(
        coarse, (height, width + frames), mode='bicubic',
        align_corners=False)[0]
    scene += torch.tensor([55.0, 0.0, 0.0]).view(3, 1, 1)
    images_lab = torch.stack([scene[:, :, t:t + width] for t in range(frames)])
    images_lab += 0.3 * torch.randn(images_lab.shape, generator=generator)
    box_masks = _box_masks(config, generator)
    layer_logits = [
        3.0 * torch.randn(
            config.num_instances, frames, height, width, generator=generator)
        for _ in range(config.num_layers)
    ]
    return (images_lab.to(device), box_masks.to(device),
            [logits.to(device).requires_grad_() for logits in layer_logits])


def _box_masks(config: Config, generator: torch.Generator) -> torch.Tensor:
    """(N, T, h, w) boxes of 1/5 to 1/2 of each side drifting 1 px per
    frame, or whole-frame boxes (the worst case for mmfvis)."""
    frames, height, width = config.num_frames, config.height, config.width
    if config.whole_frame_boxes:
        return torch.ones(config.num_instances, frames, height, width)
    box_masks = torch.zeros(config.num_instances, frames, height, width)

    def draw(low: int, high: int) -> int:
        return int(torch.randint(low, high, (1, ), generator=generator))

    for instance in range(config.num_instances):
        box_height = draw(height // 5, height // 2)
        box_width = draw(width // 5, width // 2)
        top = draw(0, height - box_height)
        left = draw(0, width - box_width - frames)
        for t in range(frames):
            box_masks[instance, t, top:top + box_height,
                      left + t:left + t + box_width] = 1.0
    return box_masks


# ----------------------------------------------------- dense formulation
def _unfold(images: torch.Tensor, size: int, dilation: int,
            with_centre: bool) -> torch.Tensor:
    """(B, C, h, w) -> (B, C, K, h, w) neighbours, zero padded."""
    batch, channels, height, width = images.shape
    unfolded = F.unfold(
        images, size, dilation=dilation, padding=dilation * (size // 2))
    unfolded = unfolded.reshape(batch, channels, size * size, height, width)
    if with_centre:
        return unfolded
    centre = size * size // 2
    return torch.cat([unfolded[:, :, :centre], unfolded[:, :, centre + 1:]],
                     dim=2)


def _dense_pair_term(centre_logits, partner_logits, size, dilation,
                     with_centre):
    """(B, 1, h, w) logits -> (B, K, h, w) -log P(same label).

    Log-probabilities are unfolded with zero padding, i.e. probability 1 for
    both labels off the frame, which makes off-frame pairs cost 0.
    """
    log_fg = F.logsigmoid(centre_logits)[:, :, None]
    log_bg = F.logsigmoid(-centre_logits)[:, :, None]
    partner_fg = _unfold(
        F.logsigmoid(partner_logits), size, dilation, with_centre)
    partner_bg = _unfold(
        F.logsigmoid(-partner_logits), size, dilation, with_centre)
    same_fg = log_fg + partner_fg
    same_bg = log_bg + partner_bg
    top = torch.maximum(same_fg, same_bg)
    log_same = torch.log(torch.exp(same_fg - top) +
                         torch.exp(same_bg - top)) + top
    return -log_same[:, 0]


def dense_projection(logits, box_masks):
    scores = torch.sigmoid(logits)

    def dice(predicted, target):
        return 1 - 2 * (predicted * target).sum(-1) / (
            predicted.square().sum(-1) + target.square().sum(-1) + 1e-5)

    losses = (
        dice(scores.amax(-2), box_masks.amax(-2)) +
        dice(scores.amax(-1), box_masks.amax(-1)))
    return losses.mean()


def dense_pairwise(logits, images_lab, box_masks):
    num_instances, num_frames, height, width = logits.shape
    neighbours = _unfold(images_lab, 3, 2, with_centre=False)
    similarity = torch.exp(
        -torch.norm(images_lab[:, :, None] - neighbours, dim=1) / 2)
    terms = _dense_pair_term(
        logits.reshape(-1, 1, height, width),
        logits.reshape(-1, 1, height, width),
        3,
        2,
        with_centre=False)
    terms = terms.reshape(num_instances, num_frames, -1, height, width)
    weights = (similarity >= 0.3).float()[None] * box_masks[:, :, None]
    return (terms * weights).sum() / weights.sum().clamp(min=1.0)


def dense_tk(logits, images_lab, box_masks):
    num_frames = logits.shape[1]
    if num_frames < 2:
        return logits.sum() * 0
    pairs = [(t, t + 1) for t in range(num_frames - 1)]
    if num_frames > 2:
        pairs.append((num_frames - 1, 0))
    patches = _unfold(images_lab, 3, 1, with_centre=True).flatten(1, 2)
    union = box_masks.amax(1, keepdim=True)
    loss = 0
    for a, b in pairs:
        candidates = _unfold(patches[a:a + 1], 3, 3, with_centre=True)
        similarity = torch.exp(
            -torch.norm(patches[b:b + 1, :, None] - candidates, dim=1) / 2)
        top_values, top_indices = similarity.topk(5, dim=1)
        top_similarity = torch.zeros_like(similarity).scatter(
            1, top_indices, top_values)
        terms = _dense_pair_term(
            logits[:, b:b + 1], logits[:, a:a + 1], 3, 3, with_centre=True)
        weights = (top_similarity >= 0.05).float() * union
        loss = loss + (terms * weights).sum() / weights.sum().clamp(min=1.0)
    return loss


def run_dense(images_lab, box_masks, layer_logits) -> Dict[str, torch.Tensor]:
    totals = {name: 0 for name in LOSS_NAMES}
    for logits in layer_logits:
        totals['projection'] += dense_projection(logits, box_masks)
        totals['pairwise'] += dense_pairwise(logits, images_lab, box_masks)
        totals['tk'] += dense_tk(logits, images_lab, box_masks)
    return totals


# ------------------------------------------------------------ mmfvis
def run_mmfvis(images_lab, box_masks, layer_logits) -> Dict[str, torch.Tensor]:
    pairwise_pairs = pairwise_affinity_pairs(images_lab, box_masks)
    tk_pairs = temporal_knn_patch_pairs(images_lab, box_masks)
    totals = {name: 0 for name in LOSS_NAMES}
    for logits in layer_logits:
        totals['projection'] += box_projection_loss(logits, box_masks)
        totals['pairwise'] += pairwise_pairs.loss(logits)
        totals['tk'] += tk_pairs.loss(logits)
    return totals


VARIANTS = {'mmfvis': run_mmfvis, 'dense': run_dense}


# ------------------------------------------------------------ worker
class MemoryMeter:
    """Peak memory of a block, above what is allocated when it starts."""

    def __init__(self, device: torch.device) -> None:
        self.device = device
        self.exact_reset = True

    @staticmethod
    def _status_kib(field: str) -> int:
        with open('/proc/self/status') as status:
            for line in status:
                if line.startswith(field + ':'):
                    return int(line.split()[1])
        raise RuntimeError(f'{field} missing from /proc/self/status')

    def start(self) -> None:
        if self.device.type == 'cuda':
            torch.cuda.synchronize()
            torch.cuda.reset_peak_memory_stats()
            self.baseline = torch.cuda.memory_allocated()
            return
        try:
            # "5" resets the peak resident set size (Linux >= 4.0).
            with open('/proc/self/clear_refs', 'w') as clear_refs:
                clear_refs.write('5')
        except OSError:
            self.exact_reset = False
        self.baseline = self._status_kib('VmRSS') * 1024

    def peak_bytes(self) -> int:
        if self.device.type == 'cuda':
            torch.cuda.synchronize()
            return torch.cuda.max_memory_allocated() - self.baseline
        return self._status_kib('VmHWM') * 1024 - self.baseline


def _synchronize(device: torch.device) -> None:
    if device.type == 'cuda':
        torch.cuda.synchronize()


def _train_step(variant, images_lab, box_masks, layer_logits):
    for logits in layer_logits:
        logits.grad = None
    totals = VARIANTS[variant](images_lab, box_masks, layer_logits)
    sum(totals.values()).backward()
    return totals


def _warm_up(variant: str, config: Config, device: torch.device) -> None:
    """Run the variant once on a tiny clip.

    This loads the code pages of the kernels used and starts the thread
    pools, so that the measurement sees the memory and time of the data.
    """
    tiny = Config(
        num_instances=1,
        num_frames=config.num_frames,
        height=16,
        width=16,
        num_layers=1)
    _train_step(variant, *make_clip(tiny, device))
    _synchronize(device)


def measure_memory(variant: str, config: Config, device: torch.device,
                   grad_path: Optional[str]) -> dict:
    """Peak memory of one training step above the inputs, and its values."""
    _warm_up(variant, config, device)
    images_lab, box_masks, layer_logits = make_clip(config, device)
    meter = MemoryMeter(device)
    meter.start()
    totals = _train_step(variant, images_lab, box_masks, layer_logits)
    peak = meter.peak_bytes()
    if grad_path:
        torch.save([logits.grad.cpu() for logits in layer_logits], grad_path)
    return dict(
        peak_bytes=peak,
        exact_peak_reset=meter.exact_reset,
        values={
            name: float(value.detach())
            for name, value in totals.items()
        })


def measure_time(variant: str, config: Config, device: torch.device,
                 repeats: int) -> dict:
    """Median seconds of a training step, after one untimed step."""
    _warm_up(variant, config, device)
    images_lab, box_masks, layer_logits = make_clip(config, device)
    seconds = []
    for _ in range(repeats + 1):
        started = time.perf_counter()
        _train_step(variant, images_lab, box_masks, layer_logits)
        _synchronize(device)
        seconds.append(time.perf_counter() - started)
    return dict(seconds=sorted(seconds[1:])[(repeats - 1) // 2])


# ------------------------------------------------------------ parent
def run_worker(measurement: str,
               variant: str,
               config: Config,
               args,
               repeats: int,
               grad_path: Optional[str] = None) -> dict:
    """Run one measurement in a fresh process and return its result."""
    command = [
        sys.executable, __file__, '--worker', measurement, '--variant',
        variant, '--device', args.device, '--threads',
        str(args.threads), '--repeats',
        str(repeats), '--config',
        json.dumps(asdict(config))
    ]
    if grad_path:
        command += ['--grad-path', grad_path]
    env = dict(os.environ)
    if measurement == 'memory':
        env.update(MALLOC_ENV)
    result = subprocess.run(command, capture_output=True, text=True, env=env)
    if result.returncode != 0:
        raise RuntimeError(f'{measurement} of {variant} {config.label} '
                           f'failed:\n{result.stderr}')
    return json.loads(result.stdout.strip().splitlines()[-1])


def relative_difference(value: float, reference: float) -> float:
    return abs(value - reference) / max(abs(reference), 1e-12)


def compare(config: Config, args, step: str, repeats: int,
            check_grads: bool) -> dict:
    """Measure both variants on ``config``, one after the other."""
    with tempfile.TemporaryDirectory() as folder:
        results = {}
        for variant in VARIANTS:
            print(
                f'{step} {variant:6s} {config.label} ...',
                end=' ',
                file=sys.stderr,
                flush=True)
            started = time.perf_counter()
            grad_path = (
                os.path.join(folder, f'{variant}.pt') if check_grads else None)
            memory = run_worker('memory', variant, config, args, repeats,
                                grad_path)
            timing = run_worker('time', variant, config, args, repeats)
            results[variant] = dict(memory, **timing, grad_path=grad_path)
            print(
                f'{time.perf_counter() - started:.0f} s',
                file=sys.stderr,
                flush=True)
        value_error = max(
            relative_difference(results['mmfvis']['values'][name],
                                results['dense']['values'][name])
            for name in LOSS_NAMES)
        grad_error = None
        if check_grads:
            ours = torch.load(results['mmfvis']['grad_path'])
            theirs = torch.load(results['dense']['grad_path'])
            grad_error = max(
                float((mine - dense).norm() / dense.norm().clamp(min=1e-12))
                for mine, dense in zip(ours, theirs))
    return dict(
        config=config,
        mmfvis=results['mmfvis'],
        dense=results['dense'],
        value_error=value_error,
        grad_error=grad_error)


def describe_clip(config: Config) -> str:
    """Box coverage and pair counts of a clip, to read the timings by."""
    images_lab, box_masks, _ = make_clip(config, torch.device('cpu'))
    union = box_masks.amax(1).mean().item()
    frame = box_masks.mean().item()
    tk_pairs = temporal_knn_patch_pairs(images_lab, box_masks)
    pairwise_pairs = pairwise_affinity_pairs(images_lab, box_masks)
    dense_size = config.num_instances * config.num_frames * 9 * (
        config.height * config.width)
    return (f'{config.label}: boxes cover {100 * frame:.0f}% of each '
            f'frame, their clip unions {100 * union:.0f}%; mmfvis lists '
            f'{tk_pairs.first.numel()} TK and '
            f'{pairwise_pairs.first.numel()} pairwise pairs, the dense '
            f'variant holds {dense_size} TK terms per layer')


def _mib(num_bytes: int) -> str:
    return f'{num_bytes / 2**20:.1f}'


def format_table(rows: List[dict], device: str) -> str:
    unit = 'peak CUDA MiB' if device == 'cuda' else 'peak RSS MiB'
    lines = [
        f'| clip (N inst., T frames, h x w, L layers) | mmfvis s | dense s '
        f'| speed-up | mmfvis {unit} | dense {unit} | memory ratio '
        f'| max rel. diff of values |',
        '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |'
    ]
    for row in rows:
        ours, dense = row['mmfvis'], row['dense']
        lines.append(
            f"| {row['config'].label} | {ours['seconds']:.3f} "
            f"| {dense['seconds']:.3f} "
            f"| {dense['seconds'] / ours['seconds']:.1f}x "
            f"| {_mib(ours['peak_bytes'])} | {_mib(dense['peak_bytes'])} "
            f"| {dense['peak_bytes'] / max(ours['peak_bytes'], 1):.1f}x "
            f"| {row['value_error']:.1e} |")
    return '\n'.join(lines)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description='Time and peak memory of the MaskFreeVIS losses, mmfvis '
        'against a dense unfold-based implementation, forward and backward '
        'over several decoder layers.')
    parser.add_argument('--device', default='cpu', choices=['cpu', 'cuda'])
    parser.add_argument(
        '--threads',
        type=int,
        default=1,
        help='torch CPU threads per measurement (default 1: steadier on a '
        'shared machine)')
    parser.add_argument(
        '--repeats',
        type=int,
        default=3,
        help='timed steps of the main clip after an untimed one; the median '
        'is reported (default 3)')
    parser.add_argument('--num-instances', type=int, default=10)
    parser.add_argument('--num-frames', type=int, default=5)
    parser.add_argument('--height', type=int, default=90)
    parser.add_argument('--width', type=int, default=160)
    parser.add_argument('--num-layers', type=int, default=10)
    parser.add_argument(
        '--whole-frame-boxes',
        action='store_true',
        help='every box covers every frame (the worst case for mmfvis, '
        'which lists the pairs inside boxes)')
    parser.add_argument(
        '--scan-instances',
        type=int,
        nargs='*',
        default=[1, 5, 10, 20, 50],
        help='instance counts of the growth scan, at the main resolution')
    parser.add_argument(
        '--scan-sizes',
        nargs='*',
        default=['45x80', '180x320'],
        help='logit sizes HxW of the growth scan, at the main N (the main '
        'size is in the instance scan)')
    parser.add_argument(
        '--scan-layers',
        type=int,
        default=2,
        help='decoder layers in the scans (default 2: the dense variant '
        'needs about 16 GiB for N=50 with 10 layers)')
    parser.add_argument(
        '--scan-repeats',
        type=int,
        default=3,
        help='timed steps per scan point (default 3)')
    parser.add_argument(
        '--no-scans', action='store_true', help='only the main comparison')
    parser.add_argument(
        '--worker', choices=['memory', 'time'], help=argparse.SUPPRESS)
    parser.add_argument(
        '--variant', choices=sorted(VARIANTS), help=argparse.SUPPRESS)
    parser.add_argument('--config', help=argparse.SUPPRESS)
    parser.add_argument('--grad-path', help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def scan_configs(args) -> List[Config]:
    """Configs of the growth scans with N and with the logit size."""
    configs = [
        Config(n, args.num_frames, args.height, args.width, args.scan_layers,
               args.whole_frame_boxes) for n in args.scan_instances
    ]
    for size in args.scan_sizes:
        height, width = (int(side) for side in size.split('x'))
        configs.append(
            Config(args.num_instances, args.num_frames, height, width,
                   args.scan_layers, args.whole_frame_boxes))
    return configs


def run_worker_mode(args) -> int:
    config = Config(**json.loads(args.config))
    device = torch.device(args.device)
    if args.worker == 'memory':
        result = measure_memory(args.variant, config, device, args.grad_path)
    else:
        result = measure_time(args.variant, config, device, args.repeats)
    print(json.dumps(result))
    return 0


def main(argv=None) -> int:
    args = parse_args(argv)
    torch.set_num_threads(args.threads)
    if args.worker:
        return run_worker_mode(args)
    if args.device == 'cuda' and not torch.cuda.is_available():
        print('--device cuda: no CUDA device available', file=sys.stderr)
        return 2
    main_config = Config(args.num_instances, args.num_frames, args.height,
                         args.width, args.num_layers, args.whole_frame_boxes)
    scans = [] if args.no_scans else scan_configs(args)
    total = 1 + len(scans)
    main_row = compare(
        main_config, args, f'[1/{total}]', args.repeats, check_grads=True)
    scan_rows = [
        compare(
            config,
            args,
            f'[{index}/{total}]',
            args.scan_repeats,
            check_grads=False) for index, config in enumerate(scans, start=2)
    ]
    print(f'device: {args.device}, torch threads: {args.threads}')
    print(describe_clip(main_config))
    print(format_table([main_row], args.device))
    if scan_rows:
        print()
        print(format_table(scan_rows, args.device))
    speed_up = main_row['dense']['seconds'] / main_row['mmfvis']['seconds']
    memory_ratio = main_row['dense']['peak_bytes'] / max(
        main_row['mmfvis']['peak_bytes'], 1)
    value_error = max(row['value_error'] for row in [main_row] + scan_rows)
    print()
    print(f'main clip ({main_config.label}): {speed_up:.1f}x faster, '
          f'{memory_ratio:.1f}x less peak memory; gradients differ by '
          f"{main_row['grad_error']:.1e} (relative L2, worst layer)")
    if not all(row[variant]['exact_peak_reset']
               for row in [main_row] + scan_rows for variant in VARIANTS):
        print('note: /proc/self/clear_refs was not writable; peaks include '
              'the set-up of the inputs')
    checks = {
        f'loss values equal to 1e-5 relative (worst {value_error:.1e})':
        value_error <= 1e-5,
        'at least 5x faster':
        speed_up >= 5.0,
        'at least 10x less peak memory':
        memory_ratio >= 10.0,
    }
    for name, passed in checks.items():
        print(f"{'PASS' if passed else 'FAIL'}: {name}")
    return 0 if all(checks.values()) else 1


if __name__ == '__main__':
    sys.exit(main())
