"""tools/test.py on a split with a video that has no instance: the numbers
of the official evaluation of what it predicted, the empty video's
predictions counted as false positives."""
import contextlib
import glob
import io
import json
import os.path as osp
import re

import numpy as np
import pytest
from mmdet.evaluation.functional import YTVIS, YTVISeval
from pycocotools import mask as mask_utils

from ..paths import REPO_ROOT, TINY_CONFIG
from .conftest import data_root_options, run_tool

METRICS = ('mAP', 'mAP_50', 'mAP_75', 'AR@1', 'AR@10')
STATS_INDEX = dict(zip(METRICS, (0, 1, 2, 6, 7)))


def validation_predictions(tiny_checkpoint):
    """What the checkpoint predicted on the validation videos, written by
    the validation at the end of its training run (official format)."""
    [path] = glob.glob(
        osp.join(osp.dirname(tiny_checkpoint), '*', 'results.json'))
    with open(path) as file:
        return json.load(file)


def matched_track(predictions):
    """A track of video 1, present on every frame, scoring below a track
    of video 2: made the ground truth, it is found only after false
    positives of the video without instances."""
    best_of_video_2 = max(p['score'] for p in predictions
                          if p['video_id'] == 2)
    candidates = [
        p for p in predictions
        if p['video_id'] == 1 and p['score'] < best_of_video_2 and all(
            mask_utils.area(s) > 0 for s in p['segmentations'])
    ]
    assert candidates, 'no track of video 1 scores below one of video 2'
    return min(candidates, key=lambda p: p['score'])


def annotations_with_one_track(shapes_root, track):
    """The validation split, video 1 with ``track`` as its only instance,
    video 2 without any."""
    with open(osp.join(shapes_root, 'annotations', 'val_mmdet.json')) as file:
        split = json.load(file)
    frames = sorted((i for i in split['images'] if i['video_id'] == 1),
                    key=lambda image: image['frame_id'])
    split['annotations'] = []
    for image, segmentation in zip(frames, track['segmentations']):
        x, y, width, height = mask_utils.toBbox(segmentation).tolist()
        split['annotations'].append(
            dict(
                id=len(split['annotations']) + 1,
                video_id=1,
                image_id=image['id'],
                instance_id=1,
                category_id=track['category_id'],
                bbox=[x, y, width, height],
                area=float(mask_utils.area(segmentation)),
                iscrowd=0,
                segmentation=segmentation))
    return split


def official_ap(split, track, predictions, video_ids):
    """The YouTube-VIS evaluation of ``predictions`` against ``track`` as
    the ground truth of video 1, over ``video_ids``."""
    videos = [
        dict(id=v['id'], height=v['height'], width=v['width'])
        for v in split['videos']
    ]
    for video in videos:
        video['length'] = sum(i['video_id'] == video['id']
                              for i in split['images'])
    segmentations = track['segmentations']
    ground_truth = YTVIS()
    ground_truth.dataset = dict(
        videos=videos,
        categories=split['categories'],
        annotations=[
            dict(
                id=1,
                video_id=1,
                category_id=track['category_id'],
                iscrowd=0,
                segmentations=segmentations,
                bboxes=[mask_utils.toBbox(s).tolist() for s in segmentations],
                areas=[float(mask_utils.area(s)) for s in segmentations])
        ])
    with contextlib.redirect_stdout(io.StringIO()):
        ground_truth.createIndex()
        evaluation = YTVISeval(ground_truth, ground_truth.loadRes(predictions),
                               'segm')
        evaluation.params.vidIds = video_ids
        evaluation.evaluate()
        evaluation.accumulate()
        evaluation.summarize()
    return {name: evaluation.stats[STATS_INDEX[name]] for name in METRICS}


def test_a_video_without_instances_is_evaluated(tmp_path, shapes_root,
                                                tiny_checkpoint):
    track = matched_track(validation_predictions(tiny_checkpoint))
    split = annotations_with_one_track(shapes_root, track)
    ann_file = tmp_path / 'val_video_2_empty.json'
    ann_file.write_text(json.dumps(split))
    result = run_tool([
        osp.join(REPO_ROOT, 'tools', 'test.py'), TINY_CONFIG, tiny_checkpoint,
        '--work-dir', 'work', '--cfg-options', *data_root_options(shapes_root),
        f'test_dataloader.dataset.ann_file={ann_file}'
    ],
                      cwd=str(tmp_path))
    assert 'SKIP: video without any annotated frame: 1' in result.stdout
    printed = dict(
        re.findall(r'youtube_vis/segm_(\S+): (-?[0-9.]+)', result.stdout))
    assert list(printed) == list(METRICS)
    [results_file] = glob.glob(str(tmp_path / 'work' / '*' / 'results.json'))
    with open(results_file) as file:
        predictions = json.load(file)
    assert {p['video_id'] for p in predictions} == {1, 2}
    expected = official_ap(split, track, predictions, [1, 2])
    for name in METRICS:
        assert float(printed[name]) == pytest.approx(
            expected[name], abs=5e-5), name
    # without the empty video's false positives the AP would be higher
    only_video_1 = [p for p in predictions if p['video_id'] == 1]
    without = official_ap(split, track, only_video_1, [1])
    assert without['mAP'] > expected['mAP'] > 0
    assert np.isclose(without['AR@10'], expected['AR@10'])
