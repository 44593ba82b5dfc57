"""Two CPU processes (gloo) under faults: a NaN in one process stops both
at the same iteration; a process that dies or hangs makes the other exit
with an error, within the process group's timeout."""
import json
import os
import os.path as osp
import re
import signal
import subprocess
import sys
import time

import pytest

from ..paths import REPO_ROOT
from .conftest import data_root_options, free_port
from .test_kill_and_resume import probe_config, probe_records
from .training_probes import SIGNALLED_FILE

TRAIN = osp.join(REPO_ROOT, 'tools', 'train.py')
# env_cfg.dist_cfg.timeout of the hang test, in seconds
TIMEOUT = 10


def options(data_root, max_iters):
    return [
        '--cfg-options', f'train_cfg.max_iters={max_iters}',
        'train_cfg.val_begin=1000', 'default_hooks.checkpoint.interval=100',
        *data_root_options(data_root)
    ]


def environment(**variables):
    return dict(
        os.environ,
        OMP_NUM_THREADS='1',
        PYTHONPATH=REPO_ROOT,
        PYTHON=sys.executable,
        **variables)


@pytest.mark.slow
def test_a_nan_in_one_process_stops_both_at_that_iteration(
        tmp_path, shapes_root):
    work_dir = str(tmp_path / 'work')
    os.makedirs(work_dir)
    config = probe_config(tmp_path, 'nan_in_rank_1',
                          dict(type='IterationProbeHook'),
                          dict(type='PoisonLossHook', at_iter=1, rank=1))
    result = subprocess.run([
        osp.join(REPO_ROOT, 'tools', 'dist_train.sh'), config, '2',
        '--work-dir', work_dir, *options(shapes_root, 6)
    ],
                            cwd=work_dir,
                            env=environment(PORT=free_port()),
                            capture_output=True,
                            text=True,
                            timeout=300)
    output = result.stdout + result.stderr
    assert result.returncode != 0, output[-3000:]
    stopped = 'NonFiniteLossError: non-finite loss at training iteration 2 ' \
        '(as the log counts; 0-based 1): '
    assert stopped + 'loss_temp = nan, d0.loss_temp = nan' in output  # rank 1
    assert stopped + 'loss_temp (non-finite in another process), ' \
        'd0.loss_temp (non-finite in another process)' in output  # rank 0
    iterations = probe_records(work_dir)
    assert len(iterations) == 2
    assert [sorted(seen) for seen in iterations.values()] == [[0, 1]] * 2


def start_ranks(config, work_dir, data_root, *extra):
    """The two processes of a run started as Slurm's srun starts them, one
    by one without torchrun's agent watching them; their logs."""
    port = free_port()
    processes, logs = [], []
    for rank in (0, 1):
        log_path = osp.join(work_dir, f'rank_{rank}.log')
        with open(log_path, 'w') as log:
            processes.append(
                subprocess.Popen([
                    sys.executable, TRAIN, config, '--launcher', 'pytorch',
                    '--work-dir', work_dir, *options(data_root, 8), *extra
                ],
                                 cwd=work_dir,
                                 env=environment(
                                     RANK=str(rank),
                                     LOCAL_RANK=str(rank),
                                     WORLD_SIZE='2',
                                     MASTER_ADDR='127.0.0.1',
                                     MASTER_PORT=port),
                                 stdout=log,
                                 stderr=subprocess.STDOUT))
        logs.append(log_path)
    return processes, logs


def wait_for_rank_0(processes, logs, work_dir):
    """Rank 0's exit code, its log and the seconds from the signal to rank 1
    to its exit."""
    rank_0, rank_1 = processes
    try:
        returncode = rank_0.wait(timeout=180)
        ended = time.time()
    finally:
        for process in processes:
            process.kill()
            process.wait()
    with open(logs[0]) as log:
        output = log.read()
    with open(osp.join(work_dir, SIGNALLED_FILE)) as file:
        signalled = json.load(file)
    assert signalled['pid'] == rank_1.pid
    return returncode, output, ended - signalled['time']


@pytest.mark.slow
def test_a_killed_process_makes_the_other_exit_with_an_error(
        tmp_path, shapes_root):
    work_dir = str(tmp_path)
    config = probe_config(
        tmp_path, 'kill_rank_1',
        dict(type='SignalRankHook', at_iter=1, rank=1, signal_name='SIGKILL'))
    processes, logs = start_ranks(config, work_dir, shapes_root)
    returncode, output, seconds = wait_for_rank_0(processes, logs, work_dir)
    assert processes[1].returncode == -signal.SIGKILL
    assert returncode != 0, output[-3000:]
    # gloo's words, depending on where the other process was
    assert re.search(r'RuntimeError: .*Connection (closed|reset) by peer',
                     output), output[-3000:]
    assert seconds < TIMEOUT, output[-3000:]


@pytest.mark.slow
def test_a_hung_process_makes_the_other_exit_after_the_timeout(
        tmp_path, shapes_root):
    work_dir = str(tmp_path)
    config = probe_config(
        tmp_path, 'stop_rank_1',
        dict(type='SignalRankHook', at_iter=1, rank=1, signal_name='SIGSTOP'))
    processes, logs = start_ranks(config, work_dir, shapes_root,
                                  f'env_cfg.dist_cfg.timeout={TIMEOUT}')
    returncode, output, seconds = wait_for_rank_0(processes, logs, work_dir)
    assert returncode != 0, output[-3000:]
    assert re.search(
        f'RuntimeError: .*Timed out waiting {TIMEOUT * 1000}ms for '
        '(send|recv) operation', output), output[-3000:]
    assert TIMEOUT <= seconds < TIMEOUT + 20, output[-3000:]
