"""The launch scripts build the commands mmdet users expect."""
import os
import os.path as osp
import stat
import subprocess

import pytest

from ..paths import REPO_ROOT

TOOLS = osp.join(REPO_ROOT, 'tools')


def _fake_command(folder, name):
    """An executable that prints its arguments, one per line."""
    path = osp.join(folder, name)
    with open(path, 'w') as f:
        f.write('#!/usr/bin/env bash\nfor a in "$@"; do echo "$a"; done\n')
    os.chmod(path, os.stat(path).st_mode | stat.S_IEXEC)
    return path


def _run(script, args, tmp_path, **env):
    _fake_command(str(tmp_path), 'srun')
    fake_python = _fake_command(str(tmp_path), 'python')
    environment = dict(
        os.environ,
        PATH=f'{tmp_path}:{os.environ["PATH"]}',
        PYTHON=fake_python,
        **env)
    return subprocess.run([osp.join(TOOLS, script), *args],
                          env=environment,
                          capture_output=True,
                          text=True,
                          timeout=60)


def test_slurm_train_runs_one_task_per_gpu(tmp_path):
    result = _run(
        'slurm_train.sh',
        ['gpu', 'mfvis', 'configs/mfvis_ytvis.py', 'work/x', '--amp'],
        tmp_path,
        GPUS='16',
        GPUS_PER_NODE='8')
    assert result.returncode == 0, result.stderr
    words = result.stdout.split('\n')
    assert words[:6] == [
        '-p', 'gpu', '--job-name=mfvis', '--gres=gpu:8', '--ntasks=16',
        '--ntasks-per-node=8'
    ]
    assert words[words.index('-u') + 1].endswith('tools/train.py')
    tail = words[words.index('-u') + 2:]
    assert tail[:5] == [
        'configs/mfvis_ytvis.py', '--work-dir=work/x', '--launcher', 'slurm',
        '--amp'
    ]


def test_slurm_test_passes_the_checkpoint(tmp_path):
    result = _run('slurm_test.sh',
                  ['gpu', 'eval', 'configs/mfvis_ovis.py', 'ckpt.pth'],
                  tmp_path)
    assert result.returncode == 0, result.stderr
    words = result.stdout.split('\n')
    assert words[words.index('-u') + 1].endswith('tools/test.py')
    assert words[words.index('-u') + 2:][:4] == [
        'configs/mfvis_ovis.py', 'ckpt.pth', '--launcher', 'slurm'
    ]
    assert '--ntasks=8' in words


@pytest.mark.parametrize('script, args', [
    ('dist_train.sh', ['configs/mfvis_ytvis.py']),
    ('dist_test.sh', ['configs/mfvis_ytvis.py', 'ckpt.pth']),
    ('slurm_train.sh', ['gpu', 'job', 'configs/mfvis_ytvis.py']),
])
def test_missing_arguments_print_the_usage(script, args, tmp_path):
    result = _run(script, args, tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith('usage:')


def test_dist_train_passes_the_node_settings_to_torchrun(tmp_path):
    result = _run(
        'dist_train.sh', ['configs/mfvis_ytvis.py', '8', '--resume'],
        tmp_path,
        NNODES='2',
        NODE_RANK='1',
        MASTER_ADDR='10.0.0.1',
        PORT='29999')
    assert result.returncode == 0, result.stderr
    words = result.stdout.split('\n')
    assert words[:7] == [
        '-m', 'torch.distributed.run', '--nnodes=2', '--node_rank=1',
        '--master_addr=10.0.0.1', '--nproc_per_node=8', '--master_port=29999'
    ]
    assert words[7].endswith('tools/train.py')
    assert words[8:12] == [
        'configs/mfvis_ytvis.py', '--launcher', 'pytorch', '--resume'
    ]
