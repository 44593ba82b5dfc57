# MaskFreeVIS, R-50, YouTube-VIS 2019 without any mask (the strictest
# published setting), step 2: train on YouTube-VIS boxes starting from the
# box-supervised COCO model of step 1, configs/mfvis_coco_box_pretrain.py,
# instead of mmdet's mask-trained COCO checkpoint. 8 GPUs x 2 clips:
#   tools/dist_train.sh configs/mfvis_coco_box_pretrain.py 8
#   tools/dist_train.sh configs/mfvis_ytvis_coco_box_init.py 8
#
# How the image checkpoint loads into the video model (tested in
# tests/test_configs/test_coco_box_init.py):
# - backbone.*: the same ResNet-50, same keys;
# - panoptic_head.* -> track_head.*: mmdet's Mask2FormerVideo renames the
#   prefix while loading (its _load_from_state_dict). Below it the two
#   heads name their modules alike: pixel_decoder (the same
#   MSDeformAttnPixelDecoder), transformer_decoder (9 layers),
#   decoder_input_projs, query_embed, query_feat, level_embed, mask_embed,
#   all with equal shapes. The positional encodings (2D for images, 3D for
#   clips) have no weights; the loss modules and data preprocessors none.
# - track_head.cls_embed: 80 COCO classes + 1 against 40 + 1: the shapes
#   differ, so it is not loaded (mmengine logs the size mismatch) and the
#   class head learns the video classes from its initialisation.
_base_ = './mfvis_ytvis.py'

# the last checkpoint of step 1 under its default work directory;
# another one: --cfg-options load_from=PATH
load_from = 'work_dirs/mfvis_coco_box_pretrain/iter_368750.pth'
# nothing to initialise from elsewhere: not mmdet's mask-trained COCO
# model, nor ImageNet weights that load_from overwrites
model = dict(backbone=dict(init_cfg=None), init_cfg=None)
