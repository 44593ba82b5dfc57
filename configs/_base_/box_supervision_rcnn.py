# Box supervision (BoxInst's terms on RoIs) for any mmdet config whose
# roi_head has FCN mask heads (Mask R-CNN, Cascade Mask R-CNN, ...): add
# this file to the config's `_base_` list. Like ./box_supervision.py it
# defines only new keys; `BoxSupervisedRunner` applies `box_supervision`
# before building: the mask head(s) become BoxSupervisedFCNMaskHead and the
# preprocessor BoxDetDataPreprocessor (the LAB image the pairwise term
# reads), keeping their other settings; training never loads a mask
# (evaluation still reads them). Nothing else in the model changes.
_base_ = './box_supervised_runner.py'
box_supervision = dict(
    # the LAB image at stride 4, sampled on each RoI's mask grid
    data_preprocessor=dict(type='BoxDetDataPreprocessor', mask_stride=4),
    # merged into every FCN mask head of the roi_head
    mask_head=dict(
        type='BoxSupervisedFCNMaskHead',
        # BoxInst's weights: 1, the scale of mmdet's mask loss
        loss_proj=dict(type='BoxProjectionLoss', loss_weight=1.0),
        # neighbours 3 cells apart, not the published 2: cells 2 apart
        # always share a phase of the head's stride-2 deconvolution, and
        # nothing would tie the phases together (checkerboard masks). From
        # an ImageNet backbone the pairwise term at full weight pulls every
        # mask to background before the projection term has placed them:
        # BoxInst ramps it up over 10k iterations
        loss_pair=dict(
            type='PairwiseAffinityLoss',
            dilation=3,
            loss_weight=1.0,
            warmup_iters=10000)))
