# MaskFreeVIS, R-50, on your own box-annotated videos: mmdet's
# Mask2Former-VIS trained from boxes only, starting from the COCO
# Mask2Former checkpoint (as configs/mfvis_ytvis.py). Import the boxes
# first (README, "Train on your own videos"), e.g. MOTChallenge tracks:
#   python tools/dataset_converters/mot_to_mmdet.py data/my_videos/train \
#       data/my_videos/annotations/train.json
# then train on one GPU:
#   python tools/train.py configs/mfvis_custom.py
_base_ = './mfvis_ytvis.py'

# ---- the lines to edit ------------------------------------------------------
# The class names, in the order of the categories of the imported files
# (the importers print this line).
classes = ('pedestrian', )
# The folder holding your frames and annotation files.
data_root = 'data/my_videos/'
# Training: the imported annotation file, and the folder its frame paths are
# relative to (the importer's SEQUENCES_DIR, --img-root or EXPORTS_DIR),
# both relative to data_root.
train_ann_file = 'annotations/train.json'
train_frames = 'train/'
# Testing: the same for the videos to predict. Boxes only: the results file
# alone; a mask on every box: also a local mask AP.
val_ann_file = 'annotations/val.json'
val_frames = 'val/'
# These names are read once, when the config is parsed: edit them here or in
# a copy (a config inheriting from this one cannot change them); with
# --cfg-options, set the keys they fill (README, "Train on your own videos").
# -----------------------------------------------------------------------------

num_classes = len(classes)
model = dict(
    track_head=dict(
        num_classes=num_classes,
        loss_cls=dict(class_weight=[1.0] * num_classes + [0.1])))

# the test pipeline loads no mask: the metric reads the annotation file's
# masks where there are, and a box-only file has none to load
test_pipeline = [
    dict(
        type='TransformBroadcaster',
        transforms=[
            dict(type='LoadImageFromFile'),
            dict(type='Resize', scale=(640, 360), keep_ratio=True),
            dict(type='LoadTrackAnnotations', with_mask=False),
        ]),
    dict(type='PackTrackInputs')
]
# mmdet's BaseVideoDataset with the file checked on load: errors name the
# file, video, frame and field; what is left out (on import too) is logged
custom_dataset = dict(
    type='CheckedVideoDataset',
    metainfo=dict(classes=classes),
    data_root=data_root)
train_dataloader = dict(
    dataset=dict(
        custom_dataset,
        _delete_=True,
        ann_file=train_ann_file,
        data_prefix=dict(img_path=train_frames),
        pipeline={{_base_.train_pipeline}}))
val_dataloader = dict(
    dataset=dict(
        custom_dataset,
        _delete_=True,
        test_mode=True,
        ann_file=val_ann_file,
        data_prefix=dict(img_path=val_frames),
        pipeline=test_pipeline))
test_dataloader = val_dataloader
# always the results file beside the log; the mask AP where the test
# annotations have masks (box-only ones are logged as such)
val_evaluator = dict(format_only=False)
test_evaluator = val_evaluator
