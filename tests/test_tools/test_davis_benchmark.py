"""tools/analysis/davis_benchmark.py: the transfer protocol's split, runs
and data; a tiny split end to end (the benchmark's runs take an hour each:
that is the benchmark, not a test)."""
import copy
import json
import os.path as osp

import mmengine
import pytest

from ..paths import REPO_ROOT, SHARED_DATA
from .conftest import run_tool
from .tool_loading import load_tool

DAVIS = osp.join(SHARED_DATA, 'davis2016')
SCRIPT = osp.join(REPO_ROOT, 'tools', 'analysis', 'davis_benchmark.py')
needs_davis = pytest.mark.skipif(
    not osp.isdir(DAVIS), reason=f'DAVIS-2016 not found at {DAVIS}')


@pytest.fixture(scope='module')
def tool():
    return load_tool('analysis/davis_benchmark.py')


def _args(tool, tmp_path, *extra):
    args = tool.parse_args([
        '--work-dir',
        str(tmp_path), '--data', '/data/davis2016', '--iters', '100',
        '--init-iters', '300', *extra
    ])
    args.work_dir = str(tmp_path)
    return args


def _specs(tool, args):
    return {spec.name: spec for wave in tool.plan(args) for spec in wave}


def _config(tool, spec):
    from mmfvis.engine import apply_box_supervision
    cfg = copy.deepcopy(tool.overrides.base_config(tool.CONFIG))
    cfg.merge_from_dict(spec.options)
    return apply_box_supervision(cfg)


def _official(names):
    return dict(
        videos=[
            dict(id=i + 1, file_names=[f'{name}/00000.jpg'])
            for i, name in enumerate(names)
        ],
        annotations=[])


def test_default_split_is_odd_ids_init_even_ids_target(tool, tmp_path):
    official = _official(['a', 'b', 'c', 'd', 'e'])
    assert tool.split_videos(_args(tool, tmp_path), official) == ([1, 3,
                                                                   5], [2, 4])


def test_split_by_names_or_ids_and_the_rest(tool, tmp_path):
    official = _official(['a', 'b', 'c', 'd'])
    args = _args(tool, tmp_path, '--init-videos', 'c', '1')
    assert tool.split_videos(args, official) == ([1, 3], [2, 4])
    args = _args(tool, tmp_path, '--target-videos', 'b')
    assert tool.split_videos(args, official) == ([1, 3, 4], [2])
    args = _args(tool, tmp_path, '--init-videos', 'a', '--target-videos', 'd')
    assert tool.split_videos(args, official) == ([1], [4])


def test_a_bad_split_is_refused_with_its_videos(tool, tmp_path):
    official = _official(['a', 'b', 'c'])
    args = _args(tool, tmp_path, '--init-videos', 'zebra')
    with pytest.raises(
            SystemExit,
            match="--init-videos: no video 'zebra' in "
            r'.*davis2016_ytvis.json \(its videos: 1 a, 2 b, 3 c'):
        tool.split_videos(args, official)
    args = _args(tool, tmp_path, '--init-videos', 'a', 'b', '--target-videos',
                 'b', 'c')
    with pytest.raises(SystemExit, match=r"share \['b'\]"):
        tool.split_videos(args, official)
    args = _args(tool, tmp_path, '--init-videos', 'a', 'b', 'c')
    with pytest.raises(SystemExit, match='need a video'):
        tool.split_videos(args, official)


def test_rows_differ_only_in_their_loss_terms(tool, tmp_path):
    specs = _specs(tool, _args(tool, tmp_path))
    heads = {
        name.split('/')[0]: _config(tool, spec).model.track_head
        for name, spec in specs.items()
    }
    weights = {
        row: (head.loss_proj.loss_weight, head.loss_pair.loss_weight,
              head.loss_temp.loss_weight)
        for row, head in heads.items()
        if head.type == 'BoxSupervisedMask2FormerTrackHead'
    }
    assert weights == {
        'projection': (5.0, 0.0, 0.0),
        'boxinst': (5.0, 5.0, 0.0),
        'maskfreevis': (5.0, 5.0, 0.5),
    }
    for row in ('stage1', 'stage1_as_is', 'masks'):
        assert heads[row].type == 'Mask2FormerTrackHead'
    assert sorted(specs) == [
        'boxinst/seed0', 'boxinst/seed1', 'boxinst/seed2', 'maskfreevis/seed0',
        'maskfreevis/seed1', 'maskfreevis/seed2', 'masks/seed0',
        'projection/seed0', 'projection/seed1', 'projection/seed2',
        'stage1/seed0', 'stage1_as_is/seed0'
    ]


def test_every_row_starts_from_stage_1_and_only_mask_rows_read_masks(
        tool, tmp_path):
    specs = _specs(tool, _args(tool, tmp_path, '--size', '214', '120'))
    checkpoint = str(tmp_path / 'stage1' / 'seed0' / 'iter_300.pth')
    assert specs['stage1/seed0'].checkpoint == checkpoint
    for name, spec in specs.items():
        cfg = _config(tool, spec)
        row = name.split('/')[0]
        train = cfg.train_dataloader.dataset
        loads_masks = train.pipeline[1].transforms[1].with_mask
        assert loads_masks == (row in ('stage1', 'stage1_as_is', 'masks'))
        expected = dict(
            stage1='init_masks.json',
            stage1_as_is='target_masks.json',
            masks='target_masks.json').get(row, 'target_boxes.json')
        assert train.ann_file == f'annotations/{expected}', name
        assert train.data_prefix.img_path == '/data/davis2016/JPEGImages'
        assert cfg.test_dataloader.dataset.ann_file == \
            'annotations/target_masks.json'
        assert train.pipeline[1].transforms[2].scale == (214, 120)
        assert cfg.test_dataloader.dataset.pipeline[0].transforms[1].scale \
            == (214, 120)
        assert cfg.load_from == (None if row == 'stage1' else checkpoint)
        assert cfg.train_cfg.max_iters == (300 if row == 'stage1' else 100)
    assert not specs['stage1_as_is/seed0'].train
    assert not specs['stage1/seed0'].test


def test_overrides_reach_the_runs_they_are_for(tool, tmp_path):
    warmup = 'box_supervision.track_head.loss_pair.warmup_iters'
    args = _args(tool, tmp_path, '--cfg-options', f'{warmup}=1500',
                 'optim_wrapper.optimizer.lr=0.001', '--init-cfg-options',
                 'optim_wrapper.optimizer.lr=0.002')
    specs = _specs(tool, args)
    lrs = {
        name: spec.options.get('optim_wrapper.optimizer.lr')
        for name, spec in specs.items()
    }
    assert lrs.pop('stage1/seed0') == 0.002
    assert lrs.pop('stage1_as_is/seed0') is None
    assert set(lrs.values()) == {0.001}
    assert specs['boxinst/seed0'].options[warmup] == 1500
    assert warmup not in specs['masks/seed0'].options
    head = _config(tool, specs['boxinst/seed1']).model.track_head
    assert head.loss_pair.warmup_iters == 1500


def test_num_frames_sets_every_training_clip_and_mmdets_head(tool, tmp_path):
    args = _args(tool, tmp_path, '--num-frames', '5')
    for name, spec in _specs(tool, args).items():
        cfg = _config(tool, spec)
        assert cfg.train_dataloader.dataset.pipeline[0].num_frames == 5, name
        if cfg.model.track_head.type == 'Mask2FormerTrackHead':
            # mmdet's head needs the clip length; mmfvis's reads the data
            assert cfg.model.track_head.num_frames == 5, name
    official = _official(['a', 'b'])
    assert tool.settings(args, official, [1], [2])['num_frames'] == 5
    default = _args(tool, tmp_path)
    # the config's own clip length is in its digest: results made before
    # the option existed stay valid
    assert 'num_frames' not in tool.settings(default, official, [1], [2])
    for spec in _specs(tool, default).values():
        assert _config(
            tool, spec).train_dataloader.dataset.pipeline[0].num_frames == 3


@needs_davis
def test_split_annotations_hold_their_videos_and_box_rows_no_mask(
        tool, tmp_path):
    official = tool.load_official(DAVIS)
    tool.prepare_annotations(official, [1, 3], [2], str(tmp_path))
    files = {
        name: mmengine.load(tmp_path / 'annotations' / f'{name}.json')
        for name in ('init_masks', 'target_masks', 'target_boxes')
    }
    assert [v['name'] for v in files['init_masks']['videos']
            ] == ['blackswan', 'breakdance']
    assert len(files['target_boxes']['images']) == 80  # bmx-trees
    assert files['target_masks']['images'] == files['target_boxes']['images']
    assert all('segmentation' not in a
               for a in files['target_boxes']['annotations'])
    assert all('segmentation' in a
               for a in files['target_masks']['annotations'])


@needs_davis
@pytest.mark.slow
def test_tiny_split_end_to_end(tmp_path):
    """Stage 1 on one video, MaskFreeVIS on another, 2 iterations each: the
    box row trains from a file without any mask, stage 1 from masks; the
    results are written, with the command; --report draws."""
    results_md = tmp_path / 'docs' / 'transfer.md'
    command = [
        SCRIPT, '--init-videos', 'blackswan', '--target-videos', 'car-shadow',
        '--size', '107', '60', '--iters', '2', '--init-iters', '2', '--seeds',
        '0', '--rows', 'maskfreevis', '--jobs', '2', '--work-dir',
        str(tmp_path / 'work'), '--results-md',
        str(results_md)
    ]
    run_tool(command, cwd=str(tmp_path), timeout=600)
    metrics = {
        row: mmengine.load(tmp_path / 'work' / row / 'seed0' / 'metrics.json')
        for row in ('stage1', 'maskfreevis')
    }
    assert metrics['maskfreevis']['train_annotations_with_mask'] == 0
    assert metrics['stage1']['train_annotations_with_mask'] == 50
    assert metrics['stage1']['threads'] == 2
    assert metrics['maskfreevis']['test_frames'] == 40
    assert set(metrics['maskfreevis']['curves']) == {
        'loss_cls', 'loss_proj', 'loss_pair', 'loss_temp'
    }
    assert 0 <= metrics['maskfreevis']['J&F'] <= 1
    text = results_md.read_text()
    assert '| projection + pairwise + TK (MaskFreeVIS) | 1 |' in text
    assert 'logits 15 rows' in text
    with open(tmp_path / 'docs' / 'transfer.json') as f:
        assert set(
            json.load(f)['runs']) == {'stage1/seed0', 'maskfreevis/seed0'}
    run_tool([*command, '--report'], cwd=str(tmp_path), timeout=600)
    figures = tmp_path / 'docs' / 'transfer'
    assert {p.name
            for p in figures.iterdir()
            } == {'loss_curves.png', 'maskfreevis.jpg'}
    text = results_md.read_text()
    assert '(transfer/maskfreevis.jpg)' in text
    # the command that ran the runs, not the report's
    commands = [
        line for line in text.splitlines() if line.startswith('    python ')
    ]
    assert len(commands) == 1 and '--report' not in commands[0]
    assert '--init-videos blackswan --target-videos car-shadow' in commands[0]
