# MaskFreeVIS, R-50, YouTube-VIS 2019 (the COCO-joint setting, boxes only):
# every batch holds YouTube-VIS clips and COCO images turned into
# pseudo-clips of augmented views (ImageToPseudoClip), half and half, all of
# T = 3 frames (the published joint clip length). The TK-loss pools its
# frame pairs over the batch, which needs one T for every clip: the video
# sampler and the pseudo-clips agree on num_frames.
# Relabel COCO with the YouTube-VIS classes first (boxes only):
#   python tools/dataset_converters/coco_to_video_classes.py \
#       data/coco/annotations/instances_train2017.json \
#       data/coco/annotations/coco2ytvis2019_train_boxes.json \
#       --classes ytvis2019 --boxes-only
# 8 GPUs x (1 clip + 1 pseudo-clip):
#   tools/dist_train.sh configs/mfvis_ytvis_coco_joint.py 8
_base_ = './mfvis_ytvis.py'

num_frames = 3
ytvis_classes = ('person', 'giant_panda', 'lizard', 'parrot', 'skateboard',
                 'sedan', 'ape', 'dog', 'snake', 'monkey', 'hand', 'rabbit',
                 'duck', 'cat', 'cow', 'fish', 'train', 'horse', 'turtle',
                 'bear', 'motorbike', 'giraffe', 'leopard', 'fox', 'deer',
                 'owl', 'surfboard', 'airplane', 'truck', 'zebra', 'tiger',
                 'elephant', 'snowboard', 'boat', 'shark', 'mouse', 'frog',
                 'eagle', 'earless_seal', 'tennis_racket')

coco_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadAnnotations', with_bbox=True, with_mask=False),
    # the video frames' scale, and one flip for the whole pseudo-clip
    dict(type='Resize', scale=(640, 360), keep_ratio=True),
    dict(type='RandomFlip', prob=0.5),
    dict(type='ImageToPseudoClip', num_frames=num_frames),
    dict(type='PackTrackInputs')
]

train_dataloader = dict(
    # one video clip and one COCO pseudo-clip per GPU and batch;
    # TrackAspectRatioBatchSampler reads video records only
    sampler=dict(
        _delete_=True,
        type='MultiSourceSampler',
        batch_size=2,
        source_ratio=[1, 1]),
    batch_sampler=None,
    dataset=dict(
        _delete_=True,
        type='ConcatDataset',
        # CocoDataset adds COCO's 80-colour palette to the shared classes
        ignore_keys=['palette'],
        datasets=[{{_base_.train_dataloader.dataset}},
                  dict(
                      type='CocoDataset',
                      metainfo=dict(classes=ytvis_classes),
                      data_root='data/coco/',
                      ann_file='annotations/coco2ytvis2019_train_boxes.json',
                      data_prefix=dict(img='train2017/'),
                      filter_cfg=dict(filter_empty_gt=True, min_size=32),
                      pipeline=coco_pipeline)]))

# YouTube-VIS clips of T = 3 as well, within 5 frames of a key frame
box_supervision = dict(
    clip_sampler=dict(
        type='ClipFrameSample',
        num_frames=num_frames,
        frame_range=5,
        shuffle=True))
