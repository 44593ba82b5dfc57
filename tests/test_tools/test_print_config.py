"""``tools/misc/print_config.py`` prints the config that trains."""
from mmengine.config import Config

from ..paths import CONFIG_DIR
from .tool_loading import load_tool

YTVIS_CONFIG = f'{CONFIG_DIR}/mfvis_ytvis.py'


def _annotation_loaders(pipeline):
    for transform in pipeline:
        if transform.get('type') == 'LoadTrackAnnotations':
            yield transform
        yield from _annotation_loaders(transform.get('transforms', []))


def test_prints_the_box_supervised_model_and_maskless_pipeline(
        capsys, tmp_path):
    saved = tmp_path / 'resolved.py'
    load_tool('misc/print_config.py').main(
        [YTVIS_CONFIG, '--save-path', str(saved)])
    text = capsys.readouterr().out
    assert "type='BoxSupervisedMask2FormerTrackHead'" in text
    assert "type='BoxVISDataPreprocessor'" in text
    assert "with_mask=False" in text
    resolved = Config.fromfile(saved)
    assert resolved.optim_wrapper.constructor == \
        'MergedGroupsOptimWrapperConstructor'
    for pipeline in (resolved.train_dataloader.dataset.pipeline,
                     resolved.train_pipeline):
        loaders = list(_annotation_loaders(pipeline))
        assert [loader.with_mask for loader in loaders] == [False]


def test_as_written_prints_mmdets_mask_supervised_head(capsys):
    load_tool('misc/print_config.py').main([YTVIS_CONFIG, '--as-written'])
    text = capsys.readouterr().out
    assert "type='Mask2FormerTrackHead'" in text
    model_part = text[text.index('\nmodel = '):text.index('\nnum_classes')]
    assert 'BoxSupervisedMask2FormerTrackHead' not in model_part


def test_cfg_options_are_merged_before_the_mixin(capsys):
    load_tool('misc/print_config.py').main([
        YTVIS_CONFIG, '--cfg-options',
        'box_supervision.track_head.loss_temp.warmup_iters=123'
    ])
    text = capsys.readouterr().out
    model_part = text[text.index('\nmodel = '):text.index('\nnum_classes')]
    assert 'warmup_iters=123' in model_part
