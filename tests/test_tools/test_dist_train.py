"""tools/dist_train.sh: two CPU processes train, checkpoint and resume."""
import glob
import os
import os.path as osp
import subprocess
import sys

import pytest
import torch

from mmfvis.compat import load_local_checkpoint
from ..paths import REPO_ROOT, TINY_CONFIG
from .conftest import data_root_options, free_port


def _dist_train(work_dir, data_root, max_iters, *extra):
    env = dict(
        os.environ,
        PYTHON=sys.executable,
        PORT=free_port(),
        OMP_NUM_THREADS='1')
    command = [
        osp.join(REPO_ROOT, 'tools',
                 'dist_train.sh'), TINY_CONFIG, '2', '--work-dir', work_dir,
        '--cfg-options', f'train_cfg.max_iters={max_iters}',
        'default_hooks.checkpoint.interval=2', *data_root_options(data_root),
        *extra
    ]
    result = subprocess.run(
        command,
        cwd=work_dir,
        env=env,
        capture_output=True,
        text=True,
        timeout=600)
    output = result.stdout[-3000:] + result.stderr[-3000:]
    assert result.returncode == 0, output
    logs = sorted(glob.glob(osp.join(work_dir, '*', '*.log')))
    with open(logs[-1]) as f:
        return f.read()


@pytest.mark.slow
def test_two_processes_train_then_resume(tmp_path, shapes_root):
    work_dir = str(tmp_path)
    log = _dist_train(work_dir, shapes_root, 2)
    assert 'Distributed training: True' in log
    assert 'GPU number: 2' in log  # mmengine's name for the world size
    first = load_local_checkpoint(osp.join(work_dir, 'iter_2.pth'))
    assert first['meta']['iter'] == 2

    log = _dist_train(work_dir, shapes_root, 4, '--resume')
    assert 'resumed epoch: 0, iter: 2' in log
    assert 'Iter(train) [3/4]' in log
    assert 'Iter(train) [1/4]' not in log
    resumed = load_local_checkpoint(osp.join(work_dir, 'iter_4.pth'))
    assert resumed['meta']['iter'] == 4
    changed = [
        not torch.equal(first['state_dict'][k], resumed['state_dict'][k])
        for k in first['state_dict']
    ]
    assert any(changed)
