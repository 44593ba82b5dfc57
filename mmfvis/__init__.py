"""mmfvis: box-supervised video instance segmentation (MaskFreeVIS) for mmdet.

Importing the package registers its modules into mmdet's registries.
"""
from . import models
from .version import __version__

__all__ = ['__version__', 'models']
