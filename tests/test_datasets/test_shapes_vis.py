import filecmp
import json
import os.path as osp

import numpy as np
import pytest
from pycocotools import mask as mask_utils

from mmfvis.datasets import SHAPE_CLASSES, generate_shapes_vis
from .shapes_datasets import build_shapes_dataset


def _load(path):
    with open(path) as f:
        return json.load(f)


def test_same_seed_gives_same_files(tmp_path):
    first, second = (
        generate_shapes_vis(
            str(tmp_path / folder),
            num_videos=2,
            num_frames=3,
            seed=5,
            show_progress=False) for folder in 'ab')
    assert _load(first['official']) == _load(second['official'])
    frame = 'train_0002/00002.jpg'
    assert filecmp.cmp(
        osp.join(first['img_dir'], frame),
        osp.join(second['img_dir'], frame),
        shallow=False)


def test_boxes_are_tight_around_the_visible_masks(shapes_root):
    official = _load(osp.join(shapes_root, 'annotations', 'train.json'))
    assert [c['name'] for c in official['categories']] == list(SHAPE_CLASSES)
    checked = 0
    for track in official['annotations']:
        for box, area, rle in zip(track['bboxes'], track['areas'],
                                  track['segmentations']):
            assert (box is None) == (rle is None) == (area is None)
            if rle is None:
                continue
            mask = mask_utils.decode(rle).astype(bool)
            ys, xs = np.nonzero(mask)
            assert box == [
                xs.min(),
                ys.min(),
                xs.max() + 1 - xs.min(),
                ys.max() + 1 - ys.min()
            ]
            assert area == mask.sum()
            checked += 1
    assert checked > 0


def test_shapes_are_far_from_their_boxes(shapes_root):
    """Filled boxes must be a poor mask, or box supervision is trivial."""
    official = _load(osp.join(shapes_root, 'annotations', 'train.json'))
    fills = [
        area / (box[2] * box[3]) for track in official['annotations']
        for box, area in zip(track['bboxes'], track['areas'])
        if box is not None
    ]
    assert np.mean(fills) < 0.7


def test_occluded_shapes_do_not_overlap(shapes_root):
    official = _load(osp.join(shapes_root, 'annotations', 'train.json'))
    by_video = {}
    for track in official['annotations']:
        by_video.setdefault(track['video_id'], []).append(track)
    for tracks in by_video.values():
        for frame in range(len(tracks[0]['segmentations'])):
            masks = [
                mask_utils.decode(t['segmentations'][frame]) for t in tracks
                if t['segmentations'][frame] is not None
            ]
            if masks:
                assert np.sum(masks, axis=0).max() <= 1


def test_boxes_only_file_has_no_mask(shapes_root):
    boxes_only = _load(
        osp.join(shapes_root, 'annotations', 'train_mmdet_boxes.json'))
    with_masks = _load(
        osp.join(shapes_root, 'annotations', 'train_mmdet.json'))
    assert all('segmentation' not in a for a in boxes_only['annotations'])
    assert all('segmentation' in a for a in with_masks['annotations'])
    strip = [{
        k: v
        for k, v in a.items() if k != 'segmentation'
    } for a in with_masks['annotations']]
    assert strip == boxes_only['annotations']


def test_dataset_generates_missing_split_and_loads_it(tmp_path):
    dataset = build_shapes_dataset(tmp_path, num_videos=3, num_frames=4)
    assert len(dataset) == 3
    video = dataset.get_data_info(0)
    assert video['video_length'] == 4
    first_frame = video['images'][0]
    assert osp.isfile(first_frame['img_path'])
    assert all('mask' not in inst for inst in first_frame['instances'])
    assert dataset.metainfo['classes'] == SHAPE_CLASSES


def test_dataset_names_a_file_the_generator_does_not_write(tmp_path):
    with pytest.raises(FileNotFoundError, match='typo.json'):
        build_shapes_dataset(
            tmp_path, 'annotations/typo.json', num_videos=1, num_frames=2)


def test_files_of_other_settings_are_regenerated_not_reused(tmp_path):
    assert len(build_shapes_dataset(tmp_path, num_videos=2, num_frames=3)) == 2
    dataset = build_shapes_dataset(tmp_path, num_videos=3, num_frames=4)
    assert len(dataset) == 3
    assert dataset.get_data_info(0)['video_length'] == 4
    settings = _load(tmp_path / 'annotations' / 'train_settings.json')
    assert (settings['num_videos'], settings['num_frames']) == (3, 4)


def test_files_of_the_same_settings_are_reused(tmp_path):
    build_shapes_dataset(tmp_path, num_videos=2, num_frames=3)
    ann_file = tmp_path / 'annotations' / 'train_mmdet_boxes.json'
    written = ann_file.stat().st_mtime_ns
    build_shapes_dataset(tmp_path, num_videos=2, num_frames=3)
    assert ann_file.stat().st_mtime_ns == written


def test_files_without_recorded_settings_are_regenerated(tmp_path):
    build_shapes_dataset(tmp_path, num_videos=2, num_frames=3)
    (tmp_path / 'annotations' / 'train_settings.json').unlink()
    ann_file = tmp_path / 'annotations' / 'train_mmdet_boxes.json'
    ann_file.write_text('{}')
    assert len(build_shapes_dataset(tmp_path, num_videos=2, num_frames=3)) == 2


def test_a_file_of_another_split_is_refused_before_generating(tmp_path):
    with pytest.raises(
            ValueError,
            match="split 'val' but generate describes split 'train'"):
        build_shapes_dataset(
            tmp_path, 'annotations/val_mmdet.json', num_videos=1, num_frames=2)
    assert not (tmp_path / 'annotations').exists()
