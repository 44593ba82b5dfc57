from .box_supervised_fcn_mask_head import BoxSupervisedFCNMaskHead

__all__ = ['BoxSupervisedFCNMaskHead']
