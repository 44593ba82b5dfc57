# The DAVIS-2016 transfer benchmark of tools/analysis/davis_benchmark.py:
# the tiny CPU model on the 20 shared DAVIS videos (one object each;
# animal, person, vehicle) at their shared 427x240 size; stage 1 trains
# mmdet's mask-supervised head on the init videos, every row of stage 2
# starts from it on the target videos. The tool converts the shared
# annotations into <work_dir>/annotations/ (one file per set), points
# data_prefix at the shared frames and sets the size, budget and rows.
_base_ = '../mfvis_tiny_cpu.py'

classes = ('animal', 'person', 'vehicle')
num_classes = len(classes)
data_root = 'data/davis2016/'
scale = (427, 240)  # (w, h) after resizing: the frames' own size

model = dict(
    track_head=dict(
        num_classes=num_classes,
        loss_cls=dict(class_weight=[1.0] * num_classes + [0.1])))

train_pipeline = [
    dict(type='ClipFrameSample', num_frames=3, frame_range=5, shuffle=True),
    dict(
        type='TransformBroadcaster',
        share_random_params=True,
        transforms=[
            dict(type='LoadImageFromFile'),
            dict(type='LoadTrackAnnotations', with_mask=False),
            dict(type='Resize', scale=scale, keep_ratio=True),
            dict(type='RandomFlip', prob=0.5),
        ]),
    dict(type='PackTrackInputs')
]
test_pipeline = [
    dict(
        type='TransformBroadcaster',
        transforms=[
            dict(type='LoadImageFromFile'),
            dict(type='Resize', scale=scale, keep_ratio=True),
            dict(type='LoadTrackAnnotations', with_mask=True),
        ]),
    dict(type='PackTrackInputs')
]
davis_dataset = dict(
    type='BaseVideoDataset',
    metainfo=dict(classes=classes),
    data_root=data_root,
    data_prefix=dict(img_path='JPEGImages/'))
train_dataloader = dict(
    dataset=dict(
        davis_dataset,
        _delete_=True,
        ann_file='annotations/davis2016_boxes.json',
        pipeline=train_pipeline))
val_dataloader = dict(
    dataset=dict(
        davis_dataset,
        _delete_=True,
        test_mode=True,
        ann_file='annotations/davis2016_masks.json',
        pipeline=test_pipeline))
test_dataloader = val_dataloader

max_iters = 3000
optim_wrapper = dict(
    optimizer=dict(lr=3e-4),
    # trained from scratch: the backbone learns at the full rate
    paramwise_cfg=dict(custom_keys=dict(backbone=dict(lr_mult=1.0))))
param_scheduler = dict(end=max_iters, milestones=[max_iters * 4 // 5])
train_cfg = dict(max_iters=max_iters, val_interval=max_iters + 1)
box_supervision = dict(
    track_head=dict(
        loss_pair=dict(warmup_iters=500), loss_temp=dict(warmup_iters=500)))
default_hooks = dict(
    logger=dict(interval=100),
    checkpoint=dict(interval=max_iters, save_last=True))
