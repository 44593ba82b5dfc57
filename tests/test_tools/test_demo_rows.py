"""tools/analysis/demo_rows.py: the demo's recipe with each row of losses,
and a tiny run end to end (4 generated videos, 2 iterations)."""
import copy
import json
import os.path as osp

import mmengine
import pytest

from ..paths import REPO_ROOT
from .generated_runs import run_on_tiny_generated_videos
from .tool_loading import load_tool

SCRIPT = osp.join(REPO_ROOT, 'tools', 'analysis', 'demo_rows.py')


@pytest.fixture(scope='module')
def tool():
    return load_tool('analysis/demo_rows.py')


def _configs(tool, args):
    from mmfvis.engine import apply_box_supervision
    configs = {}
    for spec in tool.plan(args)[0]:
        cfg = copy.deepcopy(tool.overrides.base_config(tool.CONFIG))
        cfg.merge_from_dict(spec.options)
        configs[spec.name] = apply_box_supervision(cfg)
    return configs


def _applied(config):
    from mmengine.config import Config

    from mmfvis.engine import apply_box_supervision
    return apply_box_supervision(Config.fromfile(config))


def test_rows_are_the_demo_with_its_loss_terms_turned_off(tool, tmp_path):
    args = tool.parse_args(['--data-root', str(tmp_path)])
    configs = _configs(tool, args)
    assert sorted(configs) == [
        'boxinst/seed0', 'maskfreevis/seed0', 'projection/seed0'
    ]
    weights = {
        name.split('/')[0]: (cfg.model.track_head.loss_proj.loss_weight,
                             cfg.model.track_head.loss_pair.loss_weight,
                             cfg.model.track_head.loss_temp.loss_weight)
        for name, cfg in configs.items()
    }
    demo = _applied(tool.CONFIG).model.track_head
    full = (demo.loss_proj.loss_weight, demo.loss_pair.loss_weight,
            demo.loss_temp.loss_weight)
    assert weights == dict(
        projection=(full[0], 0, 0),
        boxinst=(full[0], full[1], 0),
        maskfreevis=full)
    recipe = tool.overrides.base_config(tool.CONFIG)
    for cfg in configs.values():
        dataset = cfg.train_dataloader.dataset
        assert dataset.data_root == str(tmp_path)
        assert dataset.ann_file.endswith('_boxes.json')
        assert not dataset.pipeline[1].transforms[1].with_mask
        assert cfg.test_dataloader.dataset.data_root == str(tmp_path)
        # the demo's recipe as it is
        assert cfg.train_cfg.max_iters == recipe.train_cfg.max_iters
        assert cfg.param_scheduler == recipe.param_scheduler
        assert cfg.box_supervision.clip_sampler.num_frames == 2
    assert tool.settings(args)['iters'] == recipe.train_cfg.max_iters


def test_iters_cut_the_training_and_seeds_are_options(tool, tmp_path):
    args = tool.parse_args([
        '--data-root',
        str(tmp_path), '--iters', '7', '--seeds', '0', '3', '--rows',
        'projection'
    ])
    configs = _configs(tool, args)
    assert sorted(configs) == ['projection/seed0', 'projection/seed3']
    recipe = tool.overrides.base_config(tool.CONFIG)
    for cfg in configs.values():
        assert cfg.train_cfg.max_iters == 7
        assert cfg.default_hooks.checkpoint.interval == 7
        assert cfg.param_scheduler == recipe.param_scheduler
    assert tool.settings(args)['iters'] == 7
    # no mask supervision row, so no seeds of it
    for no_such_option in (['--rows', 'masks'], ['--mask-seeds', '1']):
        with pytest.raises(SystemExit):
            tool.parse_args(no_such_option)


@pytest.mark.slow
def test_tiny_run_end_to_end(tmp_path):
    """The three rows on 4 generated videos, 2 iterations: mask AP and J&F
    of each row in the table and the json, beside the filled boxes."""
    results_md = run_on_tiny_generated_videos(SCRIPT, tmp_path)
    with open(tmp_path / 'results.json') as f:
        runs = json.load(f)['runs']
    assert set(runs) == {
        'projection/seed0', 'boxinst/seed0', 'maskfreevis/seed0'
    }
    for name, metrics in runs.items():
        assert metrics['train_annotations_with_mask'] == 0, name
        assert metrics['iters'] == 2
        assert 0 <= metrics['J&F'] <= 1 and 0 <= metrics['segm_mAP'] <= 1
    text = results_md.read_text()
    assert '<!-- demo-rows: begin' in text
    for label in ('projection', 'projection + pairwise (BoxInst)',
                  'projection + pairwise + TK (MaskFreeVIS)'):
        row = next(line for line in text.splitlines()
                   if line.startswith(f'| {label} | 1 |'))
        assert row.count(' ± 0.000') == 5
    assert "style 'shapes'" in text and '3 clips x 2 frames' in text
    assert mmengine.load(tmp_path / 'work' / 'settings.json')['iters'] == 2
