"""An optimizer constructor that batches the update of many parameters."""
import inspect
from typing import List, Optional, Union

import torch.nn as nn
from mmengine.optim import DefaultOptimWrapperConstructor
from mmengine.registry import OPTIM_WRAPPER_CONSTRUCTORS, OPTIMIZERS

__all__ = ['MergedGroupsOptimWrapperConstructor', 'merge_param_groups']


def merge_param_groups(param_groups: List[dict]) -> List[dict]:
    """Merge the parameter groups whose settings (every key but
    ``params``) are equal, keeping the order of first appearance.

    Args:
        param_groups (list[dict]): groups as an optimizer takes them, each
            ``{'params': [tensors], 'lr': ..., ...}``.

    Returns:
        list[dict]: one group per distinct set of settings.
    """
    merged = {}
    for group in param_groups:
        settings = tuple(
            sorted((k, v) for k, v in group.items() if k != 'params'))
        target = merged.setdefault(settings, dict(settings, params=[]))
        target['params'].extend(group['params'])
    return list(merged.values())


@OPTIM_WRAPPER_CONSTRUCTORS.register_module()
class MergedGroupsOptimWrapperConstructor(DefaultOptimWrapperConstructor):
    """mmengine's constructor, with one parameter group per distinct set of
    settings instead of one group per parameter, and torch's fused update.

    mmengine's ``paramwise_cfg`` makes a group of each parameter, and torch's
    optimizers batch tensors within a group only: on a CPU, AdamW then runs
    its per-tensor loop over hundreds of groups. Merging groups whose
    learning rate, weight decay and other settings are equal changes no
    update (each parameter keeps its own settings and state); parameter
    schedulers still scale each group's ``lr`` and ``weight_decay``.
    ``fused=True`` (one kernel over a group's tensors, on CPUs and GPUs) is
    set for optimizers that take it, unless the optimizer config gives
    ``fused`` or ``foreach``: on a CPU it steps AdamW several times faster
    than the per-tensor loop, where ``foreach`` gains nothing
    (``tools/analysis/benchmark_training_speed.py --compare optimizer``,
    docs/benchmarks/README.md).
    """

    def __init__(self,
                 optim_wrapper_cfg: dict,
                 paramwise_cfg: Optional[dict] = None):
        super().__init__(optim_wrapper_cfg, paramwise_cfg)
        chosen = {'fused', 'foreach'} & set(self.optimizer_cfg)
        if not chosen and _takes_argument(self.optimizer_cfg['type'], 'fused'):
            self.optimizer_cfg['fused'] = True

    def add_params(self,
                   params: List[dict],
                   module: nn.Module,
                   prefix: str = '',
                   is_dcn_module: Optional[Union[int, float]] = None) -> None:
        """mmengine's groups, merged once the whole model is listed (the
        call for the model itself, ``prefix=''``)."""
        super().add_params(params, module, prefix, is_dcn_module)
        if prefix == '':
            params[:] = merge_param_groups(params)


def _takes_argument(optimizer_type, name: str) -> bool:
    if isinstance(optimizer_type, str):
        with OPTIMIZERS.switch_scope_and_registry(None) as registry:
            optimizer_type = registry.get(optimizer_type)
    return name in inspect.signature(optimizer_type).parameters
