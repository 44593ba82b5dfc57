# The main job (`make demo`): box-supervised training on the generated
# shapes videos, on a CPU, evaluated on held-out generated videos.
_base_ = './mfvis_tiny_cpu.py'

train_dataloader = dict(
    dataset=dict(generate=dict(num_videos=64, num_frames=8, seed=0)))
val_dataloader = dict(
    dataset=dict(generate=dict(num_videos=8, num_frames=8, seed=1)))
test_dataloader = val_dataloader

max_iters = 2000
optim_wrapper = dict(optimizer=dict(lr=3e-4))
param_scheduler = dict(end=max_iters, milestones=[max_iters * 3 // 4])
train_cfg = dict(max_iters=max_iters, val_interval=max_iters)
box_supervision = dict(track_head=dict(loss_temp=dict(warmup_iters=200)))
default_hooks = dict(
    logger=dict(interval=100),
    checkpoint=dict(interval=max_iters, save_last=True))
