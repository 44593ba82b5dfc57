"""Make an mmdet config box-supervised, from a mixin base config.

mmengine forbids two base configs that define the same key, so a mixin
cannot redefine ``model``, ``optim_wrapper`` or ``default_hooks`` beside the
config it modifies. The mixins (``configs/_base_/box_supervision.py`` for
mmdet's Mask2Former-VIS, ``configs/_base_/box_supervision_image.py`` for its
image Mask2Former, ``configs/_base_/box_supervision_rcnn.py`` for the Mask
R-CNN family and ``configs/_base_/box_supervision_rcnn_video.py`` for
MaskTrack R-CNN) instead define new keys only:
``runner_type = 'mmfvis.BoxSupervisedRunner'`` and ``box_supervision``, whose
entries name the config keys they change. This runner applies
``box_supervision`` to the config before building anything, so it works with
mmdet's own ``tools/train.py`` and ``tools/test.py`` too, and the config it
writes to the work directory is the one that ran.
"""
import copy

from mmengine.config import Config, ConfigDict
from mmengine.logging import print_log
from mmengine.registry import RUNNERS
from mmengine.runner import Runner

from ...registry import RUNNERS as MMFVIS_RUNNERS

__all__ = ['BoxSupervisedRunner', 'apply_box_supervision']

# entries of `box_supervision` merged into `model` of the same name;
# mmdet's Mask2Former hands `model.train_cfg` (the assigner) to its head
MODEL_KEYS = ('data_preprocessor', 'track_head', 'panoptic_head', 'train_cfg')
ANNOTATION_LOADERS = ('LoadTrackAnnotations', 'LoadAnnotations')
DEFAULT_CONSTRUCTOR = 'DefaultOptimWrapperConstructor'
# mmengine's checkpoint hook, which `box_supervision.default_hooks` may
# replace (a hook the config names itself stays)
CHECKPOINT_HOOKS = ('CheckpointHook', 'mmengine.CheckpointHook')
# the mask heads `box_supervision.mask_head` may replace: their loss reads
# the masks of the RoIs and nothing else (subclasses such as HTC's and
# PointRend's predict or sample differently)
FCN_MASK_HEADS = ('FCNMaskHead', 'mmdet.FCNMaskHead')


def _merge(base: dict, update: dict) -> ConfigDict:
    merged = Config(dict(base=copy.deepcopy(base)))
    merged.merge_from_dict({f'base.{k}': v for k, v in update.items()})
    return merged.base


def _roi_head(model: dict) -> dict:
    """The R-CNN RoI head of a model config: ``model.roi_head``, or
    ``model.detector.roi_head`` (MaskTrack R-CNN)."""
    roi_head = model.get('roi_head') or model.get('detector',
                                                  {}).get('roi_head')
    if not roi_head or not roi_head.get('mask_head'):
        raise ValueError(
            'box_supervision.mask_head swaps the mask head of an R-CNN: '
            'the config needs model.roi_head.mask_head (or '
            f'model.detector.roi_head.mask_head); model {model.get("type")} '
            'has none')
    if roi_head.get('mask_iou_head'):
        raise ValueError(
            f'{roi_head.get("type")} has a mask_iou_head, which learns the '
            'IoU of predicted and ground-truth masks: it cannot train from '
            'boxes')
    return roi_head


def _swap_mask_heads(model: dict, settings: dict) -> None:
    """Merge ``settings`` into every FCN mask head of the model's RoI head
    (one, or one per stage for Cascade Mask R-CNN)."""
    roi_head = _roi_head(model)
    heads = roi_head.mask_head
    stages = heads if isinstance(heads, list) else [heads]
    for stage, head in enumerate(stages):
        if head.get('type') not in FCN_MASK_HEADS:
            raise ValueError(
                f'mask head {stage} of {roi_head.get("type")} is '
                f'{head.get("type")}; box_supervision.mask_head replaces '
                f'{FCN_MASK_HEADS[0]} only')
    merged = [_merge(head, settings) for head in stages]
    roi_head.mask_head = merged if isinstance(heads, list) else merged[0]


def _head_description(model: dict) -> str:
    """What the log names: the R-CNN's mask head, or the Mask2Former's."""
    roi_head = model.get('roi_head') or model.get('detector',
                                                  {}).get('roi_head')
    if roi_head and roi_head.get('mask_head'):
        heads = roi_head.mask_head
        first = heads[0] if isinstance(heads, list) else heads
        return f'model {model.get("type")}, mask head {first.get("type")}'
    head = model.get('track_head', model.get('panoptic_head', {}))
    return f'head {head.get("type")}'


def _stop_loading_masks(pipeline: list) -> int:
    """Set ``with_mask=False`` on every annotation loader and filter
    annotations by box instead of by mask; return how many loaders, looking
    inside wrappers such as TransformBroadcaster."""
    changed = 0
    for transform in pipeline:
        if transform.get('type') in ANNOTATION_LOADERS:
            transform['with_mask'] = False
            changed += 1
        if transform.get('type') == 'FilterAnnotations':
            transform.update(by_mask=False, by_box=True)
        changed += _stop_loading_masks(transform.get('transforms', []))
    return changed


def _stop_padding_masks(data_preprocessor: dict) -> None:
    """Batch augments such as BatchFixedSizePad would pad masks that are
    no longer loaded."""
    for augment in data_preprocessor.get('batch_augments') or []:
        if 'pad_mask' in augment:
            augment['pad_mask'] = False


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


def _update_pipeline_variable(cfg: Config, sampler) -> None:
    """Change the ``train_pipeline`` variable of mmdet's configs as the
    loader's pipeline built from it: unchanged, a printed config would show
    masks loaded in training."""
    pipeline = cfg.get('train_pipeline')
    if isinstance(pipeline, list):
        _stop_loading_masks(pipeline)
        if sampler is not None:
            _replace_frame_sampler(pipeline, sampler)


def _merge_optim_wrapper(cfg: Config, settings: dict) -> None:
    """Merge ``settings`` (the mixin's constructor) into ``optim_wrapper``
    where the config uses mmengine's default constructor."""
    optim_wrapper = cfg.get('optim_wrapper')
    if optim_wrapper is not None and optim_wrapper.get(
            'constructor', DEFAULT_CONSTRUCTOR) == DEFAULT_CONSTRUCTOR:
        cfg.optim_wrapper = _merge(optim_wrapper, settings)


def _merge_checkpoint_hook(cfg: Config, settings: dict) -> None:
    """Merge ``settings`` (the mixin's hook type) into
    ``default_hooks.checkpoint`` where that is mmengine's
    ``CheckpointHook``."""
    default_hooks = cfg.get('default_hooks') or {}
    checkpoint = default_hooks.get('checkpoint')
    if checkpoint is not None and checkpoint.get('type') in CHECKPOINT_HOOKS:
        default_hooks['checkpoint'] = _merge(checkpoint, settings)


def apply_box_supervision(cfg: Config) -> Config:
    """Apply ``cfg.box_supervision`` to the config, entry by entry.

    - ``data_preprocessor``, ``track_head`` (Mask2Former-VIS),
      ``panoptic_head`` and ``train_cfg`` (image Mask2Former) are merged
      into the entries of ``model`` of the same name (the types change,
      other settings stay);
    - ``model``, when given, is merged into ``model`` (MaskTrack R-CNN's
      type and its TK loss), and ``mask_head`` into every FCN mask head of
      the R-CNN RoI head (``model.roi_head``, or ``model.detector.roi_head``
      for MaskTrack R-CNN; one, or a list for Cascade Mask R-CNN); other
      mask heads and mask IoU heads are refused;
    - ``optim_wrapper`` (the constructor that batches the updates) is
      merged into ``optim_wrapper`` where the config uses mmengine's
      default constructor, and ``default_hooks.checkpoint`` (checkpoints
      written atomically) into ``default_hooks.checkpoint`` where that is
      mmengine's ``CheckpointHook``;
    - what a merge cannot express: every ``LoadTrackAnnotations`` and
      ``LoadAnnotations`` of the training pipelines (inside wrapped datasets
      and broadcasters too, and the ``train_pipeline`` variable) stops
      loading masks, ``FilterAnnotations`` filters by box, and the batch
      augments of ``model.data_preprocessor`` stop padding masks:
      box-supervised training never reads one;
    - ``clip_sampler``, when set, replaces the training pipelines' frame
      sampler (MaskFreeVIS trains on clips of 5 frames, mmdet's configs
      on 2).

    Returns:
        Config: the same config, changed in place; unchanged without a
        ``box_supervision`` entry.
    """
    settings = cfg.get('box_supervision')
    if settings is None:
        return cfg
    for key in MODEL_KEYS:
        if key in settings:
            cfg.model[key] = _merge(cfg.model.get(key, {}), settings[key])
    if settings.get('model'):
        cfg.model = _merge(cfg.model, settings['model'])
    if settings.get('mask_head'):
        _swap_mask_heads(cfg.model, settings['mask_head'])
    if settings.get('optim_wrapper'):
        _merge_optim_wrapper(cfg, settings['optim_wrapper'])
    checkpoint = (settings.get('default_hooks') or {}).get('checkpoint')
    if checkpoint:
        _merge_checkpoint_hook(cfg, checkpoint)
    _stop_padding_masks(cfg.model.get('data_preprocessor', {}))
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
    _update_pipeline_variable(cfg, sampler)
    print_log(
        f'box supervision: {_head_description(cfg.model)}, data '
        f'preprocessor {cfg.model.data_preprocessor.type}; masks no longer '
        f'loaded by {loaders} training annotation loader(s); {samplers} '
        f'frame sampler(s) replaced by {sampler}',
        logger='current')
    return cfg


@MMFVIS_RUNNERS.register_module()
@RUNNERS.register_module()
class BoxSupervisedRunner(Runner):
    """mmengine's Runner, building from the config as
    :func:`apply_box_supervision` changes it (its docstring lists each
    change), so that mmdet's own tools build the box-supervised model too.

    Registered as ``BoxSupervisedRunner`` and, in mmfvis's scope, as
    ``mmfvis.BoxSupervisedRunner``: the name the mixins give, which
    imports mmfvis on lookup (:mod:`mmfvis.registry`)."""

    @classmethod
    def from_cfg(cls, cfg: Config) -> Runner:
        return super().from_cfg(apply_box_supervision(cfg))
