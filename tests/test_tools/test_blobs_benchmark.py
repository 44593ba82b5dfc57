"""tools/analysis/blobs_benchmark.py: its rows, and a tiny run end to end
(4 generated videos, 2 iterations)."""
import copy
import os.path as osp

import mmengine
import pytest

from ..paths import REPO_ROOT
from .conftest import run_tool
from .generated_runs import run_on_tiny_generated_videos
from .tool_loading import load_tool

SCRIPT = osp.join(REPO_ROOT, 'tools', 'analysis', 'blobs_benchmark.py')
BOX_TERMS = osp.join(REPO_ROOT, 'tools', 'analysis', 'box_terms_at_masks.py')


@pytest.fixture(scope='module')
def tool():
    return load_tool('analysis/blobs_benchmark.py')


def test_rows_are_the_box_rows_from_scratch_on_blob_videos(tool, tmp_path):
    from mmfvis.engine import apply_box_supervision
    args = tool.parse_args([
        '--data-root',
        str(tmp_path), '--rows', 'projection', 'maskfreevis', 'masks'
    ])
    specs = {spec.name: spec for spec in tool.plan(args)[0]}
    assert sorted(specs) == [
        'maskfreevis/seed0', 'maskfreevis/seed1', 'maskfreevis/seed2',
        'masks/seed0', 'projection/seed0', 'projection/seed1',
        'projection/seed2'
    ]
    configs = {}
    for name, spec in specs.items():
        cfg = copy.deepcopy(tool.overrides.base_config(tool.CONFIG))
        cfg.merge_from_dict(spec.options)
        configs[name] = apply_box_supervision(cfg)
    projection = configs['projection/seed0']
    assert projection.model.track_head.loss_pair.loss_weight == 0
    assert configs['maskfreevis/seed1'].model.track_head.loss_temp \
        .loss_weight == 0.5
    for name, cfg in configs.items():
        dataset = cfg.train_dataloader.dataset
        assert dataset.generate.style == 'blobs'
        assert dataset.data_root == str(tmp_path)
        assert cfg.load_from is None
        masks = name.startswith('masks')
        assert dataset.ann_file == ('annotations/train_mmdet.json' if masks
                                    else 'annotations/train_mmdet_boxes.json')
        assert dataset.pipeline[1].transforms[1].with_mask == masks
        assert cfg.train_cfg.max_iters == 2000


def test_from_masks_starts_every_box_row_from_mask_supervision(
        tool, tmp_path):
    from mmfvis.engine import apply_box_supervision
    args = tool.parse_args([
        '--data-root',
        str(tmp_path), '--work-dir',
        str(tmp_path / 'work'), '--rows', 'projection', 'boxinst', 'masks',
        '--seeds', '0', '1', '--from-masks', '30', '--iters', '20'
    ])
    start_wave, rows = tool.plan(args)
    start, = start_wave
    checkpoint = str(tmp_path / 'work' / 'masks' / 'seed0' / 'iter_30.pth')
    assert (start.name, start.checkpoint, start.test) == ('masks/seed0',
                                                          checkpoint, True)
    assert start.options['box_supervision'] is None
    assert start.options['train_cfg.max_iters'] == 30
    # the start is the masks row: no second mask-supervised run
    assert [spec.name for spec in rows] == [
        'projection/seed0', 'projection/seed1', 'boxinst/seed0',
        'boxinst/seed1'
    ]
    for spec in rows:
        cfg = copy.deepcopy(tool.overrides.base_config(tool.CONFIG))
        cfg.merge_from_dict(spec.options)
        cfg = apply_box_supervision(cfg)
        assert cfg.load_from == checkpoint
        assert cfg.train_cfg.max_iters == 20
        assert cfg.train_dataloader.dataset.ann_file == \
            'annotations/train_mmdet_boxes.json'
    assert tool.settings(args)['from_masks'] == 30
    assert 'from_masks' not in tool.settings(
        tool.parse_args(['--data-root', str(tmp_path)]))


@pytest.mark.slow
def test_tiny_run_end_to_end(tmp_path):
    """Two box rows on 4 generated videos: they train from a file without
    any mask, are evaluated for mask AP and J&F, the table and per-run
    figures are written."""
    results_md = run_on_tiny_generated_videos(SCRIPT, tmp_path, '--seeds', '0',
                                              '--rows', 'projection',
                                              'boxinst')
    for row in ('projection', 'boxinst'):
        metrics = mmengine.load(tmp_path / 'work' / row / 'seed0' /
                                'metrics.json')
        assert metrics['train_videos'] == 4
        assert metrics['train_annotations_with_mask'] == 0
        assert metrics['test_videos'] == 2
        assert 0 <= metrics['J&F'] <= 1 and 0 <= metrics['J'] <= 1
        assert 0 <= metrics['segm_mAP'] <= 1
    text = results_md.read_text()
    row = next(line for line in text.splitlines()
               if line.startswith('| projection + pairwise (BoxInst) | 1 |'))
    # mask AP, AP50, AP75, J&F, J: each a mean ± std over the one seed
    assert row.count(' ± 0.000') == 5
    filled = next(line for line in text.splitlines()
                  if line.startswith('| ground-truth boxes, filled | - |'))
    assert '| - | - |' not in filled  # its J&F and J evaluated too
    assert "style 'blobs'" in text
    # the box terms at the run's masks and at the truth, from its directory
    figures_file = tmp_path / 'box_terms.json'
    run_dir = str(tmp_path / 'work' / 'boxinst' / 'seed0')
    run_tool([BOX_TERMS, run_dir, '--json', str(figures_file)],
             cwd=str(tmp_path))
    figures = mmengine.load(figures_file)[run_dir]
    assert figures['model']['object_frames'] == \
        figures['truth']['object_frames'] > 0
    assert figures['truth']['empty_share'] == 0
    for kind in ('model', 'truth'):
        assert 0 <= figures[kind]['projection_dice'] <= 2
        assert 0 <= figures[kind]['cut_share'] <= 1
