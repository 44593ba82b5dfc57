# Box supervision (MaskFreeVIS) for any mmdet Mask2Former-VIS config: add
# this file to the config's `_base_` list. It defines only new keys (mmengine
# forbids two bases defining the same key); `BoxSupervisedRunner` applies
# `box_supervision` to `model` and `train_dataloader` before building. mmdet's
# own tools/train.py and tools/test.py honour it too.
_base_ = './box_supervised_runner.py'
box_supervision = dict(
    # LAB frames and box masks at mask-logit stride, for the losses
    data_preprocessor=dict(type='BoxVISDataPreprocessor', mask_stride=4),
    track_head=dict(
        type='BoxSupervisedMask2FormerTrackHead',
        # published weights: projection 5, pairwise 5, temporal 5 x 0.1
        loss_proj=dict(type='BoxProjectionLoss', loss_weight=5.0),
        loss_pair=dict(type='PairwiseAffinityLoss', loss_weight=5.0),
        loss_temp=dict(
            type='TemporalKNNPatchLoss', loss_weight=0.5, warmup_iters=200),
        # matching without masks: class cost plus the dice between the box
        # of the binarised predicted mask and the ground-truth box
        train_cfg=dict(
            assigner=dict(
                type='HungarianAssigner',
                match_costs=[
                    dict(type='ClassificationCost', weight=2.0),
                    dict(type='DiceCost', weight=5.0, pred_act=False, eps=1.0)
                ]))),
    # clips of 5 frames within 5 frames of a key frame, shuffled; set to
    # None to keep the config's own frame sampler
    clip_sampler=dict(
        type='ClipFrameSample', num_frames=5, frame_range=5, shuffle=True))
