"""mmfvis: box-supervised video instance segmentation (MaskFreeVIS) for mmdet.

Importing the package registers its modules into mmdet's registries and
applies the compatibility fixes of :mod:`mmfvis.compat`.
:func:`apply_box_supervision` turns a config using a box-supervision mixin
into the one that trains, for scripts that build ``cfg.model`` themselves.
"""
from . import (apis, compat, datasets, engine, evaluation, fileio, models,
               visualization)
from .engine import apply_box_supervision
from .version import __version__

__all__ = [
    '__version__', 'apis', 'apply_box_supervision', 'compat', 'datasets',
    'engine', 'evaluation', 'fileio', 'models', 'visualization'
]
