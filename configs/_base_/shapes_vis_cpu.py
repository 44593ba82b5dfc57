# The generated shapes videos of the CPU configs (../mfvis_tiny_cpu.py,
# ../mfvis_coco_box_pretrain_tiny_cpu.py, ../mfvis_masktrack_rcnn_shapes_cpu.py
# and those built on them). ShapesVISDataset (ShapesCocoDataset for the frames
# as images) generates a split under its data_root on first use and
# regenerates one made with other settings, so configs that share a data_root
# share these splits. mmengine forbids a base to redefine mmdet's dataloaders
# and pipelines, so they are entries of a new key, which the configs use:
#   dataset=dict(_base_.shapes_vis.train_dataset, _delete_=True,
#                data_root=..., pipeline=train_pipeline)
frame_size = (96, 128)  # (height, width) of the generated frames
shapes_vis = dict(
    # 16 training videos of 8 frames, read without masks
    train_dataset=dict(
        type='ShapesVISDataset',
        ann_file='annotations/train_mmdet_boxes.json',
        data_prefix=dict(img_path='train/JPEGImages'),
        generate=dict(
            split='train',
            num_videos=16,
            num_frames=8,
            frame_size=frame_size,
            seed=0)),
    # 4 validation videos of 8 frames, with their masks
    val_dataset=dict(
        type='ShapesVISDataset',
        ann_file='annotations/val_mmdet.json',
        data_prefix=dict(img_path='val/JPEGImages'),
        generate=dict(
            split='val',
            num_videos=4,
            num_frames=8,
            frame_size=frame_size,
            seed=1),
        test_mode=True),
    # a training pipeline's transforms after its frame sampler
    train_frames=dict(
        type='TransformBroadcaster',
        share_random_params=True,
        transforms=[
            dict(type='LoadImageFromFile'),
            dict(type='LoadTrackAnnotations', with_mask=False),
            dict(type='Resize', scale=frame_size[::-1], keep_ratio=True),
            dict(type='RandomFlip', prob=0.5),
        ]),
    test_pipeline=[
        dict(
            type='TransformBroadcaster',
            transforms=[
                dict(type='LoadImageFromFile'),
                dict(type='Resize', scale=frame_size[::-1], keep_ratio=True),
                dict(type='LoadTrackAnnotations', with_mask=True),
            ]),
        dict(type='PackTrackInputs')
    ])
