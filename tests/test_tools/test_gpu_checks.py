"""tools/analysis/gpu_checks.sh on the CPU at tiny sizes (its CUDA steps,
the mmcv build among them, need the GPU machine), and the package list of
tools/misc/prepare_device_wheels.sh."""
import configparser
import math
import os
import os.path as osp
import re
import subprocess
import sys
import time
from importlib import metadata

import pytest
import torch
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from ..paths import REPO_ROOT, SHARED_DATA

SCRIPT = osp.join(REPO_ROOT, 'tools', 'analysis', 'gpu_checks.sh')
PREPARE = osp.join(REPO_ROOT, 'tools', 'misc', 'prepare_device_wheels.sh')
DAVIS = osp.join(SHARED_DATA, 'davis2016')
DEVICE_KINDS = '/work/.library/device/KINDS.md'
# on the device, but maybe at 81 or later, without the pkg_resources that
# mmcv's setup.py and mmengine import (declared by neither)
FETCHED_FOR_THEIR_VERSION = {'setuptools'}
# the GPU machine's interpreter
DEVICE_MARKERS = dict(
    python_version='3.12',
    python_full_version='3.12.3',
    sys_platform='linux',
    platform_system='Linux',
    platform_machine='x86_64',
    os_name='posix',
    implementation_name='cpython',
    extra='')


def run_checks(out_dir, *args, device='cpu', python=sys.executable):
    """gpu_checks.sh --tiny, its results in ``out_dir``."""
    env = dict(
        os.environ, OMP_NUM_THREADS='1', MKL_NUM_THREADS='1', PYTHON=python)
    command = ['bash', SCRIPT, '--device', device, '--tiny', '--out']
    command += [str(out_dir), *args]
    return subprocess.run(
        command, env=env, capture_output=True, text=True, timeout=600)


def table_rows(text, header_start):
    """The cells of the rows of the markdown table whose header line starts
    with ``header_start``: ({column: cell}, ...)."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines)
                 if line.startswith(header_start))
    columns = [cell.strip() for cell in lines[start].strip('|').split('|')]
    rows = []
    for line in lines[start + 2:]:
        if not line.startswith('|'):
            break
        cells = [cell.strip() for cell in line.strip('|').split('|')]
        rows.append(dict(zip(columns, cells)))
    return rows


def number(cell):
    """A table's figure ('0.015', '45.7x', '1.3e-07') as a float."""
    return float(cell.rstrip('x'))


def step_statuses(summary):
    return {
        row['step']: row['status']
        for row in table_rows(summary, '| step | status |')
    }


def interpreter_without_packages(tmp_path, build_output=None):
    """A ``python`` without site-packages (no pip, torch or mmcv); given
    ``build_output``, its ``-m pip wheel`` prints that and hangs in a child
    process, whose id it writes in ``build.pid``."""
    python = tmp_path / 'python'
    build = ''
    if build_output is not None:
        build = (f'*"pip wheel"*) echo "{build_output}"; sleep 300 & '
                 f'echo $! > {tmp_path}/build.pid; wait ;;\n')
    python.write_text(f'#!/bin/sh\ncase "$*" in\n{build}'
                      f'*) exec {sys.executable} -S "$@" ;;\nesac\n')
    python.chmod(0o755)
    return str(python)


def process_alive(pid, within):
    """Whether process ``pid`` still runs (a zombie does not) after
    ``within`` seconds."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            with open(f'/proc/{pid}/stat') as f:
                state = f.read().rsplit(')', 1)[1].split()[0]
        except FileNotFoundError:
            return False
        if state == 'Z':
            return False
        time.sleep(0.2)
    return True


def mmcv_source(tmp_path):
    """A wheels folder with a (dummy) mmcv source distribution."""
    wheels = tmp_path / 'wheels'
    wheels.mkdir()
    (wheels / 'mmcv-2.1.0.tar.gz').write_bytes(b'')
    return str(wheels)


@pytest.mark.slow
def test_tiny_cpu_run_writes_the_tables_with_finite_figures(tmp_path):
    result = run_checks(tmp_path, '--steps', 'install,mmcv,losses,training')
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr
    assert sorted(os.listdir(tmp_path)) == [
        'gpu_checks.log', 'losses.md', 'summary.md', 'training_speed.md'
    ]
    statuses = step_statuses((tmp_path / 'summary.md').read_text())
    assert statuses['install'].startswith('skipped: ')
    assert statuses['mmcv'].startswith('skipped: mmcv 2.1.0 with its')
    # at 12x16 the dense variant is not 5x slower: a result, not a failure
    assert statuses['losses'].startswith(('ok', 'ran: '))
    assert statuses['training'] == 'ok (training_speed.md)'

    losses = (tmp_path / 'losses.md').read_text()
    [row] = table_rows(losses, '| clip ')
    assert row['clip (N inst., T frames, h x w, L layers)'] == \
        'N=2 T=3 12x16 L=1'
    figures = [number(cell) for cell in list(row.values())[1:]]
    assert len(figures) == 7 and all(math.isfinite(f) for f in figures)
    assert number(row['mmfvis s']) > 0 and number(row['dense s']) > 0
    assert number(row['max rel. diff of values']) <= 1e-5
    assert 'peak RSS MiB' in losses.splitlines()[2]

    training = (tmp_path / 'training_speed.md').read_text()
    assert 'frames 64x96, 1 timed iterations each, on cpu,' in training
    rows = table_rows(training, '| model |')
    assert [r['model'] for r in rows
            ] == ['box supervision (mmfvis)', 'mask supervision (mmdet)']
    for row in rows:
        seconds = number(row['median s/iter'])
        assert math.isfinite(seconds) and seconds > 0
    assert rows[-1]['ratio to mask supervision (mmdet)'] == '1.000'
    log = (tmp_path / 'gpu_checks.log').read_text()
    assert '===== losses =====' in log and 'torch: ' in log


def test_failed_steps_are_reported_and_the_run_goes_on(tmp_path):
    """An interpreter without site-packages: no wheel to install from, no
    mmcv source to build, mmfvis not importable; each step says so."""
    python = interpreter_without_packages(tmp_path)
    wheels = tmp_path / 'no_wheels'
    wheels.mkdir()
    out = tmp_path / 'out'
    result = run_checks(
        out,
        '--steps',
        'install,mmcv,losses',
        '--wheels',
        str(wheels),
        python=python)
    assert result.returncode == 1
    statuses = step_statuses((out / 'summary.md').read_text())
    assert statuses['install'] == (
        f'failed: no wheels in {wheels}: run '
        'tools/misc/prepare_device_wheels.sh where PyPI is reachable and '
        'carry the folder')
    assert statuses['mmcv'] == (f'failed: no {wheels}/mmcv-2.1.0.tar.gz: '
                                'run tools/misc/prepare_device_wheels.sh')
    import_error = r"ModuleNotFoundError: No module named '\w+'"
    assert re.fullmatch(f'failed: mmfvis does not import: {import_error}',
                        statuses['losses'])
    assert 'steps failed: 3.' in (out / 'summary.md').read_text()


def test_a_failed_mmcv_build_is_reported_with_its_log(tmp_path):
    out = tmp_path / 'out'
    result = run_checks(
        out,
        '--steps',
        'mmcv',
        '--wheels',
        mmcv_source(tmp_path),
        python=interpreter_without_packages(tmp_path))
    assert result.returncode == 1
    status = step_statuses((out / 'summary.md').read_text())['mmcv']
    assert re.fullmatch(r'failed: cpu build failed \(exit 1\) after \d+ s',
                        status)
    log = (out / 'mmcv_build.log').read_text()
    assert log.startswith('===== cpu build (MMCV_WITH_OPS=1 FORCE_CUDA=0 '
                          'CUDA_VISIBLE_DEVICES=): cpu build failed')
    assert 'No module named pip' in log


@pytest.mark.slow
def test_an_mmcv_build_past_its_time_is_cut_and_its_progress_given(tmp_path):
    out = tmp_path / 'out'
    python = interpreter_without_packages(
        tmp_path, build_output='[3/10] c++ -c nms.cpp')
    started = time.monotonic()
    result = run_checks(
        out,
        '--steps',
        'mmcv',
        '--wheels',
        mmcv_source(tmp_path),
        '--build-timeout',
        '20',
        python=python)
    # cut at 20 s, the hanging build and its children killed
    assert time.monotonic() - started < 60
    child = (tmp_path / 'build.pid').read_text().strip()
    assert not process_alive(child, within=5)
    assert result.returncode == 1
    status = step_statuses((out / 'summary.md').read_text())['mmcv']
    assert re.fullmatch(
        r'failed: cpu build cut after 2\d s, ninja at \[3/10\] '
        r'\(finished/total\)', status)


def test_transfer_without_its_data_is_skipped_with_the_fix(tmp_path):
    result = run_checks(tmp_path, '--steps', 'transfer', '--davis',
                        str(tmp_path / 'nowhere'))
    assert result.returncode == 0, result.stdout + result.stderr
    statuses = step_statuses((tmp_path / 'summary.md').read_text())
    assert statuses['transfer'] == (
        'skipped: no DAVIS-2016 annotations libby motocross-jump in '
        f'{tmp_path}/nowhere: run --prepare-davis here and carry '
        'device_data/davis2016')


@pytest.mark.skipif(torch.cuda.is_available(), reason='CUDA is available')
def test_cuda_without_a_gpu_stops_before_any_step(tmp_path):
    result = run_checks(tmp_path, device='cuda')
    assert result.returncode == 2
    assert '--device cuda: torch sees no CUDA device here' in result.stdout
    assert not (tmp_path / 'summary.md').exists()


def test_bad_options_are_refused(tmp_path):
    result = run_checks(tmp_path, '--steps', 'losses,bench')
    assert result.returncode == 2
    assert '--steps: no step bench' in result.stderr
    result = run_checks(tmp_path, device='tpu')
    assert result.returncode == 2
    assert '--device: cuda or cpu, not tpu' in result.stderr


@pytest.mark.slow
@pytest.mark.skipif(
    not osp.isdir(DAVIS), reason=f'DAVIS-2016 not found at {DAVIS}')
def test_tiny_transfer_run_records_its_runs(tmp_path):
    result = run_checks(tmp_path, '--steps', 'transfer', '--davis', DAVIS)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr
    statuses = step_statuses((tmp_path / 'summary.md').read_text())
    assert statuses['transfer'] == 'ok: 2 runs (transfer.md)'
    text = (tmp_path / 'transfer.md').read_text()
    assert '2 iterations of 2 clips x 2 frames' in text
    assert 'Frames resized to fit 107x60' in text
    runs = {row['run']: row for row in table_rows(text, '| run |')}
    assert set(runs) == {'stage1/seed0', 'maskfreevis/seed0'}
    assert math.isfinite(number(runs['maskfreevis/seed0']['mask AP']))


# ------------------------------------------------- prepare_device_wheels.sh
def wheel_list():
    """{'wheel': {name: version}, 'sdist': ..., 'on-device': {name: None}}
    as the script lists them."""
    listing = subprocess.run(['bash', PREPARE, '--list'],
                             capture_output=True,
                             text=True,
                             check=True).stdout
    kinds = {'wheel': {}, 'sdist': {}, 'on-device': {}}
    for line in listing.splitlines():
        kind, spec = line.split()
        name, _, version = spec.partition('==')
        kinds[kind][canonicalize_name(name)] = version or None
    return kinds


def mmfvis_requirements():
    parser = configparser.ConfigParser()
    parser.read(osp.join(REPO_ROOT, 'setup.cfg'))
    lines = parser['options']['install_requires'].strip().splitlines()
    return [Requirement(line) for line in lines]


def test_the_wheels_cover_what_mmfvis_needs_on_the_device():
    """Every package mmfvis needs, and those the fetched packages need in
    turn (from their installed metadata), is fetched or on the device;
    opencv-python is the device's headless build."""
    kinds = wheel_list()
    fetched = {**kinds['wheel'], **kinds['sdist']}
    present = set(kinds['on-device']) | {'opencv-python'}
    missing, todo, seen = [], mmfvis_requirements(), set()
    while todo:
        requirement = todo.pop()
        name = canonicalize_name(requirement.name)
        if name in seen or (requirement.marker and
                            not requirement.marker.evaluate(DEVICE_MARKERS)):
            continue
        seen.add(name)
        if name in present:
            continue
        if name not in fetched:
            missing.append(name)
            continue
        todo += [Requirement(r) for r in metadata.requires(name) or []]
    assert not missing, f'neither fetched nor on the device: {missing}'
    unneeded = set(fetched) - seen - FETCHED_FOR_THEIR_VERSION
    assert not unneeded, f'fetched, but needed by nothing: {unneeded}'


@pytest.mark.skipif(
    not osp.isfile(DEVICE_KINDS), reason=f'{DEVICE_KINDS} not found')
def test_what_is_taken_from_the_device_is_there():
    with open(DEVICE_KINDS) as f:
        text = f.read()
    listed = text.split('## Python packages already there', 1)[1]
    listed = listed.split('Packages:', 1)[1].split('.\n', 1)[0]
    there = {canonicalize_name(name.strip()) for name in listed.split(',')}
    kinds = wheel_list()
    assert set(kinds['on-device']) <= there
    both = set(kinds['wheel']) & there - FETCHED_FOR_THEIR_VERSION
    assert not both, f'fetched, yet there: {both}'
