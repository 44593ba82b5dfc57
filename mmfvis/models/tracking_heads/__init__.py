from .box_supervised_mask2former_track_head import \
    BoxSupervisedMask2FormerTrackHead

__all__ = ['BoxSupervisedMask2FormerTrackHead']
