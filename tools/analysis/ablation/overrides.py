"""The config overrides of a run: its rows' losses, budget, data and
evaluation."""
import argparse
import copy
import functools
import hashlib
from typing import Sequence, Union

from .specs import BOX_ROWS

# mask quality apart from detection, evaluated beside the config's AP
MASK_QUALITY = dict(type='TrackJFMetric')


@functools.lru_cache()
def base_config(config: str):
    """A config file as written, parsed once per process (read-only)."""
    from mmengine.config import Config
    return Config.fromfile(config)


def config_digest(config: str) -> str:
    """A short digest of a config's settings, bases included."""
    return hashlib.sha1(
        base_config(config).pretty_text.encode()).hexdigest()[:12]


def parse_overrides(strings: Sequence[str]) -> dict:
    """``KEY=VALUE`` strings to a dict, values parsed as by the tools'
    ``--cfg-options``."""
    from mmfvis.utils import DictAction
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument('options', nargs='*', action=DictAction)
    return parser.parse_args(list(strings)).options or {}


def pipeline_with(pipeline: list,
                  scale=None,
                  with_mask=None,
                  num_frames=None) -> list:
    """A copy of a pipeline with every Resize at ``scale`` (w, h), every
    LoadTrackAnnotations at ``with_mask`` and every frame sampler at
    ``num_frames`` frames a clip, where given; wrapped transforms too."""
    pipeline = copy.deepcopy(pipeline)
    for transform in pipeline:
        kind = str(transform.get('type', ''))
        if kind == 'Resize' and scale is not None:
            transform['scale'] = tuple(scale)
        if kind == 'LoadTrackAnnotations' and with_mask is not None:
            transform['with_mask'] = with_mask
        if kind.endswith('FrameSample') and num_frames is not None:
            transform['num_frames'] = num_frames
        if 'transforms' in transform:
            transform['transforms'] = pipeline_with(transform['transforms'],
                                                    scale, with_mask,
                                                    num_frames)
    return pipeline


def resize_scale(pipeline: list) -> tuple:
    """The (w, h) scale of a pipeline's first Resize (wrapped ones too)."""
    for transform in pipeline:
        if transform.get('type') == 'Resize':
            return tuple(transform['scale'])
        if 'transforms' in transform:
            try:
                return resize_scale(transform['transforms'])
            except ValueError:
                continue
    raise ValueError(f'no Resize in the pipeline {pipeline}')


def clip_length(pipeline: list) -> int:
    """Frames of the clips a training pipeline samples."""
    for transform in pipeline:
        if str(transform.get('type', '')).endswith('FrameSample'):
            return transform['num_frames']
    raise ValueError(f'no frame sampler in the pipeline {pipeline}')


def budget_options(iters: int) -> dict:
    """Overrides of a run of ``iters`` iterations: the learning rate drops
    at 4/5, one checkpoint (weights only) at the end, 40 log lines."""
    # the whole schedule, in place of the config's (a list in the demo's):
    # a list value replaces rather than merges
    schedule = dict(
        type='MultiStepLR',
        by_epoch=False,
        begin=0,
        end=iters,
        milestones=[iters * 4 // 5],
        gamma=0.1)
    return {
        'train_cfg.max_iters': iters,
        'train_cfg.val_interval': iters + 1,
        'param_scheduler': [schedule],
        'default_hooks.checkpoint.interval': iters,
        'default_hooks.checkpoint.save_optimizer': False,
        'default_hooks.logger.interval': max(iters // 40, 1),
    }


def row_options(row: str, train_pipeline: list, overrides: dict) -> dict:
    """Overrides of a box row (its loss weights at 0) or of mask
    supervision (mmdet's head, masks loaded), then ``overrides`` (but
    ``box_supervision.*`` ones, for mask supervision)."""
    masks = row not in BOX_ROWS
    options = {
        'train_dataloader.dataset.pipeline':
        pipeline_with(train_pipeline, with_mask=masks)
    }
    if masks:
        options.update({
            'box_supervision':
            None,
            # mmdet's head needs the clip length; mmfvis's reads the data
            'model.track_head.num_frames':
            clip_length(train_pipeline),
        })
    for term in BOX_ROWS.get(row, ()):
        options[f'box_supervision.track_head.{term}.loss_weight'] = 0.0
    options.update({
        key: value
        for key, value in overrides.items()
        if not (masks and key.startswith('box_supervision.'))
    })
    return options


def with_mask_quality(evaluator: Union[dict, Sequence[dict]]) -> list:
    """A test evaluator: the config's metric(s), then
    :data:`MASK_QUALITY` (DAVIS J, F, J&F per track), unless there."""
    metrics = [evaluator] if isinstance(evaluator, dict) else list(evaluator)
    if not any(
            metric.get('type') == MASK_QUALITY['type'] for metric in metrics):
        metrics.append(dict(MASK_QUALITY))
    return metrics
