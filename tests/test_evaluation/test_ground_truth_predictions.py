import json

import numpy as np
import pytest
from mmdet.registry import DATASETS
from pycocotools import mask as mask_utils

from mmfvis.evaluation import evaluate_filled_boxes, filled_box_mask
from ..builders import SHAPES_SPLITS


def test_filled_box_mask_rounds_and_clips_to_the_frame():
    mask = filled_box_mask(dict(bbox=[-2.0, 1.4, 3.6, 3.0]), (5, 6))
    expected = np.zeros((5, 6), bool)
    expected[1:3, 0:4] = True
    assert np.array_equal(mask, expected)


def _filled_and_true_masks(track):
    """Each annotated frame's (filled box, true mask), (H, W) bool."""
    for box, rle in zip(track['bboxes'], track['segmentations']):
        if box is None:
            continue
        mask = mask_utils.decode(rle).astype(bool)
        x, y, w, h = box
        yield filled_box_mask(dict(bbox=[x, y, x + w, y + h]),
                              mask.shape), mask


def _box_mask_ious(official):
    """Video-level IoU of each track's filled boxes with its masks: summed
    intersections over summed unions across frames, as YouTube-VIS scores."""
    ious = []
    for track in official['annotations']:
        inter = union = 0
        for filled, mask in _filled_and_true_masks(track):
            inter += (mask & filled).sum()
            union += (mask | filled).sum()
        if union:
            ious.append(inter / union)
    return np.array(ious)


def _val_split(shapes_root):
    """The official val file and its dataset, without a pipeline."""
    with open(f'{shapes_root}/annotations/val.json') as f:
        official = json.load(f)
    dataset = DATASETS.build(
        dict(
            type='ShapesVISDataset',
            data_root=shapes_root,
            ann_file='annotations/val_mmdet.json',
            data_prefix=dict(img_path='val/JPEGImages'),
            generate=SHAPES_SPLITS['val'],
            test_mode=True,
            pipeline=[]))
    return official, dataset


def test_filled_boxes_score_what_their_overlap_allows(shapes_root):
    """Every video-level IoU of a filled box with its shape is below 0.75,
    so filled boxes can only score at thresholds 0.5 to 0.7."""
    official, dataset = _val_split(shapes_root)
    results = evaluate_filled_boxes(
        dataset, dict(type='YouTubeVISMaskMetric'), show_progress=False)
    ious = _box_mask_ious(official)
    assert ious.max() < 0.75
    assert results['youtube_vis/segm_mAP_75'] == 0.0
    assert 0.0 <= results['youtube_vis/segm_mAP'] < 0.3
    if (ious > 0.5).any():
        assert results['youtube_vis/segm_mAP_50'] > 0
    else:
        assert results['youtube_vis/segm_mAP_50'] == pytest.approx(0.0)


def _mean_frame_ious(official):
    """Per track, the mean over its frames of the IoU of its filled box
    with its mask, as DAVIS's J scores a track."""
    return np.array([
        np.mean([(mask & filled).sum() / (mask | filled).sum()
                 for filled, mask in _filled_and_true_masks(track)])
        for track in official['annotations']
    ])


def test_filled_boxes_under_several_metrics(shapes_root):
    """AP and J&F of one pass: the AP of the metric alone, and J the mean
    per-frame IoU of each track's filled boxes."""
    official, dataset = _val_split(shapes_root)
    alone = evaluate_filled_boxes(
        dataset, dict(type='YouTubeVISMaskMetric'), show_progress=False)
    both = evaluate_filled_boxes(
        dataset,
        [dict(type='YouTubeVISMaskMetric'),
         dict(type='TrackJFMetric')],
        show_progress=False)
    assert {k: v for k, v in both.items() if k in alone} == alone
    assert both['davis/J'] == pytest.approx(
        _mean_frame_ious(official).mean(), abs=1e-6)
    assert 0 < both['davis/F'] < 1
