import copy
import os
import subprocess
import sys

import pytest
from mmengine.config import Config
from mmengine.registry import RUNNERS

from mmfvis.engine import BoxSupervisedRunner, apply_box_supervision
from ..paths import CONFIG_DIR, REPO_ROOT, TINY_CONFIG

YTVIS_CONFIG = f'{CONFIG_DIR}/mfvis_ytvis.py'
COCO_PRETRAIN_CONFIG = f'{CONFIG_DIR}/mfvis_coco_box_pretrain.py'
JOINT_CONFIG = f'{CONFIG_DIR}/mfvis_ytvis_coco_joint.py'


def _loaders(pipeline):
    for transform in pipeline:
        if transform.get('type') == 'LoadTrackAnnotations':
            yield transform
        yield from _loaders(transform.get('transforms', []))


def _as_written_and_applied(config):
    """The config as written, and with its box supervision applied."""
    original = Config.fromfile(config)
    return original, apply_box_supervision(copy.deepcopy(original))


def _head_kept(cfg, original, head_name, box_supervised_type, keys):
    """The model's head became ``box_supervised_type``; ``keys`` of it are
    as written."""
    head, before = cfg.model[head_name], original.model[head_name]
    assert head.type == box_supervised_type
    for key in keys:
        assert head[key] == before[key], key
    return head


def test_mixin_changes_head_preprocessor_and_data_only():
    original, cfg = _as_written_and_applied(YTVIS_CONFIG)
    head = _head_kept(cfg, original, 'track_head',
                      'BoxSupervisedMask2FormerTrackHead',
                      ('num_queries', 'num_classes', 'transformer_decoder',
                       'pixel_decoder', 'loss_cls'))
    assert [c.type for c in head.train_cfg.assigner.match_costs
            ] == ['ClassificationCost', 'DiceCost']
    written = original.model.track_head
    assert head.train_cfg.num_points == written.train_cfg.num_points
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
    hooks = [type(hook).__name__ for hook in runner.hooks]
    assert 'AtomicCheckpointHook' in hooks and 'CheckpointHook' not in hooks


def _image_loaders(pipeline):
    return [t for t in pipeline if t.get('type') == 'LoadAnnotations']


def test_image_mixin_changes_head_assigner_preprocessor_and_data_only():
    original, cfg = _as_written_and_applied(COCO_PRETRAIN_CONFIG)
    head = _head_kept(
        cfg, original, 'panoptic_head', 'BoxSupervisedMask2FormerHead',
        ('num_queries', 'num_things_classes', 'num_stuff_classes',
         'transformer_decoder', 'pixel_decoder', 'loss_cls'))
    assert head.loss_pair.warmup_iters == 10000
    # mmdet's Mask2Former hands model.train_cfg to its head
    train_cfg = cfg.model.train_cfg
    assert [c.type for c in train_cfg.assigner.match_costs
            ] == ['ClassificationCost', 'DiceCost']
    assert train_cfg.num_points == original.model.train_cfg.num_points
    preprocessor = cfg.model.data_preprocessor
    assert preprocessor.type == 'BoxDetDataPreprocessor'
    assert preprocessor.mean == original.model.data_preprocessor.mean
    (pad, ) = preprocessor.batch_augments
    assert pad.type == 'BatchFixedSizePad' and pad.pad_mask is False
    assert pad.size == original.model.data_preprocessor.batch_augments[0].size
    pipeline = cfg.train_dataloader.dataset.pipeline
    assert [t.with_mask for t in _image_loaders(pipeline)] == [False]
    (filter_annotations, ) = [
        t for t in pipeline if t.type == 'FilterAnnotations'
    ]
    assert not filter_annotations.by_mask and filter_annotations.by_box
    # evaluation still reads masks
    test_pipeline = cfg.test_dataloader.dataset.pipeline
    assert [t.with_mask for t in _image_loaders(test_pipeline)] == [True]
    for key in ('backbone', 'panoptic_fusion_head', 'test_cfg'):
        assert cfg.model[key] == original.model[key], key


def test_joint_config_samples_clips_and_pseudo_clips_of_equal_length():
    cfg = apply_box_supervision(Config.fromfile(JOINT_CONFIG))
    video, coco = cfg.train_dataloader.dataset.datasets
    sampler = video.pipeline[0]
    assert sampler.type == 'ClipFrameSample' and sampler.num_frames == 3
    (pseudo_clip, ) = [
        t for t in coco.pipeline if t.type == 'ImageToPseudoClip'
    ]
    assert pseudo_clip.num_frames == sampler.num_frames
    assert [t.with_mask for t in _loaders(video.pipeline)] == [False]
    assert [t.with_mask for t in _image_loaders(coco.pipeline)] == [False]
    loader = cfg.train_dataloader
    assert loader.sampler.batch_size == loader.batch_size


def test_mixin_runs_in_mmdets_tools_when_a_config_replaces_custom_imports(
        tmp_path):
    """A user config's own ``custom_imports`` replaces the mixin's list, so
    mmfvis is not imported when the config loads; the mixin's scoped
    runner name imports it when mmdet's tools look the runner up."""
    user_config = tmp_path / 'user_config.py'
    user_config.write_text(f"_base_ = ['{TINY_CONFIG}']\n"
                           "custom_imports = dict(imports=['json'])\n")
    script = '\n'.join([
        'import sys',
        'from mmengine.config import Config',
        'from mmdet.registry import RUNNERS',
        'from mmdet.utils import register_all_modules',
        f"cfg = Config.fromfile('{user_config}')",
        "assert 'mmfvis' not in sys.modules",
        'register_all_modules()',
        f"cfg.work_dir = '{tmp_path}'",
        'cfg.model.init_cfg = None',
        'runner = RUNNERS.build(cfg)',
        'print(type(runner).__name__, type(runner.model.track_head).__name__)',
    ])
    result = subprocess.run([sys.executable, '-c', script],
                            capture_output=True,
                            text=True,
                            cwd=REPO_ROOT,
                            env=dict(os.environ, PYTHONPATH=REPO_ROOT),
                            timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split()[-2:] == [
        'BoxSupervisedRunner', 'BoxSupervisedMask2FormerTrackHead'
    ]


def test_the_mixin_batches_the_optimizers_updates():
    assert Config.fromfile(YTVIS_CONFIG).box_supervision.optim_wrapper == \
        dict(constructor='MergedGroupsOptimWrapperConstructor')
    cfg = apply_box_supervision(Config.fromfile(YTVIS_CONFIG))
    assert cfg.optim_wrapper.constructor == \
        'MergedGroupsOptimWrapperConstructor'
    cfg = Config.fromfile(YTVIS_CONFIG)
    cfg.optim_wrapper.constructor = 'MyConstructor'
    assert apply_box_supervision(cfg).optim_wrapper.constructor == \
        'MyConstructor'


def test_the_mixin_writes_checkpoints_atomically():
    original = Config.fromfile(YTVIS_CONFIG)
    assert original.box_supervision.default_hooks == dict(
        checkpoint=dict(type='AtomicCheckpointHook'))
    cfg = apply_box_supervision(copy.deepcopy(original))
    checkpoint = cfg.default_hooks.checkpoint
    assert checkpoint == dict(
        original.default_hooks.checkpoint, type='AtomicCheckpointHook')
    cfg = copy.deepcopy(original)
    cfg.default_hooks.checkpoint.type = 'MyCheckpointHook'
    assert apply_box_supervision(cfg).default_hooks.checkpoint.type == \
        'MyCheckpointHook'
    # a config may turn the mixin's settings off
    cfg = copy.deepcopy(original)
    cfg.box_supervision.update(default_hooks=None, optim_wrapper=None)
    cfg = apply_box_supervision(cfg)
    assert cfg.default_hooks.checkpoint == original.default_hooks.checkpoint
    assert cfg.optim_wrapper == original.optim_wrapper


RCNN_MIXIN = f'{CONFIG_DIR}/_base_/box_supervision_rcnn.py'
RCNN_VIDEO_MIXIN = f'{CONFIG_DIR}/_base_/box_supervision_rcnn_video.py'
MASK_RCNN = 'mmdet::mask_rcnn/mask-rcnn_r50_fpn_1x_coco.py'
MASKTRACK_RCNN = (
    'mmdet::masktrack_rcnn/'
    'masktrack-rcnn_mask-rcnn_r50_fpn_8xb1-12e_youtubevis2019.py')


def _with_mixin(tmp_path, mmdet_config, mixin=RCNN_MIXIN):
    """An mmdet config with a mixin added to its `_base_`, as a user's."""
    path = tmp_path / 'mixed.py'
    path.write_text(f'_base_ = [{mmdet_config!r}, {mixin!r}]\n')
    return Config.fromfile(str(path))


def _without(model, *keys):
    model = copy.deepcopy(model)
    for key in keys:
        target = model
        *parents, last = key.split('.')
        for parent in parents:
            target = target[parent]
        del target[last]
    return model


def test_rcnn_mixin_changes_mask_head_preprocessor_and_data_only(tmp_path):
    original = _with_mixin(tmp_path, MASK_RCNN)
    cfg = apply_box_supervision(copy.deepcopy(original))
    head = cfg.model.roi_head.mask_head
    before = original.model.roi_head.mask_head
    assert head.type == 'BoxSupervisedFCNMaskHead'
    assert _without(head, 'type', 'loss_proj',
                    'loss_pair') == _without(before, 'type')
    assert head.loss_pair.warmup_iters == 10000
    preprocessor = cfg.model.data_preprocessor
    assert preprocessor.type == 'BoxDetDataPreprocessor'
    assert _without(preprocessor, 'type', 'mask_stride') == _without(
        original.model.data_preprocessor, 'type')
    changed = ('data_preprocessor', 'roi_head.mask_head')
    assert _without(cfg.model, *changed) == _without(original.model, *changed)
    pipeline = cfg.train_dataloader.dataset.pipeline
    assert [t.with_mask for t in _image_loaders(pipeline)] == [False]
    test_pipeline = cfg.test_dataloader.dataset.pipeline
    assert [t.with_mask for t in _image_loaders(test_pipeline)] == [True]


def test_rcnn_mixin_swaps_the_mask_head_of_every_cascade_stage(tmp_path):
    cfg = _with_mixin(
        tmp_path, 'mmdet::cascade_rcnn/cascade-mask-rcnn_r50_fpn_1x_coco.py')
    # mmdet's config gives one mask head for the 3 stages; a list too
    single = apply_box_supervision(copy.deepcopy(cfg)).model.roi_head
    assert single.mask_head.type == 'BoxSupervisedFCNMaskHead'
    cfg.model.roi_head.mask_head = [
        dict(cfg.model.roi_head.mask_head, num_convs=stage)
        for stage in range(3)
    ]
    heads = apply_box_supervision(cfg).model.roi_head.mask_head
    assert [(head.type, head.num_convs) for head in heads
            ] == [('BoxSupervisedFCNMaskHead', stage) for stage in range(3)]


@pytest.mark.parametrize('mmdet_config, message', [
    ('mmdet::ms_rcnn/ms-rcnn_r50_fpn_1x_coco.py', 'mask_iou_head'),
    ('mmdet::htc/htc-without-semantic_r50_fpn_1x_coco.py',
     'is HTCMaskHead; .* replaces FCNMaskHead only'),
    ('mmdet::mask2former/mask2former_r50_8xb2-lsj-50e_coco.py',
     'needs model.roi_head.mask_head'),
])
def test_rcnn_mixin_refuses_what_boxes_cannot_train(tmp_path, mmdet_config,
                                                    message):
    cfg = _with_mixin(tmp_path, mmdet_config)
    with pytest.raises(ValueError, match=message):
        apply_box_supervision(cfg)


def test_video_rcnn_mixin_adds_the_temporal_term_to_masktrack(tmp_path):
    original = _with_mixin(tmp_path, MASKTRACK_RCNN, RCNN_VIDEO_MIXIN)
    cfg = apply_box_supervision(copy.deepcopy(original))
    assert cfg.model.type == 'BoxSupervisedMaskTrackRCNN'
    assert cfg.model.loss_temp.type == 'TemporalKNNPatchLoss'
    assert cfg.model.data_preprocessor.type == 'BoxVISDataPreprocessor'
    head = cfg.model.detector.roi_head.mask_head
    assert head.type == 'BoxSupervisedFCNMaskHead'
    assert head.num_classes == 40 and head.loss_pair.warmup_iters == 0
    changed = ('type', 'data_preprocessor', 'detector.roi_head.mask_head')
    assert _without(cfg.model, 'loss_temp',
                    *changed) == _without(original.model, *changed)
    pipeline = cfg.train_dataloader.dataset.pipeline
    # mmdet's sampler: a key and one reference frame
    assert pipeline == _with_mask_false(
        original.train_dataloader.dataset.pipeline)


def _with_mask_false(pipeline):
    pipeline = copy.deepcopy(pipeline)
    for loader in _loaders(pipeline):
        loader.with_mask = False
    return pipeline
