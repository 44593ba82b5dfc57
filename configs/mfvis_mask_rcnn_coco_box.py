# Mask R-CNN R-50-FPN on COCO trained from boxes only: mmdet's 1x schedule
# with the box-supervised mask head (projection + pairwise on each RoI's
# mask grid). The training annotation file may have no `segmentation` at
# all (COCO's instances_train2017.json with them removed trains the same);
# evaluation (mask AP) reads the official val file. 8 GPUs x 2 images:
#   tools/dist_train.sh configs/mfvis_mask_rcnn_coco_box.py 8
_base_ = [
    'mmdet::mask_rcnn/mask-rcnn_r50_fpn_1x_coco.py',
    './_base_/box_supervision_rcnn.py'
]
