"""tools/train.py --resume: a work directory without a checkpoint starts
from the config's load_from, and says so; one with a checkpoint resumes."""
import glob
import json
import os.path as osp

import pytest
import torch

from mmfvis.compat import load_local_checkpoint
from ..builders import build_model, load_config
from ..paths import TINY_CONFIG
from .test_kill_and_resume import probe_config, run, train_command
from .training_probes import weights_file


def stand_in_checkpoint(path):
    """Weights of the tiny model from another seed than any run's, saved
    as mmengine saves them; their parameter sums by name."""
    torch.manual_seed(1234)
    model = build_model(load_config(TINY_CONFIG))
    torch.save(dict(state_dict=model.state_dict(), meta=dict()), path)
    return {
        name: parameter.detach().double().sum().item()
        for name, parameter in model.named_parameters()
    }


def recorded_weights(work_dir, at_iter):
    with open(osp.join(work_dir, weights_file(at_iter))) as file:
        return json.load(file)


def last_log(work_dir):
    with open(sorted(glob.glob(osp.join(work_dir, '*', '*.log')))[-1]) as f:
        return f.read()


def test_resume_without_a_checkpoint_starts_from_load_from(
        tmp_path, shapes_root):
    work_dir = str(tmp_path / 'work')
    stand_in = str(tmp_path / 'coco_init.pth')
    loaded = stand_in_checkpoint(stand_in)
    config = probe_config(tmp_path, 'weights_probe',
                          dict(type='WeightProbeHook', at_iter=0),
                          dict(type='WeightProbeHook', at_iter=2))
    first = run(
        train_command(config, work_dir, shapes_root, 2,
                      f'load_from={stand_in}', '--resume'), str(tmp_path))
    assert first.returncode == 0, first.stderr[-3000:]
    assert f'--resume: no checkpoint in {work_dir} yet: starting from ' \
        f"the config's load_from {stand_in}" in last_log(work_dir)
    assert recorded_weights(work_dir, 0) == pytest.approx(loaded, rel=1e-12)

    second = run(
        train_command(config, work_dir, shapes_root, 3,
                      f'load_from={stand_in}', '--resume'), str(tmp_path))
    assert second.returncode == 0, second.stderr[-3000:]
    log = last_log(work_dir)
    assert f'--resume: resuming from the latest checkpoint in {work_dir}' \
        in log
    assert 'resumed epoch: 0, iter: 2' in log
    saved = load_local_checkpoint(osp.join(work_dir, 'iter_2.pth'))
    resumed = recorded_weights(work_dir, 2)
    assert resumed == pytest.approx(
        {
            name: saved['state_dict'][name].double().sum().item()
            for name in resumed
        },
        rel=1e-12)
    assert resumed != pytest.approx(loaded, rel=1e-3)
