# MaskFreeVIS, R-50, OVIS (25 classes, YouTube-VIS format). Convert the
# official files first (see the README):
#   python tools/dataset_converters/... --boxes-only  ->  ovis_train_boxes.json
#   python tools/dataset_converters/...               ->  ovis_valid.json
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

train_dataloader = dict(
    dataset=dict(
        _delete_=True,
        type='CheckedVideoDataset',
        metainfo=dict(classes=classes),
        data_root=data_root,
        ann_file='annotations/ovis_train_boxes.json',
        data_prefix=dict(img_path='train/'),
        pipeline={{_base_.train_pipeline}}))
val_dataloader = dict(
    dataset=dict(
        _delete_=True,
        type='CheckedVideoDataset',
        metainfo=dict(classes=classes),
        data_root=data_root,
        ann_file='annotations/ovis_valid.json',
        data_prefix=dict(img_path='valid/'),
        test_mode=True,
        pipeline={{_base_.test_pipeline}}))
test_dataloader = val_dataloader
