"""The loss benchmark's two variants agree on a small clip."""
import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest
import torch

SCRIPT = (
    Path(__file__).parents[2] / 'tools' / 'analysis' / 'benchmark_losses.py')


@pytest.fixture(scope='module')
def benchmark():
    spec = importlib.util.spec_from_file_location('benchmark_losses', SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize('whole_frame_boxes', [False, True])
def test_dense_and_mmfvis_variants_agree(benchmark, whole_frame_boxes):
    config = benchmark.Config(
        num_instances=2,
        num_frames=3,
        height=20,
        width=30,
        num_layers=2,
        whole_frame_boxes=whole_frame_boxes)
    images_lab, box_masks, layers = benchmark.make_clip(
        config, torch.device('cpu'))
    ours = benchmark.run_mmfvis(images_lab, box_masks, layers)
    sum(ours.values()).backward()
    our_grads = [logits.grad.clone() for logits in layers]
    for logits in layers:
        logits.grad = None
    dense = benchmark.run_dense(images_lab, box_masks, layers)
    sum(dense.values()).backward()
    for name in benchmark.LOSS_NAMES:
        assert ours[name].item() == pytest.approx(dense[name].item(), rel=1e-5)
    for mine, theirs in zip(our_grads, layers):
        assert torch.allclose(mine, theirs.grad, rtol=1e-3, atol=1e-6)


def test_memory_meter_reports_growth(benchmark):
    """In a fresh process, as the benchmark measures: in the test process,
    freed arena memory can be reused without raising the resident size."""
    probe = (
        'import importlib.util, torch\n'
        f'spec = importlib.util.spec_from_file_location("b", {str(SCRIPT)!r})'
        '\n'
        'b = importlib.util.module_from_spec(spec)\n'
        'spec.loader.exec_module(b)\n'
        'meter = b.MemoryMeter(torch.device("cpu"))\n'
        'meter.start()\n'
        'block = torch.ones(16 * 2**20 // 4)\n'
        'print(meter.peak_bytes())\n')
    result = subprocess.run([sys.executable, '-c', probe],
                            env=dict(os.environ, **benchmark.MALLOC_ENV),
                            capture_output=True,
                            text=True,
                            timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    assert int(result.stdout.split()[-1]) >= 8 * 2**20
