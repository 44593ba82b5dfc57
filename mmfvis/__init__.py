"""mmfvis: box-supervised video instance segmentation (MaskFreeVIS) for mmdet.

Importing the package registers its modules into mmdet's registries and
applies the compatibility fixes of :mod:`mmfvis.compat`.
"""
from . import (apis, compat, datasets, engine, evaluation, fileio, models,
               visualization)
from .version import __version__

__all__ = [
    '__version__', 'apis', 'compat', 'datasets', 'engine', 'evaluation',
    'fileio', 'models', 'visualization'
]
