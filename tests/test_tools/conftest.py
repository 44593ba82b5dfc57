import os
import os.path as osp
import socket
import subprocess
import sys

import pytest
from mmengine.config import Config

from ..builders import shapes_split_options
from ..paths import REPO_ROOT, TINY_CONFIG


def run_tool(args, cwd, timeout=300):
    """Run ``python tools/<args>`` as a user would; its completed process."""
    env = dict(os.environ, OMP_NUM_THREADS='1', PYTHONPATH=REPO_ROOT)
    result = subprocess.run([sys.executable, *args],
                            cwd=cwd,
                            env=env,
                            capture_output=True,
                            text=True,
                            timeout=timeout)
    assert result.returncode == 0, result.stdout[-3000:] + \
        result.stderr[-3000:]
    return result


def free_port():
    """A TCP port free on the loopback interface now, as a string."""
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return str(sock.getsockname()[1])


def data_root_options(data_root):
    """--cfg-options that read or generate the tiny config's data under
    ``data_root`` with the settings of the ``shapes_root`` fixture."""
    options = []
    for loader, split in (('train', 'train'), ('val', 'val'), ('test', 'val')):
        options += [
            f'{loader}_dataloader.dataset.data_root={data_root}',
            *shapes_split_options(loader, split)
        ]
    return options


def _flat(settings: dict, prefix: str = '') -> dict:
    """Nested dicts as {'a.b.c': value}; lists and empty dicts are
    values."""
    flat = {}
    for key, value in settings.items():
        if isinstance(value, dict) and value:
            flat.update(_flat(value, f'{prefix}{key}.'))
        else:
            flat[f'{prefix}{key}'] = value
    return flat


def tiny_model_options(config):
    """--cfg-options giving the model of ``config`` the architecture of
    the tiny CPU config (every model setting that differs, but the
    classes), without pretrained weights."""
    tiny = _flat(Config.fromfile(TINY_CONFIG).to_dict()['model'])
    target = _flat(Config.fromfile(config).to_dict()['model'])
    options = []
    for key, value in tiny.items():
        if 'num_classes' in key or 'class_weight' in key or \
                target.get(key, object()) == value:
            continue
        if isinstance(value, (list, tuple)):
            value = str(list(value)).replace(' ', '')
        options.append(f'model.{key}={value}')
    return options


@pytest.fixture(scope='session')
def tiny_checkpoint(tmp_path_factory, shapes_root):
    """A checkpoint of the tiny CPU config, trained one iteration from a
    fixed seed: the tiny config sets none, and the edge-case evaluation
    needs predictions of one class in both validation videos, which some
    random initialisations do not give."""
    work_dir = str(tmp_path_factory.mktemp('tiny_train'))
    run_tool([
        osp.join(REPO_ROOT, 'tools', 'train.py'), TINY_CONFIG, '--work-dir',
        work_dir, '--cfg-options', 'train_cfg.max_iters=1',
        'randomness.seed=0', *data_root_options(shapes_root)
    ],
             cwd=work_dir)
    return osp.join(work_dir, 'iter_1.pth')
