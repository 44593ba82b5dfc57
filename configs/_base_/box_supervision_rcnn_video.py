# Box supervision (MaskFreeVIS) for mmdet's MaskTrack R-CNN configs: add
# this file to the config's `_base_` list. The mask head is trained from
# boxes as in ./box_supervision_rcnn.py, and BoxSupervisedMaskTrackRCNN adds
# the temporal KNN-patch term between the key and the reference frame, on
# one shared RoI per instance present in both (the union of its boxes).
# The preprocessor becomes BoxVISDataPreprocessor; training never loads a
# mask; the frame sampler (one reference frame) stays mmdet's.
_base_ = './box_supervision_rcnn.py'
box_supervision = dict(
    model=dict(
        type='BoxSupervisedMaskTrackRCNN',
        # the published temporal-to-spatial ratio, 0.1, warmed up over 200
        # iterations
        loss_temp=dict(
            type='TemporalKNNPatchLoss', loss_weight=0.1, warmup_iters=200)),
    data_preprocessor=dict(type='BoxVISDataPreprocessor', mask_stride=4),
    # mmdet's MaskTrack R-CNN starts from a COCO Mask R-CNN, as MaskFreeVIS
    # starts from a COCO model: no pairwise warm-up
    mask_head=dict(loss_pair=dict(warmup_iters=0)),
    clip_sampler=None)
