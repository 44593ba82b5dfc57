# A tiny box-supervised image Mask2Former for tests and smoke runs on a CPU:
# the tiny Mask2Former of ./_base_/tiny_mask2former_cpu.py (that of
# ./mfvis_tiny_cpu.py), trained on the frames of the same generated
# shapes videos as COCO images (box-only file). Its checkpoint initialises
# ./mfvis_tiny_cpu.py: the image -> video key mapping of
# ./mfvis_ytvis_coco_box_init.py, in small.
_base_ = [
    './mfvis_coco_box_pretrain.py', './_base_/shapes_vis_cpu.py',
    './_base_/tiny_mask2former_cpu.py'
]

num_classes = 3
data_root = 'data/shapes_vis_tiny/'

train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadAnnotations', with_bbox=True, with_mask=False),
    dict(type='Resize', scale=_base_.frame_size[::-1], keep_ratio=True),
    dict(type='RandomFlip', prob=0.5),
    dict(type='PackDetInputs')
]
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='Resize', scale=_base_.frame_size[::-1], keep_ratio=True),
    dict(type='LoadAnnotations', with_bbox=True, with_mask=True),
    dict(
        type='PackDetInputs',
        meta_keys=('img_id', 'img_path', 'ori_shape', 'img_shape',
                   'scale_factor'))
]

# the generated splits of ./_base_/shapes_vis_cpu.py, as ./mfvis_tiny_cpu.py's
# (whichever makes them first)
train_dataloader = dict(
    batch_size=2,
    num_workers=0,
    persistent_workers=False,
    dataset=dict(
        _delete_=True,
        type='ShapesCocoDataset',
        data_root=data_root,
        ann_file='annotations/train_mmdet_boxes.json',
        data_prefix=dict(img='train/JPEGImages/'),
        generate=_base_.shapes_vis.train_dataset.generate,
        filter_cfg=dict(filter_empty_gt=True),
        pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=1,
    num_workers=0,
    persistent_workers=False,
    dataset=dict(
        _delete_=True,
        type='ShapesCocoDataset',
        data_root=data_root,
        ann_file='annotations/val_mmdet.json',
        data_prefix=dict(img='val/JPEGImages/'),
        generate=_base_.shapes_vis.val_dataset.generate,
        test_mode=True,
        pipeline=test_pipeline))
test_dataloader = val_dataloader
val_evaluator = dict(ann_file=data_root + 'annotations/val_mmdet.json')
test_evaluator = val_evaluator

model = dict(
    # pad to a multiple of 32, not to the 1024 x 1024 of COCO's LSJ
    data_preprocessor=dict(batch_augments=None),
    backbone=_base_.tiny_mask2former.backbone,
    panoptic_head=dict(
        _base_.tiny_mask2former.head,
        num_things_classes=num_classes,
        num_stuff_classes=0,
        loss_cls=dict(class_weight=[1.0] * num_classes + [0.1])),
    panoptic_fusion_head=dict(
        num_things_classes=num_classes, num_stuff_classes=0),
    train_cfg=dict(num_points=1024),
    test_cfg=dict(max_per_image=10),
    init_cfg=None)

# warm the pairwise term up within the run
box_supervision = dict(panoptic_head=dict(loss_pair=dict(warmup_iters=4)))

max_iters = 8
optim_wrapper = dict(clip_grad=dict(max_norm=1.0))
param_scheduler = dict(end=max_iters, milestones=[max_iters * 3 // 4])
train_cfg = dict(
    max_iters=max_iters, val_interval=max_iters + 1, dynamic_intervals=None)
default_hooks = dict(
    logger=dict(interval=1), checkpoint=dict(interval=4, save_last=True))
