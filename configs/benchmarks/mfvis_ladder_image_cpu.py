# Rung R2 of tools/analysis/mask_term_ladder.py: the box-supervised image
# Mask2Former head on the ladder's generated images of one object each
# (64 x 64, written by the tool under `data_root`), in the demo's regime:
# a quarter-width ResNet-18 from scratch, 3 decoder layers, 10 queries,
# lr 1e-3 with the backbone at x1.0, gradient clip 1.0, the pairwise term
# ramped up over the first twelfth. 1200 iterations of 8 images: the FCN
# rungs' budget.
_base_ = '../mfvis_coco_box_pretrain_tiny_cpu.py'

classes = ('object', )
num_classes = len(classes)
data_root = 'data/ladder/blobs/'
image_size = (64, 64)

train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadAnnotations', with_bbox=True, with_mask=False),
    dict(type='RandomFlip', prob=0.5),
    dict(type='PackDetInputs')
]
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadAnnotations', with_bbox=True, with_mask=True),
    dict(
        type='PackDetInputs',
        meta_keys=('img_id', 'img_path', 'ori_shape', 'img_shape',
                   'scale_factor'))
]
blob_images = dict(
    type='CocoDataset', metainfo=dict(classes=classes), data_root=data_root)
train_dataloader = dict(
    batch_size=8,
    dataset=dict(
        blob_images,
        _delete_=True,
        ann_file='annotations/train_boxes.json',
        data_prefix=dict(img='train/'),
        filter_cfg=dict(filter_empty_gt=True),
        pipeline=train_pipeline))
val_dataloader = dict(
    dataset=dict(
        blob_images,
        _delete_=True,
        test_mode=True,
        ann_file='annotations/test.json',
        data_prefix=dict(img='test/'),
        pipeline=test_pipeline))
test_dataloader = val_dataloader
val_evaluator = dict(
    ann_file=data_root + 'annotations/test.json', metric=['segm'])
test_evaluator = val_evaluator

base_channels = 16
model = dict(
    backbone=dict(base_channels=base_channels),
    panoptic_head=dict(
        in_channels=[base_channels * 2**i for i in range(4)],
        num_things_classes=num_classes,
        loss_cls=dict(class_weight=[1.0] * num_classes + [0.1])),
    panoptic_fusion_head=dict(num_things_classes=num_classes))

max_iters = 1200
warmup_iters = max_iters // 12
optim_wrapper = dict(
    optimizer=dict(lr=1e-3),
    paramwise_cfg=dict(custom_keys=dict(backbone=dict(lr_mult=1.0))))
param_scheduler = [
    dict(
        type='LinearLR',
        start_factor=0.04,
        by_epoch=False,
        begin=0,
        end=warmup_iters),
    dict(
        type='MultiStepLR',
        milestones=[max_iters * 4 // 5],
        gamma=0.1,
        by_epoch=False,
        begin=0,
        end=max_iters)
]
train_cfg = dict(max_iters=max_iters, val_interval=max_iters + 1)
box_supervision = dict(
    panoptic_head=dict(loss_pair=dict(warmup_iters=warmup_iters)))
default_hooks = dict(
    logger=dict(interval=100),
    checkpoint=dict(interval=max_iters, save_last=True))
