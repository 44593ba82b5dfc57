# The main job (`make demo`): box-supervised training on the generated
# shapes videos, on a CPU, evaluated on held-out generated videos. Training
# reads a file without any mask. Sized to finish within 15 minutes on two
# cores (docs/benchmarks/README.md): a quarter-width ResNet-18, clips of 2
# frames, a short warm-up, then a flat high learning rate dropped once.
_base_ = './mfvis_tiny_cpu.py'

# its own folder: a split generated with other settings is regenerated, so
# sharing the tiny config's would make the two regenerate each other's
data_root = 'data/shapes_vis/'
# 3 clips of 2 frames a batch: the same 6 frames an iteration as 2 clips of
# 3, from more videos (0.499 mask AP against 0.480,
# docs/benchmarks/history.md)
train_dataloader = dict(
    batch_size=3,
    dataset=dict(
        data_root=data_root,
        generate=dict(num_videos=512, num_frames=8, seed=0)))
val_dataloader = dict(
    dataset=dict(
        data_root=data_root,
        generate=dict(num_videos=32, num_frames=8, seed=1)))
test_dataloader = val_dataloader

# one seed, so that `make demo` reports the same figures run after run
randomness = dict(seed=0)
# ResNet-18 with 16 channels in its first stage instead of 64: an iteration
# 0.85x the time of 32 channels' (2 threads, side by side) for about the
# same mask AP (0.510 against 0.529, seed 0; docs/benchmarks/README.md):
# enough for three classes of textured shapes
base_channels = 16
model = dict(
    backbone=dict(base_channels=base_channels),
    track_head=dict(in_channels=[base_channels * 2**i for i in range(4)]))
max_iters = 3000
warmup_iters = max_iters // 12
optim_wrapper = dict(
    optimizer=dict(lr=1e-3),
    # trained from scratch: the backbone learns at the full rate
    paramwise_cfg=dict(custom_keys=dict(backbone=dict(lr_mult=1.0))))
# a flat rate after the warm-up, x0.1 for the last fifth: 0.480 mask AP
# where a cosine decay from the same peak reached 0.441
# (docs/benchmarks/history.md)
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
train_cfg = dict(max_iters=max_iters, val_interval=max_iters)
# from scratch, the pairwise and temporal terms would pull every mask to
# background before the projection term has placed them: ramp them up
box_supervision = dict(
    # the tiny config keeps its pipeline's sampler (None): replace it
    clip_sampler=dict(
        _delete_=True,
        type='ClipFrameSample',
        num_frames=2,
        frame_range=2,
        shuffle=True),
    track_head=dict(
        loss_pair=dict(warmup_iters=warmup_iters),
        loss_temp=dict(warmup_iters=warmup_iters)))
default_hooks = dict(
    logger=dict(interval=500),
    checkpoint=dict(interval=max_iters, save_last=True))
