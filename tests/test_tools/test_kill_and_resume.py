"""tools/train.py under faults: SIGKILL in the middle of a checkpoint write
and between checkpoints, then --resume; a NaN loss stops training."""
import json
import os
import os.path as osp
import signal
import subprocess
import sys
import time

import pytest
import torch

from mmfvis.compat import load_local_checkpoint
from mmfvis.fileio import checkpoint_problem
from ..paths import REPO_ROOT, TINY_CONFIG
from .conftest import data_root_options
from .training_probes import PROBE_FILE

TRAIN = osp.join(REPO_ROOT, 'tools', 'train.py')
TK_WARMUP_ITERS = 20


def probe_config(folder, name, *hooks):
    """The tiny config plus the given test hooks."""
    path = osp.join(folder, f'{name}.py')
    with open(path, 'w') as file:
        file.write(f'_base_ = [{TINY_CONFIG!r}]\n'
                   'custom_imports = dict(imports=[\'mmfvis\', '
                   "'tests.test_tools.training_probes'], "
                   'allow_failed_imports=False)\n'
                   f'custom_hooks = {list(hooks)!r}\n')
    return path


def train_command(config, work_dir, data_root, max_iters, *extra):
    return [
        sys.executable, TRAIN, config, '--work-dir', work_dir, '--cfg-options',
        f'train_cfg.max_iters={max_iters}', 'train_cfg.val_begin=1000',
        'default_hooks.checkpoint.interval=2',
        'default_hooks.checkpoint.max_keep_ckpts=2',
        'param_scheduler.milestones=[3]',
        'box_supervision.track_head.loss_temp.warmup_iters='
        f'{TK_WARMUP_ITERS}', *data_root_options(data_root), *extra
    ]


def environment():
    return dict(os.environ, OMP_NUM_THREADS='1', PYTHONPATH=REPO_ROOT)


def run(command, work_dir):
    return subprocess.run(
        command,
        cwd=work_dir,
        env=environment(),
        capture_output=True,
        text=True,
        timeout=300)


def pointer(work_dir):
    path = osp.join(work_dir, 'last_checkpoint')
    if not osp.isfile(path):
        return ''
    with open(path) as file:
        return file.read()


def probe_records(work_dir):
    """Per process id, its records (iteration, lr, TK warm-up) by
    iteration."""
    records = {}
    path = osp.join(work_dir, PROBE_FILE)
    if osp.isfile(path):
        with open(path) as file:
            for line in file:
                record = json.loads(line)
                records.setdefault(record['pid'], {})[record['iter']] = record
    return records


def kill_once_checkpointed(process, work_dir, step, log_path, timeout=240):
    """SIGKILL ``process`` once it has written the checkpoint of ``step``
    and begun the next iteration; its output is in ``log_path``."""
    deadline = time.time() + timeout
    while time.time() < deadline and process.poll() is None:
        started = probe_records(work_dir).get(process.pid, {})
        if pointer(work_dir).endswith(f'iter_{step}.pth') and step in started:
            process.send_signal(signal.SIGKILL)
            break
        time.sleep(0.02)
    process.wait(timeout=60)
    with open(log_path) as log:
        assert process.returncode == -signal.SIGKILL, log.read()[-3000:]


def assert_resumed_where_killed(resumed, killed, at_iter):
    first = min(resumed)
    assert first == at_iter
    assert resumed[first]['lr'] == killed[at_iter]['lr']
    assert resumed[first]['tk_warmup'] == killed[at_iter]['tk_warmup'] == \
        at_iter / TK_WARMUP_ITERS


def killed_while_writing(config, work_dir, data_root):
    """Train, killed halfway through writing the checkpoint of iteration
    4: the pointer still names the complete checkpoint of iteration 2."""
    result = run(train_command(config, work_dir, data_root, 8), work_dir)
    assert result.returncode == -signal.SIGKILL, result.stderr[-3000:]
    assert pointer(work_dir) == osp.join(work_dir, 'iter_2.pth')
    assert checkpoint_problem(osp.join(work_dir, 'iter_2.pth')) is None
    assert not osp.exists(osp.join(work_dir, 'iter_4.pth'))
    [partial] = [n for n in os.listdir(work_dir) if n.startswith('.iter_4')]
    assert os.path.getsize(osp.join(work_dir, partial)) > 0


def plant_truncated_latest(work_dir):
    """What a writer without atomic renames leaves when killed: a
    truncated iter_4.pth, named as the latest checkpoint."""
    with open(osp.join(work_dir, 'iter_2.pth'), 'rb') as file:
        truncated = file.read()[:1000]
    with open(osp.join(work_dir, 'iter_4.pth'), 'wb') as file:
        file.write(truncated)
    with open(osp.join(work_dir, 'last_checkpoint'), 'w') as file:
        file.write(osp.join(work_dir, 'iter_4.pth'))


def resumed_then_killed(config, work_dir, data_root):
    """Resume (from iteration 2, passing over the truncated iteration 4),
    SIGKILL once the checkpoint of iteration 4 is written; the iteration
    of the checkpoint the pointer names then."""
    log_path = osp.join(work_dir, 'second.log')
    with open(log_path, 'w') as log:
        process = subprocess.Popen(
            train_command(config, work_dir, data_root, 8, '--resume'),
            cwd=work_dir,
            env=environment(),
            stdout=log,
            stderr=subprocess.STDOUT)
        kill_once_checkpointed(process, work_dir, 4, log_path)
    with open(log_path) as log:
        assert f"iter_4.pth', which is incomplete (truncated or corrupt" \
            f": File is not a zip file): resuming from {work_dir}/" \
            'iter_2.pth, the newest complete checkpoint' in log.read()
    assert checkpoint_problem(pointer(work_dir)) is None
    return load_local_checkpoint(pointer(work_dir))['meta']['iter']


@pytest.mark.slow
def test_killed_training_resumes_at_its_last_complete_checkpoint(
        tmp_path, shapes_root):
    work_dir = str(tmp_path / 'work')
    os.makedirs(work_dir)
    probe = dict(type='IterationProbeHook')
    killed_while_writing(
        probe_config(tmp_path, 'kill_in_save', probe,
                     dict(type='KillDuringCheckpointWriteHook', at_iter=4)),
        work_dir, shapes_root)
    plant_truncated_latest(work_dir)
    probe_only = probe_config(tmp_path, 'probe_only', probe)
    resumed_at = resumed_then_killed(probe_only, work_dir, shapes_root)
    last = run(
        train_command(probe_only, work_dir, shapes_root, 8, '--resume'),
        work_dir)
    assert last.returncode == 0, last.stderr[-3000:]
    assert f'resumed epoch: 0, iter: {resumed_at}' in last.stdout

    killed, resumed, finished = probe_records(work_dir).values()
    assert sorted(killed) == [0, 1, 2, 3]
    assert_resumed_where_killed(resumed, killed, 2)
    assert_resumed_where_killed(finished, resumed, resumed_at)
    assert finished[resumed_at]['lr'] < killed[2]['lr']  # lr milestone 3
    assert max(finished) == 7
    final = load_local_checkpoint(osp.join(work_dir, 'iter_8.pth'))
    assert final['meta']['iter'] == 8
    assert sorted(n for n in os.listdir(work_dir) if n.endswith('.pth')) \
        == ['iter_6.pth', 'iter_8.pth']  # max_keep_ckpts=2
    assert not [n for n in os.listdir(work_dir) if n.startswith('.')]
    assert pointer(work_dir) == osp.join(work_dir, 'iter_8.pth')


@pytest.mark.slow
def test_a_nan_loss_stops_training_naming_iteration_and_term(
        tmp_path, shapes_root):
    work_dir = str(tmp_path)
    poisoned = probe_config(tmp_path, 'poisoned',
                            dict(type='PoisonLossHook', at_iter=3))
    result = run(train_command(poisoned, work_dir, shapes_root, 6), work_dir)
    assert result.returncode == 1
    assert 'NonFiniteLossError: non-finite loss at training iteration 4 ' \
        '(as the log counts; 0-based 3): loss_temp = nan, ' \
        'd0.loss_temp = nan' in result.stderr
    assert pointer(work_dir) == osp.join(work_dir, 'iter_2.pth')
    kept = load_local_checkpoint(osp.join(work_dir, 'iter_2.pth'))
    assert all(
        torch.isfinite(v).all() for v in kept['state_dict'].values()
        if v.is_floating_point())
    assert not osp.exists(osp.join(work_dir, 'iter_4.pth'))
