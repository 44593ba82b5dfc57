# MaskFreeVIS without any mask (the strictest setting), step 1: mmdet's
# Mask2Former R-50 instance segmentation trained on COCO from boxes only
# (projection + pairwise losses). Step 2, YouTube-VIS from boxes, starts
# from its last checkpoint: configs/mfvis_ytvis_coco_box_init.py.
# The COCO annotation file may have no `segmentation` at all; evaluation
# (mask AP) needs the official val file. 8 GPUs x 2 images:
#   tools/dist_train.sh configs/mfvis_coco_box_pretrain.py 8
_base_ = [
    'mmdet::mask2former/mask2former_r50_8xb2-lsj-50e_coco.py',
    './_base_/box_supervision_image.py'
]
