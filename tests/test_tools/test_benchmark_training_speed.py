"""tools/analysis/benchmark_training_speed.py: its --device option (a tiny
run on the CPU is in test_gpu_checks.py)."""
import os
import os.path as osp
import subprocess
import sys

import pytest
import torch

from ..paths import CONFIG_DIR, REPO_ROOT

SCRIPT = osp.join(REPO_ROOT, 'tools', 'analysis',
                  'benchmark_training_speed.py')


@pytest.mark.skipif(torch.cuda.is_available(), reason='CUDA is available')
def test_cuda_without_a_gpu_is_refused_before_any_model_is_built():
    config = osp.join(CONFIG_DIR, 'mfvis_ytvis.py')
    env = dict(os.environ, OMP_NUM_THREADS='1', PYTHONPATH=REPO_ROOT)
    result = subprocess.run(
        [sys.executable, SCRIPT, config, '--device', 'cuda'],
        env=env,
        capture_output=True,
        text=True,
        timeout=120)
    assert result.returncode == 2
    assert '--device cuda: no CUDA device available' in result.stderr


def _run(*args):
    env = dict(os.environ, OMP_NUM_THREADS='1', PYTHONPATH=REPO_ROOT)
    return subprocess.run([sys.executable, SCRIPT, *args],
                          env=env,
                          capture_output=True,
                          text=True,
                          timeout=300)


def test_cfg_options_without_compare_options_is_refused():
    result = _run(
        osp.join(CONFIG_DIR, 'mfvis_shapes_demo.py'), '--cfg-options',
        'model.backbone.base_channels=32')
    assert result.returncode == 2
    assert '--cfg-options goes with --compare options' in result.stderr


def test_compare_options_times_the_overridden_config_beside_the_config():
    result = _run(
        osp.join(CONFIG_DIR, 'mfvis_shapes_demo.py'), '--compare', 'options',
        '--size', '64', '64', '--clips', '1', '--iters', '1', '--warmup', '0',
        '--cfg-options', 'model.backbone.base_channels=32',
        'model.track_head.in_channels=[32,64,128,256]')
    assert result.returncode == 0, result.stderr[-2000:]
    rows = [
        line for line in result.stdout.splitlines()
        if line.startswith('| before') or line.startswith('| after')
    ]
    assert len(rows) == 2
    assert 'model.backbone.base_channels=32' in rows[0]
    # the ratio column: the config as it is is the reference
    assert rows[1].rstrip(' |').endswith('1.000')
