from .box_det_data_preprocessor import BoxDetDataPreprocessor
from .box_vis_data_preprocessor import BoxVISDataPreprocessor

__all__ = ['BoxDetDataPreprocessor', 'BoxVISDataPreprocessor']
