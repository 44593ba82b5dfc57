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
