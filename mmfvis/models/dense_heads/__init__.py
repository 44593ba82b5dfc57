from .box_supervised_mask2former_head import BoxSupervisedMask2FormerHead

__all__ = ['BoxSupervisedMask2FormerHead']
