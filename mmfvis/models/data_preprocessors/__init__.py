from .box_vis_data_preprocessor import BoxVISDataPreprocessor

__all__ = ['BoxVISDataPreprocessor']
