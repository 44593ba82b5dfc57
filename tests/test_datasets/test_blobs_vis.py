"""The blob videos: outlines that tell nothing of a class, camouflage and
occlusion; and the default shapes videos left as they were."""
import hashlib
import itertools
import json

import cv2
import numpy as np
import pytest

from mmfvis.datasets.synthetic import (BLOB_CLASSES, generate_shapes_vis,
                                       render_blob_video, render_shapes_video)
from .shapes_datasets import build_shapes_dataset


def _videos(render, count=12, seed=3):
    rng = np.random.default_rng(seed)
    return [render(rng, 8, 96, 128, 3) for _ in range(count)]


def _inside(mask):
    """Whole, off the frame's borders: its outline is its own."""
    return mask.sum() >= 200 and not (mask[0].any() or mask[-1].any()
                                      or mask[:, 0].any() or mask[:, -1].any())


def _outline_distance(mask_a, mask_b):
    """cv2.matchShapes (Hu moments): 0 for the same outline moved, scaled
    or rotated."""

    def contour(mask):
        contours, _ = cv2.findContours(
            mask.astype(np.uint8), cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
        return max(contours, key=cv2.contourArea)

    return cv2.matchShapes(
        contour(mask_a), contour(mask_b), cv2.CONTOURS_MATCH_I2, 0)


def _outline_distances(videos):
    """(between instances of the same class at their first frame, between
    the first and last frame of each instance), whole instances only."""
    firsts, over_time = [], []
    for video in videos:
        for index, obj in enumerate(video.objects):
            first, last = video.full_masks[0][index], video.full_masks[-1][
                index]
            if _inside(first):
                firsts.append((obj.label, first))
                if _inside(last):
                    over_time.append(_outline_distance(first, last))
    between = [
        _outline_distance(a, b)
        for (label_a, a), (label_b, b) in itertools.combinations(firsts, 2)
        if label_a == label_b
    ]
    return np.array(between), np.array(over_time)


def test_no_outline_is_shared_by_instances_or_kept_over_time():
    between, over_time = _outline_distances(_videos(render_blob_video))
    assert len(between) > 20 and len(over_time) > 5
    assert np.median(between) > 0.5 and between.min() > 0.05
    assert np.median(over_time) > 0.2 and over_time.min() > 0.05
    # the measure tells: a class of the shapes videos shares one outline
    shapes_between, shapes_over_time = _outline_distances(
        _videos(render_shapes_video))
    assert np.median(shapes_between) < 0.05
    assert np.median(shapes_over_time) < 0.05


def test_blobs_are_far_from_their_boxes():
    fills = [
        mask.sum() / np.prod(np.ptp(np.nonzero(mask), axis=1) + 1)
        for video in _videos(render_blob_video) for frame in video.full_masks
        for mask in frame if mask.sum() >= 50
    ]
    assert np.mean(fills) < 0.65


def _colour_gap(frame, mask, others):
    """RGB distance of a blob's mean colour to that of the background in a
    ring around it (pixels of no object)."""
    ring = cv2.dilate(mask.astype(np.uint8), np.ones((9, 9), np.uint8)) > 0
    ring &= ~mask & ~others
    return np.linalg.norm(frame[mask].mean(0) - frame[ring].mean(0))


def test_some_blobs_take_the_background_colour():
    gaps = {True: [], False: []}
    videos = _videos(render_blob_video, count=30)
    for video in videos:
        for index, blob in enumerate(video.objects):
            mask = video.full_masks[0][index]
            # in front of every other blob, so that its colour shows
            if index != len(video.objects) - 1 or mask.sum() < 50:
                continue
            others = np.any(video.full_masks[0][:index], axis=0) if index \
                else np.zeros_like(mask)
            gaps[blob.camouflaged].append(
                _colour_gap(video.frames[0].astype(float), mask, others))
    share = np.mean(
        [blob.camouflaged for video in videos for blob in video.objects])
    assert 0.15 < share < 0.5
    assert len(gaps[True]) >= 3 and len(gaps[False]) >= 3
    assert np.median(gaps[True]) < 25 < np.median(gaps[False])


def test_blobs_occlude_each_other():
    hidden = []
    for video in _videos(render_blob_video, count=20):
        for frame in video.full_masks:
            for index, mask in enumerate(frame[:-1]):
                in_front = np.any(frame[index + 1:], axis=0)
                if mask.sum():
                    hidden.append((mask & in_front).sum() / mask.sum())
    hidden = np.array(hidden)
    assert np.mean(hidden > 0.2) > 0.05


def test_blob_split_has_one_class_and_loads(tmp_path):
    dataset = build_shapes_dataset(
        tmp_path,
        metainfo=dict(classes=BLOB_CLASSES),
        num_videos=3,
        num_frames=4,
        style='blobs')
    assert len(dataset) == 3
    with open(tmp_path / 'annotations' / 'train.json') as f:
        official = json.load(f)
    assert [c['name'] for c in official['categories']] == ['blob']
    assert {a['category_id'] for a in official['annotations']} == {1}
    with open(tmp_path / 'annotations' / 'train_settings.json') as f:
        assert json.load(f)['style'] == 'blobs'


def test_unknown_style_is_refused(tmp_path):
    with pytest.raises(ValueError, match="unknown style 'stars'"):
        generate_shapes_vis(str(tmp_path), style='stars', show_progress=False)


def test_default_shapes_videos_are_unchanged(tmp_path):
    """The digests of the files this generator wrote before the blob style
    existed (`make demo`'s data must stay what it was)."""
    paths = generate_shapes_vis(
        str(tmp_path), num_videos=3, num_frames=4, seed=7, show_progress=False)
    digests = {
        key: hashlib.md5(open(paths[key], 'rb').read()).hexdigest()
        for key in ('official', 'mmdet_boxes')
    }
    assert digests == dict(
        official='a87478af451ff77ac27037d02d1fa7db',
        mmdet_boxes='201506ebda1c5e8c10486648f4ee4599')
