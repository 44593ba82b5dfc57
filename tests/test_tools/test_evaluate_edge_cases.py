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


def _shows_anything(track):
    return any(mask_utils.area(s) > 0 for s in track['segmentations'])


def _same_class(track, predictions, same_video):
    """The other tracks of ``track``'s class, in its video or the other."""
    return [
        p for p in predictions
        if p is not track and p['category_id'] == track['category_id'] and (
            p['video_id'] == track['video_id']) == same_video
    ]


def matched_track(predictions):
    """A track to make the only ground truth of its video: the best mask
    of its class there, outscored by a track of its class in the other
    video, which will have no instance: a false positive ranked above it.
    """
    for track in filter(_shows_anything, predictions):
        own = filter(_shows_anything,
                     _same_class(track, predictions, same_video=True))
        other = _same_class(track, predictions, same_video=False)
        if all(p['score'] < track['score']
               for p in own) and any(p['score'] > track['score']
                                     for p in other):
            return track
    raise AssertionError('no class has masks in both validation videos')


def annotations_with_one_track(shapes_root, track):
    """The validation split, ``track`` the only instance of its video, the
    other video without any."""
    with open(osp.join(shapes_root, 'annotations', 'val_mmdet.json')) as file:
        split = json.load(file)
    video_id = track['video_id']
    frames = sorted((i for i in split['images'] if i['video_id'] == video_id),
                    key=lambda image: image['frame_id'])
    split['annotations'] = []
    for image, segmentation in zip(frames, track['segmentations']):
        area = float(mask_utils.area(segmentation))
        if area == 0:
            continue  # absent from this frame
        x, y, width, height = mask_utils.toBbox(segmentation).tolist()
        split['annotations'].append(
            dict(
                id=len(split['annotations']) + 1,
                video_id=video_id,
                image_id=image['id'],
                instance_id=1,
                category_id=track['category_id'],
                bbox=[x, y, width, height],
                area=area,
                iscrowd=0,
                segmentation=segmentation))
    return split


def official_ap(split, track, predictions, video_ids):
    """The YouTube-VIS evaluation of ``predictions`` against ``track`` as
    the only ground truth, over ``video_ids``."""
    videos = [
        dict(id=v['id'], height=v['height'], width=v['width'])
        for v in split['videos']
    ]
    for video in videos:
        video['length'] = sum(i['video_id'] == video['id']
                              for i in split['images'])
    present = [
        segmentation if mask_utils.area(segmentation) > 0 else None
        for segmentation in track['segmentations']
    ]
    ground_truth = YTVIS()
    ground_truth.dataset = dict(
        videos=videos,
        categories=split['categories'],
        annotations=[
            dict(
                id=1,
                video_id=track['video_id'],
                category_id=track['category_id'],
                iscrowd=0,
                segmentations=present,
                bboxes=[
                    None if s is None else mask_utils.toBbox(s).tolist()
                    for s in present
                ],
                areas=[
                    None if s is None else float(mask_utils.area(s))
                    for s in present
                ])
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
    # without the empty video's false positive the AP would be higher
    annotated = track['video_id']
    without = official_ap(
        split, track, [p for p in predictions if p['video_id'] == annotated],
        [annotated])
    assert without['mAP'] > expected['mAP'] > 0
    assert np.isclose(without['AR@10'], expected['AR@10'])
