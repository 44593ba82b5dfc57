# Box-supervised MaskTrack R-CNN on the generated shapes videos, on a CPU:
# ResNet-18 from scratch, 64 channels, 96x128 frames, the key frame and one
# reference frame of the demo's 512 training videos (boxes only), evaluated
# on its 32 held-out videos. With the demo tool (training, mask AP beside
# the filled boxes, a picture):
#   python tools/demo_shapes.py --config \
#       configs/mfvis_masktrack_rcnn_shapes_cpu.py \
#       --work-dir work_dirs/masktrack_rcnn_shapes
_base_ = ['./mfvis_masktrack_rcnn_ytvis.py', './_base_/shapes_vis_cpu.py']

num_classes = 3
# the demo's generated videos (configs/mfvis_shapes_demo.py): the same
# settings, so the two share them
dataset_type = 'ShapesVISDataset'
data_root = 'data/shapes_vis/'

train_pipeline = [
    dict(
        type='UniformRefFrameSample',
        num_ref_imgs=1,
        frame_range=2,
        filter_key_img=True),
    # the frames loaded without masks, resized and flipped
    _base_.shapes_vis.train_frames,
    dict(type='PackTrackInputs')
]
test_pipeline = _base_.shapes_vis.test_pipeline
train_dataloader = dict(
    batch_size=4,
    num_workers=0,
    persistent_workers=False,
    # a random key frame of a random video: no epochs, so no pause at each
    # dataloader restart
    sampler=dict(_delete_=True, type='InfiniteSampler', shuffle=True),
    batch_sampler=dict(type='TrackAspectRatioBatchSampler'),
    dataset=dict(
        _base_.shapes_vis.train_dataset,
        _delete_=True,
        data_root=data_root,
        generate=dict(
            _base_.shapes_vis.train_dataset.generate, num_videos=512),
        pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=1,
    num_workers=0,
    persistent_workers=False,
    dataset=dict(
        _base_.shapes_vis.val_dataset,
        _delete_=True,
        data_root=data_root,
        generate=dict(_base_.shapes_vis.val_dataset.generate, num_videos=32),
        pipeline=test_pipeline))
test_dataloader = val_dataloader
val_evaluator = dict(format_only=False)
test_evaluator = val_evaluator

channels = 64
model = dict(
    detector=dict(
        backbone=dict(
            depth=18,
            norm_cfg=dict(type='BN', requires_grad=True),
            norm_eval=False,
            init_cfg=None),
        neck=dict(in_channels=[64, 128, 256, 512], out_channels=channels),
        rpn_head=dict(in_channels=channels, feat_channels=channels),
        roi_head=dict(
            bbox_roi_extractor=dict(out_channels=channels),
            bbox_head=dict(
                in_channels=channels,
                fc_out_channels=256,
                num_classes=num_classes),
            mask_roi_extractor=dict(out_channels=channels),
            mask_head=dict(
                in_channels=channels,
                conv_out_channels=channels,
                num_classes=num_classes)),
        # at most 3 shapes a frame: fewer proposals and RoIs than YouTube-VIS
        train_cfg=dict(
            rpn_proposal=dict(nms_pre=100, max_per_img=100),
            rcnn=dict(sampler=dict(num=64))),
        test_cfg=dict(
            rpn=dict(nms_pre=100, max_per_img=100), rcnn=dict(max_per_img=10)),
        init_cfg=None),
    track_head=dict(
        roi_extractor=dict(out_channels=channels),
        embed_head=dict(in_channels=channels, fc_out_channels=256),
        train_cfg=dict(sampler=dict(num=64))))

max_iters = 1500
train_cfg = dict(
    _delete_=True,
    type='IterBasedTrainLoop',
    max_iters=max_iters,
    val_interval=max_iters)
optim_wrapper = dict(
    _delete_=True,
    type='OptimWrapper',
    optimizer=dict(type='AdamW', lr=3e-4, weight_decay=0.05),
    clip_grad=dict(max_norm=10, norm_type=2))
param_scheduler = [
    dict(type='LinearLR', start_factor=0.01, by_epoch=False, begin=0, end=200),
    dict(
        type='MultiStepLR',
        by_epoch=False,
        begin=0,
        end=max_iters,
        milestones=[max_iters * 4 // 5],
        gamma=0.1)
]
box_supervision = dict(
    # the shapes are 35 to 60 px across, so a RoI cell is under 2 px: the
    # colours come from the frame itself, not from its stride-4 average
    data_preprocessor=dict(mask_stride=1),
    # from scratch, the pairwise and temporal terms, even at a fifth of
    # their weight, fill the RoIs of the untrained features with saturated
    # masks that the projection term cannot carve any more: they begin once
    # the projection term has shaped the masks, and ramp up over 300
    model=dict(loss_temp=dict(warmup_begin=600, warmup_iters=300)),
    mask_head=dict(loss_pair=dict(warmup_begin=600, warmup_iters=300)))
randomness = dict(seed=0)
default_hooks = dict(
    logger=dict(interval=100),
    checkpoint=dict(
        by_epoch=False, interval=max_iters, save_last=True, max_keep_ckpts=1))
log_processor = dict(by_epoch=False)
