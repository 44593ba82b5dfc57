import os.path as osp

import pytest
import torch
from mmengine.structures import InstanceData

from mmfvis.models.dense_heads.box_supervised_head_mixin import _describe_batch
from ...builders import build_model, load_config
from ...paths import CONFIG_DIR, TINY_CONFIG

TINY_IMAGE_CONFIG = osp.join(CONFIG_DIR, 'mfvis_coco_box_pretrain_tiny_cpu.py')
# the image head and the clip head: config, head, the frame dimensions of
# its masks, an image's or a video's metainfo and how errors name it
HEADS = dict(
    image=(TINY_IMAGE_CONFIG, 'panoptic_head', (), dict(img_path='a.jpg'),
           'image a.jpg'),
    video=(TINY_CONFIG, 'track_head', (2, ), dict(video_id=[5]), 'video 5'))


@pytest.fixture(scope='module', params=sorted(HEADS))
def head_case(request):
    config, head_name, frames, metainfo, named = HEADS[request.param]
    head = getattr(build_model(load_config(config)), head_name)
    return head, frames, metainfo, named


def test_the_mixin_names_the_images_or_videos_of_the_batch():
    assert _describe_batch([dict(video_id=[3, 3]),
                            dict(video_id=[8, 8])]) == \
        'batch of videos [3, 8]'
    assert _describe_batch([dict(img_path='a.jpg'), dict(img_id=7)]) == \
        'batch of images [\'a.jpg\', 7]'


def test_matching_uses_the_box_of_the_predicted_mask(head_case):
    head, frames, metainfo, _ = head_case
    num_queries = head.num_queries
    gt_boxes = torch.zeros(2, *frames, 16, 16)
    gt_boxes[0, ..., 2:10, 2:8] = 1
    gt_boxes[1, ..., 8:15, 9:16] = 1
    mask_pred = torch.full((num_queries, *frames, 16, 16), -5.0)
    # a plus whose box is gt 0's box; a cross in gt 1's box
    mask_pred[7, ..., 2:10, 4:6] = 5
    mask_pred[7, ..., 5:7, 2:8] = 5
    mask_pred[3, ..., 8:15, 12:13] = 5
    mask_pred[3, ..., 11:12, 9:16] = 5
    gt = InstanceData(labels=torch.tensor([0, 2]), box_masks=gt_boxes)
    cls_score = torch.zeros(num_queries, head.num_classes + 1)
    *targets, matched = head._get_targets_single(cls_score, mask_pred, gt,
                                                 metainfo)
    assert matched.tolist() == [7, 3]
    labels = targets[0]
    assert labels[7] == 0 and labels[3] == 2
    assert (labels == head.num_classes).sum() == num_queries - 2


def test_more_instances_than_queries_names_the_image_or_video(head_case):
    head, frames, metainfo, named = head_case
    count = head.num_queries + 1
    gt = InstanceData(
        labels=torch.zeros(count, dtype=torch.long),
        box_masks=torch.ones(count, *frames, 4, 4))
    with pytest.raises(ValueError, match=f'{named} .* raise num_queries'):
        head._get_targets_single(
            torch.zeros(head.num_queries, 4),
            torch.zeros(head.num_queries, *frames, 4, 4), gt, metainfo)
