# MaskFreeVIS, R-50, YouTube-VIS 2019: mmdet's Mask2Former-VIS
# trained from boxes only, starting from the COCO Mask2Former checkpoint as
# mmdet's config does. 8 GPUs x 2 clips:
#   tools/dist_train.sh configs/mfvis_ytvis.py 8
_base_ = [
    'mmdet::mask2former_vis/mask2former_r50_8xb2-8e_youtubevis2019.py',
    './_base_/box_supervision.py'
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
# the published batch, for --auto-scale-lr on another number of GPUs
auto_scale_lr = dict(enable=False, base_batch_size=16)
