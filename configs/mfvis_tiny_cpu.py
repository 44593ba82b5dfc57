# A tiny box-supervised Mask2Former-VIS for tests and smoke runs on a CPU:
# the tiny Mask2Former of ./_base_/tiny_mask2former_cpu.py (ResNet-18 from
# scratch, 3 decoder layers) on 96x128 generated clips of 3 frames.
_base_ = [
    'mmdet::mask2former_vis/mask2former_r50_8xb2-8e_youtubevis2019.py',
    './_base_/box_supervision.py', './_base_/shapes_vis_cpu.py',
    './_base_/tiny_mask2former_cpu.py'
]

num_classes = 3

# The generated shapes videos of ./_base_/shapes_vis_cpu.py.
dataset_type = 'ShapesVISDataset'
data_root = 'data/shapes_vis_tiny/'
num_frames = 3

train_pipeline = [
    dict(
        type='ClipFrameSample',
        num_frames=num_frames,
        frame_range=2,
        shuffle=True),
    # the frames loaded without masks, resized and flipped
    _base_.shapes_vis.train_frames,
    dict(type='PackTrackInputs')
]
test_pipeline = _base_.shapes_vis.test_pipeline

train_dataloader = dict(
    batch_size=2,
    num_workers=0,
    persistent_workers=False,
    # no epochs in iteration-based training: mmengine pauses 2 s at every
    # dataloader restart, which small datasets would pay every few steps
    sampler=dict(type='InfiniteSampler', shuffle=True),
    batch_sampler=dict(type='TrackAspectRatioBatchSampler'),
    dataset=dict(
        _base_.shapes_vis.train_dataset,
        _delete_=True,
        data_root=data_root,
        pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=1,
    num_workers=0,
    persistent_workers=False,
    drop_last=False,
    sampler=dict(type='DefaultSampler', shuffle=False, round_up=False),
    dataset=dict(
        _base_.shapes_vis.val_dataset,
        _delete_=True,
        data_root=data_root,
        pipeline=test_pipeline))
test_dataloader = val_dataloader

model = dict(
    backbone=_base_.tiny_mask2former.backbone,
    track_head=dict(
        _base_.tiny_mask2former.head,
        num_classes=num_classes,
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
