# MaskTrack R-CNN R-50, YouTube-VIS 2019, trained from boxes only: mmdet's
# config (starting from its COCO Mask R-CNN checkpoint), with the
# box-supervised mask head and the TK term between the key and reference
# frames. 8 GPUs x 1 clip:
#   tools/dist_train.sh configs/mfvis_masktrack_rcnn_ytvis.py 8
_base_ = [
    'mmdet::masktrack_rcnn/'
    'masktrack-rcnn_mask-rcnn_r50_fpn_8xb1-12e_youtubevis2019.py',
    './_base_/box_supervision_rcnn_video.py'
]

# mmdet's dataset, with the annotation file checked on load: errors name the
# file, video, frame and field; what mmdet drops silently is logged
train_dataloader = dict(dataset=dict(type='CheckedYouTubeVISDataset'))
val_dataloader = dict(dataset=dict(type='CheckedYouTubeVISDataset'))
test_dataloader = val_dataloader
# the official valid split has no public ground truth: write the submission
# zip beside the log (mmdet's writes ./youtube_vis_results.*); a split with
# masks gets AP with format_only=False
val_evaluator = dict(
    _delete_=True, type='YouTubeVISMaskMetric', format_only=True)
test_evaluator = val_evaluator
