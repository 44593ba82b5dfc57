from .box_supervised_head_mixin import BoxSupervisedHeadMixin
from .box_supervised_mask2former_head import BoxSupervisedMask2FormerHead

__all__ = ['BoxSupervisedHeadMixin', 'BoxSupervisedMask2FormerHead']
