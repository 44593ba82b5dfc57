# A tiny box-supervised Mask2Former-VIS for tests and smoke runs on a CPU:
# ResNet-18 from scratch, 96x128 generated clips of 3 frames, 3 decoder
# layers.
_base_ = [
    'mmdet::mask2former_vis/mask2former_r50_8xb2-8e_youtubevis2019.py',
    './_base_/box_supervision.py'
]

num_classes = 3

# The generated shapes videos, created under data_root on first use.
dataset_type = 'ShapesVISDataset'
data_root = 'data/shapes_vis_tiny/'
num_frames = 3
frame_size = (96, 128)  # (height, width) of the generated frames

train_pipeline = [
    dict(
        type='ClipFrameSample',
        num_frames=num_frames,
        frame_range=2,
        shuffle=True),
    dict(
        type='TransformBroadcaster',
        share_random_params=True,
        transforms=[
            dict(type='LoadImageFromFile'),
            dict(type='LoadTrackAnnotations', with_mask=False),
            dict(type='Resize', scale=frame_size[::-1], keep_ratio=True),
            dict(type='RandomFlip', prob=0.5),
        ]),
    dict(type='PackTrackInputs')
]
test_pipeline = [
    dict(
        type='TransformBroadcaster',
        transforms=[
            dict(type='LoadImageFromFile'),
            dict(type='Resize', scale=frame_size[::-1], keep_ratio=True),
            dict(type='LoadTrackAnnotations', with_mask=True),
        ]),
    dict(type='PackTrackInputs')
]

train_dataloader = dict(
    batch_size=2,
    num_workers=0,
    persistent_workers=False,
    # no epochs in iteration-based training: mmengine pauses 2 s at every
    # dataloader restart, which small datasets would pay every few steps
    sampler=dict(type='InfiniteSampler', shuffle=True),
    batch_sampler=dict(type='TrackAspectRatioBatchSampler'),
    dataset=dict(
        _delete_=True,
        type=dataset_type,
        data_root=data_root,
        ann_file='annotations/train_mmdet_boxes.json',
        data_prefix=dict(img_path='train/JPEGImages'),
        generate=dict(
            split='train',
            num_videos=16,
            num_frames=8,
            frame_size=frame_size,
            seed=0),
        pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=1,
    num_workers=0,
    persistent_workers=False,
    drop_last=False,
    sampler=dict(type='DefaultSampler', shuffle=False, round_up=False),
    dataset=dict(
        _delete_=True,
        type=dataset_type,
        data_root=data_root,
        ann_file='annotations/val_mmdet.json',
        data_prefix=dict(img_path='val/JPEGImages'),
        generate=dict(
            split='val',
            num_videos=4,
            num_frames=8,
            frame_size=frame_size,
            seed=1),
        test_mode=True,
        pipeline=test_pipeline))
test_dataloader = val_dataloader

feat_channels = 64
model = dict(
    backbone=dict(
        depth=18,
        norm_cfg=dict(type='BN', requires_grad=True),
        norm_eval=False,
        init_cfg=None),
    track_head=dict(
        in_channels=[64, 128, 256, 512],
        feat_channels=feat_channels,
        out_channels=feat_channels,
        num_classes=num_classes,
        num_queries=10,
        pixel_decoder=dict(
            norm_cfg=dict(type='GN', num_groups=8),
            encoder=dict(
                num_layers=1,
                layer_cfg=dict(
                    self_attn_cfg=dict(embed_dims=feat_channels, num_heads=4),
                    ffn_cfg=dict(
                        embed_dims=feat_channels, feedforward_channels=128))),
            positional_encoding=dict(num_feats=feat_channels // 2)),
        positional_encoding=dict(num_feats=feat_channels // 2),
        transformer_decoder=dict(
            num_layers=3,
            layer_cfg=dict(
                self_attn_cfg=dict(embed_dims=feat_channels, num_heads=4),
                cross_attn_cfg=dict(embed_dims=feat_channels, num_heads=4),
                ffn_cfg=dict(
                    embed_dims=feat_channels, feedforward_channels=128))),
        loss_cls=dict(class_weight=[1.0] * num_classes + [0.1]),
        train_cfg=dict(num_points=1024)),
    init_cfg=None)

# keep this config's 3-frame clips; warm the TK-loss up within the run
box_supervision = dict(
    clip_sampler=None, track_head=dict(loss_temp=dict(warmup_iters=4)))

max_iters = 8
optim_wrapper = dict(clip_grad=dict(max_norm=1.0))
param_scheduler = dict(end=max_iters, milestones=[max_iters * 3 // 4])
train_cfg = dict(max_iters=max_iters, val_interval=max_iters + 1)
default_hooks = dict(
    logger=dict(interval=1), checkpoint=dict(interval=4, save_last=True))
# Mask AP on the generated masks, and the submission file beside the log.
val_evaluator = dict(
    type='YouTubeVISMaskMetric', format_only=False, outfile_prefix=None)
test_evaluator = val_evaluator
