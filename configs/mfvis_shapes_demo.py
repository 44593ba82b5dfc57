# The main job (`make demo`): box-supervised training on the generated
# shapes videos, on a CPU (about 13 minutes on two cores), evaluated on
# held-out generated videos. Training reads a file without any mask.
_base_ = './mfvis_tiny_cpu.py'

# its own folder: a split generated with other settings is regenerated, so
# sharing the tiny config's would make the two regenerate each other's
data_root = 'data/shapes_vis/'
train_dataloader = dict(
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
max_iters = 4500
optim_wrapper = dict(
    optimizer=dict(lr=3e-4),
    # trained from scratch: the backbone learns at the full rate
    paramwise_cfg=dict(custom_keys=dict(backbone=dict(lr_mult=1.0))))
param_scheduler = dict(end=max_iters, milestones=[max_iters * 4 // 5])
train_cfg = dict(max_iters=max_iters, val_interval=max_iters)
# from scratch, the pairwise and temporal terms would pull every mask to
# background before the projection term has placed them: ramp them up
box_supervision = dict(
    track_head=dict(
        loss_pair=dict(warmup_iters=500), loss_temp=dict(warmup_iters=500)))
default_hooks = dict(
    logger=dict(interval=500),
    checkpoint=dict(interval=max_iters, save_last=True))
