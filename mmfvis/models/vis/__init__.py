from .box_supervised_masktrack_rcnn import BoxSupervisedMaskTrackRCNN

__all__ = ['BoxSupervisedMaskTrackRCNN']
