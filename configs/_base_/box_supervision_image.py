# Box supervision (MaskFreeVIS's mask-free COCO pre-training, BoxInst's
# terms) for any mmdet image Mask2Former instance-segmentation config: add
# this file to the config's `_base_` list. Like ./box_supervision.py it
# defines only new keys; `BoxSupervisedRunner` applies `box_supervision` to
# `model` and `train_dataloader` before building (masks are no longer
# loaded, filtered or padded in training; evaluation still reads them).
_base_ = './box_supervised_runner.py'
box_supervision = dict(
    # LAB image and box masks at mask-logit stride, for the losses
    data_preprocessor=dict(type='BoxDetDataPreprocessor', mask_stride=4),
    panoptic_head=dict(
        type='BoxSupervisedMask2FormerHead',
        loss_proj=dict(type='BoxProjectionLoss', loss_weight=5.0),
        # from an ImageNet backbone the pairwise term at full weight pulls
        # every mask to background before the projection term has placed
        # them: BoxInst ramps it up over 10k iterations
        loss_pair=dict(
            type='PairwiseAffinityLoss', loss_weight=5.0, warmup_iters=10000)),
    # merged into model.train_cfg, which mmdet's Mask2Former hands to its
    # head: matching without masks, class cost plus the dice between the
    # box of the binarised predicted mask and the ground-truth box
    train_cfg=dict(
        assigner=dict(
            type='HungarianAssigner',
            match_costs=[
                dict(type='ClassificationCost', weight=2.0),
                dict(type='DiceCost', weight=5.0, pred_act=False, eps=1.0)
            ])))
