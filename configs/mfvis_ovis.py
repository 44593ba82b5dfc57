# MaskFreeVIS, R-50, OVIS (25 classes, YouTube-VIS format): mmdet's
# Mask2Former-VIS trained from boxes only. Convert the official files first:
#   python tools/dataset_converters/youtube_vis_to_mmdet.py \
#       data/ovis/annotations_train.json \
#       data/ovis/annotations/ovis_train_boxes.json --boxes-only
#   python tools/dataset_converters/youtube_vis_to_mmdet.py \
#       data/ovis/annotations_valid.json data/ovis/annotations/ovis_valid.json
# 8 GPUs x 2 clips:
#   tools/dist_train.sh configs/mfvis_ovis.py 8
_base_ = './mfvis_ytvis.py'

classes = ('Person', 'Bird', 'Cat', 'Dog', 'Horse', 'Sheep', 'Cow', 'Elephant',
           'Bear', 'Zebra', 'Giraffe', 'Poultry', 'Giant_panda', 'Lizard',
           'Parrot', 'Monkey', 'Rabbit', 'Tiger', 'Fish', 'Turtle', 'Bicycle',
           'Motorcycle', 'Airplane', 'Boat', 'Vehical')
num_classes = len(classes)
data_root = 'data/ovis/'

model = dict(
    track_head=dict(
        num_classes=num_classes,
        loss_cls=dict(class_weight=[1.0] * num_classes + [0.1])))

# mmdet's BaseVideoDataset with the file checked on load (as mfvis_ytvis.py's)
ovis_dataset = dict(
    type='CheckedVideoDataset',
    metainfo=dict(classes=classes),
    data_root=data_root)
train_dataloader = dict(
    dataset=dict(
        ovis_dataset,
        _delete_=True,
        ann_file='annotations/ovis_train_boxes.json',
        data_prefix=dict(img_path='train/'),
        pipeline={{_base_.train_pipeline}}))
val_dataloader = dict(
    dataset=dict(
        ovis_dataset,
        _delete_=True,
        test_mode=True,
        ann_file='annotations/ovis_valid.json',
        data_prefix=dict(img_path='valid/'),
        pipeline={{_base_.test_pipeline}}))
test_dataloader = val_dataloader
