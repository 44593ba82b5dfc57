"""Make any Mask2Former-VIS config box-supervised, from a mixin base config.

mmengine forbids two base configs that define the same key, so a mixin
cannot redefine ``model`` beside the config it modifies. The mixin
(``configs/_base_/box_supervision.py``) instead defines new keys only:
``runner_type = 'BoxSupervisedRunner'`` and ``box_supervision``. This runner
applies ``box_supervision`` to the config before building anything, so it
works with mmdet's own ``tools/train.py`` and ``tools/test.py`` too, and the
config it writes to the work directory is the one that ran.
"""
import copy

from mmengine.config import Config, ConfigDict
from mmengine.logging import print_log
from mmengine.registry import RUNNERS
from mmengine.runner import Runner

__all__ = ['BoxSupervisedRunner', 'apply_box_supervision']


def _merge(base: dict, update: dict) -> ConfigDict:
    merged = Config(dict(base=copy.deepcopy(base)))
    merged.merge_from_dict({f'base.{k}': v for k, v in update.items()})
    return merged.base


def _stop_loading_masks(pipeline: list) -> int:
    """Set ``with_mask=False`` on every LoadTrackAnnotations; return how
    many, looking inside wrappers such as TransformBroadcaster."""
    changed = 0
    for transform in pipeline:
        if transform.get('type') == 'LoadTrackAnnotations':
            transform['with_mask'] = False
            changed += 1
        changed += _stop_loading_masks(transform.get('transforms', []))
    return changed


def _replace_frame_sampler(pipeline: list, sampler: dict) -> int:
    """Put ``sampler`` in place of the pipeline's frame samplers (the
    transforms named ``*FrameSample``); return how many."""
    replaced = 0
    for index, transform in enumerate(pipeline):
        if str(transform.get('type', '')).endswith('FrameSample'):
            pipeline[index] = copy.deepcopy(sampler)
            replaced += 1
    return replaced


def _datasets(dataset: dict):
    """A dataset config and those it wraps (Concat, Repeat...)."""
    yield dataset
    for inner in [dataset.get('dataset')] + list(dataset.get('datasets', [])):
        if inner is not None:
            yield from _datasets(inner)


def apply_box_supervision(cfg: Config) -> Config:
    """Apply ``cfg.box_supervision`` to the model and training data.

    - ``model.data_preprocessor`` and ``model.track_head`` are merged with
      the entries of the same name (the types change, other settings stay);
    - every ``LoadTrackAnnotations`` of the training pipeline stops loading
      masks: box-supervised training never reads one;
    - ``clip_sampler``, when set, replaces the training pipeline's frame
      sampler (MaskFreeVIS trains on clips of 5 frames, mmdet's configs
      on 2).

    Returns:
        Config: the same config, changed in place; unchanged without a
        ``box_supervision`` entry.
    """
    settings = cfg.get('box_supervision')
    if settings is None:
        return cfg
    for key in ('data_preprocessor', 'track_head'):
        if key in settings:
            cfg.model[key] = _merge(cfg.model.get(key, {}), settings[key])
    pipelines = [
        dataset['pipeline']
        for dataset in _datasets(cfg.train_dataloader.dataset)
        if 'pipeline' in dataset
    ]
    loaders = sum(_stop_loading_masks(pipeline) for pipeline in pipelines)
    sampler = settings.get('clip_sampler')
    samplers = 0
    if sampler is not None:
        samplers = sum(
            _replace_frame_sampler(pipeline, sampler)
            for pipeline in pipelines)
    print_log(
        f'box supervision: track head {cfg.model.track_head.type}, data '
        f'preprocessor {cfg.model.data_preprocessor.type}; masks no longer '
        f'loaded by {loaders} training annotation loader(s); {samplers} '
        f'frame sampler(s) replaced by {sampler}',
        logger='current')
    return cfg


@RUNNERS.register_module()
class BoxSupervisedRunner(Runner):
    """mmengine's Runner, building from the box-supervised config."""

    @classmethod
    def from_cfg(cls, cfg: Config) -> Runner:
        return super().from_cfg(apply_box_supervision(cfg))
