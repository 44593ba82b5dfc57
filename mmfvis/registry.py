"""mmfvis's registry node.

A config naming ``runner_type='mmfvis.BoxSupervisedRunner'`` makes mmengine
import ``mmfvis.registry`` (and so the whole package, which registers every
module) when it looks the runner up: the box-supervision mixins keep working
in mmdet's own tools even when a user config's ``custom_imports`` replaces
the mixin's list, dropping ``mmfvis`` from it.
"""
from mmengine.registry import RUNNERS as MMENGINE_RUNNERS
from mmengine.registry import Registry

__all__ = ['RUNNERS']

RUNNERS = Registry(
    'runner',
    parent=MMENGINE_RUNNERS,
    scope='mmfvis',
    locations=['mmfvis.engine.runner'])
