"""tools/analysis/davis_benchmark.py: rows, summaries and data (the runs
themselves take minutes each: that is the benchmark, not a test)."""
import importlib.util
import os.path as osp
from types import SimpleNamespace

import mmengine
import pytest
from mmengine.config import Config

from ..paths import REPO_ROOT, SHARED_DATA

SCRIPT = osp.join(REPO_ROOT, 'tools', 'analysis', 'davis_benchmark.py')
DAVIS = osp.join(SHARED_DATA, 'davis2016')


@pytest.fixture(scope='module')
def tool():
    spec = importlib.util.spec_from_file_location('davis_benchmark', SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _args(tmp_path, load_from=None, cfg_options=()):
    return SimpleNamespace(
        iters=100,
        work_dir=str(tmp_path),
        data='/data/davis2016',
        load_from=load_from,
        cfg_options=list(cfg_options))


def _config_with(tool, variant, args):
    from mmfvis.engine import apply_box_supervision
    cfg = Config.fromfile(tool.CONFIG)
    cfg.merge_from_dict(tool.variant_options(variant, args))
    return apply_box_supervision(cfg)


def _config(tool, variant, tmp_path):
    return _config_with(tool, variant, _args(tmp_path))


def test_rows_differ_only_in_their_loss_terms(tool, tmp_path):
    heads = {
        variant: _config(tool, variant, tmp_path).model.track_head
        for variant in tool.VARIANTS
    }
    weights = {
        variant: (head.loss_proj.loss_weight, head.loss_pair.loss_weight,
                  head.loss_temp.loss_weight)
        for variant, head in heads.items() if variant != tool.MASKS
    }
    assert weights == {
        'projection': (5.0, 0.0, 0.0),
        tool.BOXINST: (5.0, 5.0, 0.0),
        tool.MASKFREEVIS: (5.0, 5.0, 0.5),
    }
    assert heads[tool.MASKS].type == 'Mask2FormerTrackHead'
    assert heads[tool.MASKFREEVIS].type == 'BoxSupervisedMask2FormerTrackHead'


def test_every_row_starts_from_the_same_checkpoint(tool, tmp_path):
    for variant in tool.VARIANTS:
        scratch = tool.variant_options(variant, _args(tmp_path))
        loaded = tool.variant_options(variant, _args(tmp_path, 'a.pth'))
        assert (scratch['load_from'], loaded['load_from']) == (None, 'a.pth')


def test_overrides_reach_every_row_that_has_the_setting(tool, tmp_path):
    warmup = 'box_supervision.track_head.loss_pair.warmup_iters'
    args = _args(
        tmp_path,
        cfg_options=[f'{warmup}=1500', 'optim_wrapper.'
                     'optimizer.lr=0.001'])
    for variant in tool.VARIANTS:
        options = tool.variant_options(variant, args)
        assert options['optim_wrapper.optimizer.lr'] == 0.001
        assert options.get(warmup) == (None if variant == tool.MASKS else 1500)
    head = _config_with(tool, tool.BOXINST, args).model.track_head
    assert head.loss_pair.warmup_iters == 1500


def test_only_the_upper_bound_reads_masks(tool, tmp_path):
    for variant in tool.VARIANTS:
        dataset = _config(tool, variant, tmp_path).train_dataloader.dataset
        loads_masks = dataset.pipeline[1].transforms[1].with_mask
        assert loads_masks == (variant == tool.MASKS), variant
        assert dataset.ann_file.endswith('masks.json' if variant ==
                                         tool.MASKS else 'boxes.json')
        assert dataset.data_prefix.img_path == '/data/davis2016/JPEGImages'
    cfg = _config(tool, tool.MASKFREEVIS, tmp_path)
    assert cfg.train_cfg.max_iters == 100


def test_summary_gives_mean_and_spread_and_the_targets(tool):
    run = lambda ap: dict(  # noqa: E731
        segm_mAP=ap,
        segm_mAP_50=ap,
        segm_mAP_75=ap,
        train_seconds=60)
    rows = {
        tool.BOXINST: [run(0.30), run(0.34)],
        tool.MASKFREEVIS: [run(0.40), run(0.44)],
        tool.MASKS: [run(0.50)],
    }
    baseline = dict(segm_mAP=0.1, segm_mAP_50=0.3, segm_mAP_75=0.0)
    table = tool.summarise(rows, baseline)
    assert f'| {tool.MASKFREEVIS} | 2 | 0.420 ± 0.028 |' in table
    baseline_row = '| ground-truth boxes, filled | - | 0.100 | 0.300 | 0.000 |'
    assert baseline_row in table
    targets = tool.acceptance(rows, baseline)
    assert '4.20x' in targets
    assert '+0.100 AP, seed noise (largest std) 0.028' in targets
    assert '84%' in targets


@pytest.mark.skipif(
    not osp.isdir(DAVIS), reason=f'DAVIS-2016 not found at {DAVIS}')
def test_training_annotations_hold_no_mask(tool, tmp_path):
    tool.prepare_annotations(DAVIS, str(tmp_path))
    boxes = mmengine.load(tmp_path / 'annotations' / 'davis2016_boxes.json')
    masks = mmengine.load(tmp_path / 'annotations' / 'davis2016_masks.json')
    assert len(boxes['images']) == len(masks['images']) == 1376
    assert all('segmentation' not in a for a in boxes['annotations'])
    assert all('segmentation' in a for a in masks['annotations'])
