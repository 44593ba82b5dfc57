"""tools/analysis/ablation_runs.py: what the loss-ablation tools share."""
import json
import os.path as osp

import cv2
import numpy as np
import pytest
from mmengine.config import Config

from ..paths import CONFIG_DIR
from .tool_loading import load_tool

DAVIS_CONFIG = osp.join(CONFIG_DIR, 'benchmarks', 'mfvis_davis_cpu.py')


@pytest.fixture(scope='module')
def ablation():
    return load_tool('analysis/ablation_runs.py')


def _run(ap):
    return dict(segm_mAP=ap, segm_mAP_50=ap, segm_mAP_75=ap, train_seconds=60)


def test_summary_gives_mean_and_spread(ablation):
    rows = [('a', [_run(0.40), _run(0.44)]), ('b', [_run(0.5)]), ('c', [])]
    baselines = {'filled': dict(segm_mAP=0.1, segm_mAP_50=0.3, segm_mAP_75=0)}
    table = ablation.summary_table(rows, baselines)
    assert '| a | 2 | 0.420 ± 0.028 | 0.420 ± 0.028 | 0.420 ± 0.028 | 1.0 |' \
        in table
    assert '| b | 1 | 0.500 ± 0.000 |' in table
    assert '| filled | - | 0.100 | 0.300 | 0.000 | - |' in table
    assert '| c |' not in table


def test_a_gap_counts_only_beyond_the_seed_noise(ablation):
    met = ablation.gap_check(('a', [_run(0.40), _run(0.44)]),
                             ('b', [_run(0.30), _run(0.31)]))
    assert '+0.115 AP, seed noise (larger std) 0.028: target met' in met
    missed = ablation.gap_check(('a', [_run(0.40), _run(0.50)]),
                                ('b', [_run(0.40), _run(0.41)]))
    assert '+0.045 AP' in missed and 'target missed' in missed
    assert ablation.gap_check(('a', [_run(0.4)]), ('b', [])) is None
    single = ablation.gap_check(('a', [_run(0.5)]),
                                ('b', [_run(0.30), _run(0.31)]))
    assert 'target undecided (a row has one seed' in single
    below = ablation.gap_check(('a', [_run(0.2)]),
                               ('b', [_run(0.30), _run(0.31)]))
    assert 'target missed' in below


def test_records_refuse_runs_of_other_settings(ablation, tmp_path):
    results = str(tmp_path / 'results.json')
    records = ablation.Records(results, str(tmp_path / 'work'), dict(iters=5))
    records.runs['projection/seed0'] = _run(0.3)
    records.save()
    again = ablation.Records(results, str(tmp_path / 'work'), dict(iters=5))
    assert again.runs == {'projection/seed0': _run(0.3)}
    with pytest.raises(
            SystemExit,
            match='results.json: this results file '
            'holds runs of other settings .iters: 5 there, 6 now'):
        ablation.Records(results, str(tmp_path / 'other'), dict(iters=6))
    with pytest.raises(SystemExit, match='this work directory holds runs'):
        ablation.Records(
            str(tmp_path / 'new.json'), str(tmp_path / 'work'), dict(iters=6))


def test_section_replaces_only_its_own_text(ablation, tmp_path):
    md_file = str(tmp_path / 'benchmarks.md')
    ablation.write_section(md_file, 'x', 'first')
    with open(md_file) as f:
        text = f.read()
    with open(md_file, 'w') as f:
        f.write('# Title\n\nbefore\n\n' + text + '\nafter\n')
    ablation.write_section(md_file, 'x', 'second')
    ablation.write_section(md_file, 'y', 'other')
    with open(md_file) as f:
        text = f.read()
    assert text.startswith('# Title\n\nbefore\n\n<!-- x: begin')
    assert 'second\n<!-- x: end -->\n\nafter' in text
    assert 'first' not in text
    assert text.rstrip().endswith('other\n<!-- y: end -->')


def _fake_launch(log):

    def launch(spec, work_dir, threads, tool_command):
        log.append((spec.name, threads))
        if spec.checkpoint:
            open(spec.checkpoint, 'w').close()
        ablation_dir = osp.join(work_dir, spec.name)
        import mmengine
        mmengine.mkdir_or_exist(ablation_dir)
        with open(osp.join(ablation_dir, 'metrics.json'), 'w') as f:
            json.dump(_run(0.1), f)

    return launch


def test_runs_done_are_skipped_and_a_first_stage_runs_only_if_needed(
        ablation, tmp_path, monkeypatch):
    work_dir = str(tmp_path / 'work')
    checkpoint = str(tmp_path / 'stage1.pth')
    stage1 = ablation.RunSpec(
        'stage1/seed0', 'stage1', 0, test=False, checkpoint=checkpoint)
    rows = [ablation.RunSpec(f'row/seed{k}', 'row', k) for k in range(3)]
    records = ablation.Records(
        str(tmp_path / 'results.json'), work_dir, dict(a=1))
    records.runs['row/seed2'] = _run(0.2)  # recorded on another machine
    log, refreshed = [], []
    monkeypatch.setattr(ablation, 'launch', _fake_launch(log))
    errors = ablation.execute([[stage1], rows], records, 2,
                              lambda: refreshed.append(1), ['tool'])
    assert errors == []
    # the lone first stage gets both threads, then two runs one each
    assert log[0] == ('stage1/seed0', 2)
    assert sorted(log[1:]) == [('row/seed0', 1), ('row/seed1', 1)]
    assert len(refreshed) == 3
    assert set(records.runs) == {
        'stage1/seed0', 'row/seed0', 'row/seed1', 'row/seed2'
    }
    log.clear()
    import os
    os.remove(checkpoint)
    ablation.execute([[stage1], rows], records, 2, lambda: None, ['tool'])
    assert log == []  # every row done: no first stage either


def test_a_failed_run_is_reported_and_stops_the_later_waves(
        ablation, tmp_path, monkeypatch):

    def launch(spec, work_dir, threads, tool_command):
        raise RuntimeError(f'{spec.name} failed')

    monkeypatch.setattr(ablation, 'launch', launch)
    records = ablation.Records(
        str(tmp_path / 'r.json'), str(tmp_path / 'w'), {})
    later = ablation.RunSpec('row/seed0', 'row', 0)
    errors = ablation.execute(
        [[ablation.RunSpec('s/seed0', 's', 0, checkpoint='missing.pth')],
         [later]], records, 1, lambda: None, ['tool'])
    assert errors == ['s/seed0 failed']


def test_loss_curves_are_the_last_layers_terms(ablation, tmp_path):
    vis_data = tmp_path / 'vis_data'
    vis_data.mkdir()
    lines = [
        dict(
            iter=10,
            lr=1e-4,
            loss=9.0,
            loss_proj=2.0,
            loss_pair=0.5,
            **{'d0.loss_proj': 3.0}),
        dict(
            iter=20,
            lr=1e-4,
            loss=8.0,
            loss_proj=1.5,
            loss_pair=0.4,
            **{'d0.loss_proj': 2.5}),
        {
            'coco/segm_mAP': 0.2,
            'step': 20
        },
    ]
    (vis_data / 'scalars.json').write_text('\n'.join(
        json.dumps(line) for line in lines))
    assert ablation.loss_curves(str(tmp_path)) == dict(
        loss_proj=[(10, 2.0), (20, 1.5)], loss_pair=[(10, 0.5), (20, 0.4)])
    assert ablation.loss_curves(str(tmp_path / 'none')) == {}


def test_rows_set_their_loss_weights_and_mask_loading(ablation):
    pipeline = Config.fromfile(DAVIS_CONFIG).train_dataloader.dataset.pipeline
    overrides = {
        'optim_wrapper.optimizer.lr': 1e-3,
        'box_supervision.track_head.loss_pair.warmup_iters': 9
    }
    boxinst = ablation.row_options('boxinst', pipeline, overrides)
    assert boxinst['box_supervision.track_head.loss_temp.loss_weight'] == 0
    assert 'box_supervision.track_head.loss_pair.loss_weight' not in boxinst
    assert boxinst['box_supervision.track_head.loss_pair.warmup_iters'] == 9
    loaded = boxinst['train_dataloader.dataset.pipeline'][1]['transforms'][1]
    assert loaded == dict(type='LoadTrackAnnotations', with_mask=False)
    masks = ablation.row_options('masks', pipeline, overrides)
    assert masks['box_supervision'] is None
    assert masks['model.track_head.num_frames'] == 3
    assert masks['optim_wrapper.optimizer.lr'] == 1e-3
    assert not any(key.startswith('box_supervision.') for key in masks)
    assert masks['train_dataloader.dataset.pipeline'][1]['transforms'][1][
        'with_mask']


class _OneFrame:
    """A dataset of one frame, as the tools' datasets give it."""

    def __init__(self, path, boxes):
        self.info = dict(images=[
            dict(img_path=path, instances=[dict(bbox=b) for b in boxes])
        ])

    def __len__(self):
        return 1

    def get_data_info(self, index):
        return self.info


def test_colour_pair_share_against_a_count_by_hand(ablation, tmp_path):
    # 16 x 32 frame, logits 4 x 8: columns 0-3 black, 4-7 white
    frame = np.zeros((16, 32, 3), np.uint8)
    frame[:, 16:] = 255
    path = str(tmp_path / 'frame.png')
    cv2.imwrite(path, frame)
    box = [0, 0, 8, 16]  # logit columns 0 and 1
    share = ablation.colour_pair_share(
        _OneFrame(path, [box]), (32, 16), dict(dilation=2))
    offsets = [(dy, dx) for dy in (-2, 0, 2) for dx in (-2, 0, 2)
               if (dy, dx) != (0, 0)]
    passed = pairs = passed_in_box = pairs_in_box = 0
    for y in range(4):
        for x in range(8):
            for dy, dx in offsets:
                if 0 <= y + dy < 4 and 0 <= x + dx < 8:
                    same = (x < 4) == (x + dx < 4)
                    passed += same
                    pairs += 1
                    if x < 2:
                        passed_in_box += same
                        pairs_in_box += 1
    assert share['all'] == pytest.approx(passed / pairs)
    assert share['in_boxes'] == pytest.approx(passed_in_box / pairs_in_box)
    assert share['logit_rows'] == 4 and share['frames'] == 1
    half = ablation.colour_pair_share(
        _OneFrame(path, [box]), (16, 8), dict(dilation=2))
    assert half['logit_rows'] == 2
