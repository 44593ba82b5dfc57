import copy

from mmengine.config import Config
from mmengine.registry import RUNNERS

from mmfvis.engine import BoxSupervisedRunner, apply_box_supervision
from ..paths import CONFIG_DIR, TINY_CONFIG

YTVIS_CONFIG = f'{CONFIG_DIR}/mfvis_ytvis.py'


def _loaders(pipeline):
    for transform in pipeline:
        if transform.get('type') == 'LoadTrackAnnotations':
            yield transform
        yield from _loaders(transform.get('transforms', []))


def test_mixin_changes_head_preprocessor_and_data_only():
    original = Config.fromfile(YTVIS_CONFIG)
    cfg = apply_box_supervision(copy.deepcopy(original))
    head, before = cfg.model.track_head, original.model.track_head
    assert head.type == 'BoxSupervisedMask2FormerTrackHead'
    for key in ('num_queries', 'num_classes', 'transformer_decoder',
                'pixel_decoder', 'loss_cls'):
        assert head[key] == before[key], key
    assert [c.type for c in head.train_cfg.assigner.match_costs
            ] == ['ClassificationCost', 'DiceCost']
    assert head.train_cfg.num_points == before.train_cfg.num_points
    assert head.loss_temp.loss_weight == 0.5
    preprocessor = cfg.model.data_preprocessor
    assert preprocessor.type == 'BoxVISDataPreprocessor'
    assert preprocessor.mean == original.model.data_preprocessor.mean
    pipeline = cfg.train_dataloader.dataset.pipeline
    assert pipeline[0].type == 'ClipFrameSample'
    assert pipeline[0].num_frames == 5
    assert [t.with_mask for t in _loaders(pipeline)] == [False]
    # testing still loads masks, for evaluation
    test_pipeline = cfg.test_dataloader.dataset.pipeline
    assert [t.with_mask for t in _loaders(test_pipeline)] == [True]
    assert cfg.model.backbone == original.model.backbone


def test_wrapped_datasets_stop_loading_masks_too():
    cfg = Config.fromfile(YTVIS_CONFIG)
    inner = cfg.train_dataloader.dataset
    cfg.train_dataloader.dataset = dict(
        type='ConcatDataset',
        datasets=[
            dict(type='RepeatDataset', times=2, dataset=inner),
            copy.deepcopy(inner)
        ])
    apply_box_supervision(cfg)
    datasets = cfg.train_dataloader.dataset.datasets
    for pipeline in (datasets[0].dataset.pipeline, datasets[1].pipeline):
        assert [t.with_mask for t in _loaders(pipeline)] == [False]
        assert pipeline[0].type == 'ClipFrameSample'


def test_no_clip_sampler_keeps_the_configs_own():
    cfg = Config.fromfile(TINY_CONFIG)
    assert cfg.box_supervision.clip_sampler is None
    apply_box_supervision(cfg)
    sampler = cfg.train_dataloader.dataset.pipeline[0]
    assert sampler.type == 'ClipFrameSample' and sampler.num_frames == 3


def test_config_without_the_mixin_is_left_alone():
    cfg = Config.fromfile(YTVIS_CONFIG)
    cfg.box_supervision = None
    before = copy.deepcopy(cfg.model)
    apply_box_supervision(cfg)
    assert cfg.model == before


def test_mmdet_style_runner_build_applies_the_mixin(tmp_path):
    """What mmdet's tools/train.py does with a config that has a
    runner_type: RUNNERS.build(cfg)."""
    cfg = Config.fromfile(TINY_CONFIG)
    cfg.work_dir = str(tmp_path)
    cfg.model.init_cfg = None
    runner = RUNNERS.build(cfg)
    assert isinstance(runner, BoxSupervisedRunner)
    assert type(runner.model.track_head).__name__ == \
        'BoxSupervisedMask2FormerTrackHead'
    assert type(runner.model.data_preprocessor).__name__ == \
        'BoxVISDataPreprocessor'
