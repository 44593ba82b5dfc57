"""tools/analysis/ablation: what the loss-ablation tools share."""
import importlib
import json
import os.path as osp
import shutil

import cv2
import numpy as np
import pytest
from mmengine.config import Config

from ..paths import CONFIG_DIR, REPO_ROOT
from .tool_loading import load_tool_package

DAVIS_CONFIG = osp.join(CONFIG_DIR, 'benchmarks', 'mfvis_davis_cpu.py')
BLOBS_CONFIG = osp.join(CONFIG_DIR, 'benchmarks', 'mfvis_blobs_cpu.py')
RESULTS = osp.join(REPO_ROOT, 'docs', 'benchmarks', 'results')


def _module(name):
    load_tool_package('analysis/ablation')
    return importlib.import_module(f'ablation.{name}')


(colour_pairs, markdown, overrides, records, scheduler, specs, summary,
 worker) = (
     _module(name)
     for name in ('colour_pairs', 'markdown', 'overrides', 'records',
                  'scheduler', 'specs', 'summary', 'worker'))


def _run(ap, jf=None):
    run = dict(segm_mAP=ap, segm_mAP_50=ap, segm_mAP_75=ap, train_seconds=60)
    if jf is not None:
        run.update({'J&F': jf, 'J': jf + 0.01})
    return run


def test_summary_gives_mean_and_spread():
    rows = [('a', [_run(0.40, 0.6), _run(0.44, 0.7)]), ('b', [_run(0.5)]),
            ('c', [])]
    baselines = {'filled': dict(segm_mAP=0.1, segm_mAP_50=0.3, segm_mAP_75=0)}
    table = markdown.summary_table(rows, baselines)
    assert table.splitlines()[0] == (
        '| row | seeds | mask AP | AP50 | AP75 | J&F | J | train min/run |')
    assert ('| a | 2 | 0.420 ± 0.028 | 0.420 ± 0.028 | 0.420 ± 0.028 | '
            '0.650 ± 0.071 | 0.660 ± 0.071 | 1.0 |') in table
    # a run made before J&F was evaluated
    assert '| b | 1 | 0.500 ± 0.000 | 0.500 ± 0.000 | 0.500 ± 0.000 | - | - ' \
        '| 1.0 |' in table
    assert '| filled | - | 0.100 | 0.300 | 0.000 | - | - | - |' in table
    assert '| c |' not in table


def test_a_row_mixing_runs_with_and_without_j_and_f_shows_none():
    table = markdown.summary_table([('a', [_run(0.4, 0.6), _run(0.4)])], {})
    assert table.splitlines()[2].split(' | ')[1:7] == [
        '2', '0.400 ± 0.000', '0.400 ± 0.000', '0.400 ± 0.000', '-', '-'
    ]


def test_per_run_table_has_j_and_f_beside_ap():
    table = markdown.per_run_table({
        'x/seed0': dict(_run(0.3, 0.5), iters=9),
        'y/seed0': _run(0.2)
    })
    lines = table.splitlines()
    assert lines[0].startswith('| run | mask AP | AP50 | AP75 | J&F | J |')
    assert lines[2].startswith('| x/seed0 | 0.300 | 0.300 | 0.300 | 0.500 | '
                               '0.510 | 9 |')
    assert lines[3].startswith('| y/seed0 | 0.200 | 0.200 | 0.200 | - | - |')
    assert all(line.count('|') == lines[0].count('|') for line in lines)


def test_a_gap_counts_only_beyond_the_seed_noise():
    met = summary.gap_check(('a', [_run(0.40), _run(0.44)]),
                            ('b', [_run(0.30), _run(0.31)]))
    assert '+0.115 AP, seed noise (larger std) 0.028: target met' in met
    missed = summary.gap_check(('a', [_run(0.40), _run(0.50)]),
                               ('b', [_run(0.40), _run(0.41)]))
    assert '+0.045 AP' in missed and 'target missed' in missed
    assert summary.gap_check(('a', [_run(0.4)]), ('b', [])) is None
    single = summary.gap_check(('a', [_run(0.5)]),
                               ('b', [_run(0.30), _run(0.31)]))
    assert 'target undecided (a row has one seed' in single
    below = summary.gap_check(('a', [_run(0.2)]),
                              ('b', [_run(0.30), _run(0.31)]))
    assert 'target missed' in below


def test_records_refuse_runs_of_other_settings(tmp_path):
    results = str(tmp_path / 'results.json')
    done = records.Records(results, str(tmp_path / 'work'), dict(iters=5))
    done.runs['projection/seed0'] = _run(0.3)
    done.save()
    again = records.Records(results, str(tmp_path / 'work'), dict(iters=5))
    assert again.runs == {'projection/seed0': _run(0.3)}
    with pytest.raises(
            SystemExit,
            match='results.json: this results file '
            'holds runs of other settings .iters: 5 there, 6 now'):
        records.Records(results, str(tmp_path / 'other'), dict(iters=6))
    with pytest.raises(SystemExit, match='this work directory holds runs'):
        records.Records(
            str(tmp_path / 'new.json'), str(tmp_path / 'work'), dict(iters=6))


def test_a_report_reads_runs_of_another_config_text_only(tmp_path):
    results = str(tmp_path / 'results.json')
    saved = dict(iters=5, config_digest='old')
    made = records.Records(results, str(tmp_path / 'work'), saved)
    made.runs['projection/seed0'] = _run(0.3)
    made.save()
    now = dict(iters=5, config_digest='new')
    with pytest.raises(SystemExit, match="config_digest: 'old' there"):
        records.Records(results, str(tmp_path / 'work'), now)
    report = records.Records(
        results, str(tmp_path / 'work'), now, reading_only=True)
    assert report.runs == {'projection/seed0': _run(0.3)}
    report.save()
    # the runs stay tied to the settings they were made under
    assert json.loads(open(results).read())['settings'] == saved
    with pytest.raises(SystemExit, match='iters: 5 there, 6 now'):
        records.Records(
            results,
            str(tmp_path / 'work'),
            dict(now, iters=6),
            reading_only=True)
    records.Records(
        str(tmp_path / 'other.json'),
        str(tmp_path / 'fresh'),
        now,
        reading_only=True)
    assert not (tmp_path / 'fresh' / 'settings.json').exists()


@pytest.mark.parametrize('name', ['blobs', 'davis_transfer_214'])
def test_committed_results_are_read_by_a_report(tmp_path, name):
    """The results files under docs/benchmarks/results/, made before J&F
    was evaluated and under the config text of then, still make a table."""
    results = str(tmp_path / f'{name}.json')
    shutil.copy(osp.join(RESULTS, f'{name}.json'), results)
    saved = json.loads(open(results).read())
    config = BLOBS_CONFIG if name == 'blobs' else DAVIS_CONFIG
    now = dict(
        saved['settings'], config_digest=overrides.config_digest(config))
    report = records.Records(
        results, str(tmp_path / 'work'), now, reading_only=True)
    rows = [(label, report.runs_of(row))
            for row, label in specs.LABELS.items()]
    table = markdown.summary_table(rows, report.baselines)
    maskfreevis = [
        line for line in table.splitlines()
        if line.startswith(f"| {specs.LABELS['maskfreevis']} |")
    ]
    assert len(maskfreevis) == 1
    assert maskfreevis[0].split(' | ')[5:7] == ['-', '-']


def test_section_replaces_only_its_own_text(tmp_path):
    md_file = str(tmp_path / 'benchmarks.md')
    markdown.write_section(md_file, 'x', 'first')
    with open(md_file) as f:
        text = f.read()
    with open(md_file, 'w') as f:
        f.write('# Title\n\nbefore\n\n' + text + '\nafter\n')
    markdown.write_section(md_file, 'x', 'second')
    markdown.write_section(md_file, 'y', 'other')
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
        tmp_path, monkeypatch):
    work_dir = str(tmp_path / 'work')
    checkpoint = str(tmp_path / 'stage1.pth')
    stage1 = specs.RunSpec(
        'stage1/seed0', 'stage1', 0, test=False, checkpoint=checkpoint)
    rows = [specs.RunSpec(f'row/seed{k}', 'row', k) for k in range(3)]
    done = records.Records(str(tmp_path / 'results.json'), work_dir, dict(a=1))
    done.runs['row/seed2'] = _run(0.2)  # recorded on another machine
    log, refreshed = [], []
    monkeypatch.setattr(scheduler, 'launch', _fake_launch(log))
    errors = scheduler.execute([[stage1], rows], done, 2,
                               lambda: refreshed.append(1), ['tool'])
    assert errors == []
    # the lone first stage gets both threads, then two runs one each
    assert log[0] == ('stage1/seed0', 2)
    assert sorted(log[1:]) == [('row/seed0', 1), ('row/seed1', 1)]
    assert len(refreshed) == 3
    assert set(
        done.runs) == {'stage1/seed0', 'row/seed0', 'row/seed1', 'row/seed2'}
    log.clear()
    import os
    os.remove(checkpoint)
    scheduler.execute([[stage1], rows], done, 2, lambda: None, ['tool'])
    assert log == []  # every row done: no first stage either


def test_a_failed_run_is_reported_and_stops_the_later_waves(
        tmp_path, monkeypatch):

    def launch(spec, work_dir, threads, tool_command):
        raise RuntimeError(f'{spec.name} failed')

    monkeypatch.setattr(scheduler, 'launch', launch)
    done = records.Records(str(tmp_path / 'r.json'), str(tmp_path / 'w'), {})
    later = specs.RunSpec('row/seed0', 'row', 0)
    errors = scheduler.execute(
        [[specs.RunSpec('s/seed0', 's', 0, checkpoint='missing.pth')], [later]
         ], done, 1, lambda: None, ['tool'])
    assert errors == ['s/seed0 failed']


def test_loss_curves_are_the_last_layers_terms(tmp_path):
    vis_data = tmp_path / 'vis_data'
    vis_data.mkdir()
    # (iteration, loss, loss_proj, loss_pair, d0.loss_proj)
    logged = ((10, 9.0, 2.0, 0.5, 3.0), (20, 8.0, 1.5, 0.4, 2.5))
    lines = [
        dict(
            iter=step,
            lr=1e-4,
            loss=loss,
            loss_proj=proj,
            loss_pair=pair,
            **{'d0.loss_proj': first_layer})
        for step, loss, proj, pair, first_layer in logged
    ] + [{
        'coco/segm_mAP': 0.2,
        'step': 20
    }]  # a test-time entry
    (vis_data / 'scalars.json').write_text('\n'.join(
        json.dumps(line) for line in lines))
    assert worker.loss_curves(str(tmp_path)) == dict(
        loss_proj=[(10, 2.0), (20, 1.5)], loss_pair=[(10, 0.5), (20, 0.4)])
    assert worker.loss_curves(str(tmp_path / 'none')) == {}


def test_rows_set_their_loss_weights_and_mask_loading():
    pipeline = Config.fromfile(DAVIS_CONFIG).train_dataloader.dataset.pipeline
    extra = {
        'optim_wrapper.optimizer.lr': 1e-3,
        'box_supervision.track_head.loss_pair.warmup_iters': 9
    }
    boxinst = overrides.row_options('boxinst', pipeline, extra)
    assert boxinst['box_supervision.track_head.loss_temp.loss_weight'] == 0
    assert 'box_supervision.track_head.loss_pair.loss_weight' not in boxinst
    assert boxinst['box_supervision.track_head.loss_pair.warmup_iters'] == 9
    loaded = boxinst['train_dataloader.dataset.pipeline'][1]['transforms'][1]
    assert loaded == dict(type='LoadTrackAnnotations', with_mask=False)
    masks = overrides.row_options('masks', pipeline, extra)
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


def test_mask_quality_is_evaluated_after_the_configs_metric():
    ap = dict(type='YouTubeVISMaskMetric', metric='segm')
    assert overrides.with_mask_quality(ap) == [ap, dict(type='TrackJFMetric')]
    both = overrides.with_mask_quality([ap, dict(type='TrackJFMetric')])
    assert both == [ap, dict(type='TrackJFMetric')]
    assert overrides.with_mask_quality(both) == both


def test_dataset_colour_pair_share_against_a_count_by_hand(tmp_path):
    # 16 x 32 frame, logits 4 x 8: columns 0-3 black, 4-7 white
    frame = np.zeros((16, 32, 3), np.uint8)
    frame[:, 16:] = 255
    path = str(tmp_path / 'frame.png')
    cv2.imwrite(path, frame)
    box = [0, 0, 8, 16]  # logit columns 0 and 1
    share = colour_pairs.dataset_colour_pair_share(
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
    half = colour_pairs.dataset_colour_pair_share(
        _OneFrame(path, [box]), (16, 8), dict(dilation=2))
    assert half['logit_rows'] == 2
