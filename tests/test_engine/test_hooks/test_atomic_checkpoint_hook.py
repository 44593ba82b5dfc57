"""AtomicCheckpointHook on a toy model: no half-written checkpoint ever
becomes the latest, and a cut-short save loses no kept checkpoint."""
import itertools
import os
import os.path as osp
from types import SimpleNamespace

import pytest
import torch
import torch.nn as nn
from mmengine.logging import MessageHub
from mmengine.model import BaseModel
from mmengine.registry import DefaultScope
from mmengine.runner import Runner

from mmfvis.engine import AtomicCheckpointHook
from mmfvis.fileio import atomic_local_backend, checkpoint_problem
from mmfvis.utils import load_runner_config
from ...paths import TINY_CONFIG

RUN_NAMES = itertools.count()


@pytest.fixture(autouse=True)
def leave_no_runner_state():
    """A runner makes its scope and MessageHub (with its last iteration)
    the current ones: give later tests mmdet's scope and a hub without
    an iteration, as they expect."""
    yield
    name = f'after_atomic_checkpoint_{next(RUN_NAMES)}'
    DefaultScope.get_instance(name, scope_name='mmdet')
    MessageHub.get_instance(name)


class ToyModel(BaseModel):

    def __init__(self):
        super().__init__()
        self.linear = nn.Linear(2, 1)

    def forward(self, inputs, data_samples=None, mode='loss'):
        return dict(loss=self.linear(torch.stack(inputs)).pow(2).mean())


def toy_runner(work_dir, max_iters=6, **checkpoint):
    return Runner(
        model=ToyModel(),
        work_dir=str(work_dir),
        experiment_name=f'atomic_checkpoint_{next(RUN_NAMES)}',
        default_scope='mmdet',
        train_dataloader=dict(
            dataset=[dict(inputs=torch.rand(2)) for _ in range(16)],
            sampler=dict(type='DefaultSampler', shuffle=False),
            batch_size=2),
        optim_wrapper=dict(optimizer=dict(type='SGD', lr=0.01)),
        train_cfg=dict(by_epoch=False, max_iters=max_iters),
        default_hooks=dict(
            logger=dict(type='LoggerHook', interval=100),
            checkpoint=dict(
                type='AtomicCheckpointHook',
                interval=2,
                by_epoch=False,
                **checkpoint)))


def pointer(work_dir):
    with open(osp.join(work_dir, 'last_checkpoint')) as file:
        return file.read()


def test_keeps_the_last_checkpoints_and_no_temporary_file(tmp_path):
    toy_runner(tmp_path, max_keep_ckpts=2).train()
    checkpoints = sorted(n for n in os.listdir(tmp_path) if n.endswith('pth'))
    assert checkpoints == ['iter_4.pth', 'iter_6.pth']
    assert pointer(tmp_path) == str(tmp_path / 'iter_6.pth')
    assert not [n for n in os.listdir(tmp_path) if n.startswith('.')]


def test_a_save_cut_short_keeps_the_previous_checkpoint_as_latest(
        tmp_path, monkeypatch):
    calls = itertools.count(1)
    write = atomic_local_backend._write_synced

    def fail_on_the_third_checkpoint(file, data):
        if next(calls) == 3:
            file.write(data[:len(data) // 2])
            raise OSError('no space left on device')
        write(file, data)

    monkeypatch.setattr(atomic_local_backend, '_write_synced',
                        fail_on_the_third_checkpoint)
    with pytest.raises(OSError, match='no space left'):
        # mmengine alone would delete iter_4 before writing iter_6
        toy_runner(tmp_path, max_keep_ckpts=1).train()
    assert sorted(n for n in os.listdir(tmp_path) if 'pth' in n) == \
        ['iter_4.pth']
    assert checkpoint_problem(str(tmp_path / 'iter_4.pth')) is None
    assert pointer(tmp_path) == str(tmp_path / 'iter_4.pth')


def test_leftover_temporary_files_are_removed(tmp_path):
    (tmp_path / '.iter_8.pth.123.abcd.incomplete').write_bytes(b'half')
    (tmp_path / '.last_checkpoint.xyz.incomplete').mkdir()
    toy_runner(tmp_path, max_iters=2).train()
    assert not [n for n in os.listdir(tmp_path) if n.startswith('.')]


def resuming_runner(work_dir):
    return SimpleNamespace(
        work_dir=str(work_dir), _resume=True, _load_from=None)


def make_checkpoints(work_dir, truncate=()):
    for step in (4, 8):
        path = work_dir / f'iter_{step}.pth'
        torch.save(dict(meta=dict(iter=step)), path)
        if step in truncate:
            path.write_bytes(path.read_bytes()[:50])


@pytest.mark.parametrize('named, reason', [
    ('iter_8.pth', 'incomplete'),
    ('iter_12.pth', 'missing'),
])
def test_resume_passes_over_a_bad_latest_checkpoint(tmp_path, named, reason):
    make_checkpoints(tmp_path, truncate=(8, ))
    (tmp_path / 'last_checkpoint').write_text(str(tmp_path / named))
    AtomicCheckpointHook(
        interval=4, by_epoch=False).before_run(resuming_runner(tmp_path))
    assert pointer(tmp_path) == str(tmp_path / 'iter_4.pth')


@pytest.mark.parametrize('content', [None, ''])
def test_resume_finds_checkpoints_without_a_pointer(tmp_path, content):
    make_checkpoints(tmp_path)
    if content is not None:
        (tmp_path / 'last_checkpoint').write_text(content)
    AtomicCheckpointHook(
        interval=4, by_epoch=False).before_run(resuming_runner(tmp_path))
    assert pointer(tmp_path) == str(tmp_path / 'iter_8.pth')


def test_resume_without_any_complete_checkpoint_says_so(tmp_path):
    make_checkpoints(tmp_path, truncate=(4, 8))
    (tmp_path / 'last_checkpoint').write_text(str(tmp_path / 'iter_8.pth'))
    with pytest.raises(
            FileNotFoundError,
            match='iter_8.pth.*incomplete.*'
            'no complete checkpoint'):
        AtomicCheckpointHook(
            interval=4, by_epoch=False).before_run(resuming_runner(tmp_path))
    fresh = tmp_path / 'fresh'
    fresh.mkdir()
    AtomicCheckpointHook(
        interval=4, by_epoch=False).before_run(resuming_runner(fresh))
    assert os.listdir(fresh) == []  # nothing to resume: start afresh


def test_a_good_pointer_and_plain_runs_are_left_alone(tmp_path):
    make_checkpoints(tmp_path)
    (tmp_path / 'last_checkpoint').write_text(str(tmp_path / 'iter_4.pth'))
    AtomicCheckpointHook(
        interval=4, by_epoch=False).before_run(resuming_runner(tmp_path))
    assert pointer(tmp_path) == str(tmp_path / 'iter_4.pth')
    (tmp_path / 'last_checkpoint').write_text('')
    AtomicCheckpointHook(
        interval=4, by_epoch=False).before_run(
            SimpleNamespace(work_dir=str(tmp_path), _resume=False))
    assert pointer(tmp_path) == ''


def test_the_tools_use_it_in_place_of_mmengines_hook():
    cfg = load_runner_config(TINY_CONFIG)
    assert cfg.default_hooks.checkpoint.type == 'AtomicCheckpointHook'
    assert cfg.default_hooks.checkpoint.interval == 4
