from .mask_heads import BoxSupervisedFCNMaskHead

__all__ = ['BoxSupervisedFCNMaskHead']
