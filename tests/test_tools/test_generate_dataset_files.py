"""tools/analysis/generate_dataset_files.py at a tiny size: each preset
goes through its converter or importer, the checker and the checked
dataset; the files are seeded and the masks are the ellipses in the
boxes."""
import os
import os.path as osp

import cv2
import numpy as np
import pytest
from pycocotools import mask as mask_utils

from mmfvis.datasets import BDD100K_CLASSES
from .imported_videos import load_checked, loaded_videos, read_json
from .tool_loading import load_tool

generator = load_tool('analysis/generate_dataset_files.py')
youtube_vis_to_mmdet = load_tool('dataset_converters/youtube_vis_to_mmdet.py')
check_dataset = load_tool('misc/check_dataset.py')
IMPORTERS = dict(
    bdd100k=load_tool('dataset_converters/bdd100k_to_mmdet.py'),
    mot20=load_tool('dataset_converters/mot_to_mmdet.py'),
    cvat=load_tool('dataset_converters/cvat_to_mmdet.py'))
# A few videos of each preset (MOT20 and the long video: a few frames)
SCALES = dict(
    ytvis2019=0.002,
    ytvis2021=0.001,
    ovis=0.005,
    bdd100k=0.002,
    mot20=0.002,
    cvat=0.02,
    long_video=0.02)
IMPORTED_CLASSES = dict(
    bdd100k=BDD100K_CLASSES,
    mot20=('pedestrian', ),
    cvat=generator.CVAT_LABELS)


@pytest.fixture(scope='module')
def generated(tmp_path_factory):
    """Every preset at its tiny scale: preset -> (root, what it wrote)."""
    root = str(tmp_path_factory.mktemp('generated'))
    return root, {
        name: generator.generate(name, root, scale)
        for name, scale in SCALES.items()
    }


def youtube_vis_dataset(name, ann_file, img_root):
    """The converted file in the checked dataset its config trains on."""
    if name == 'ovis':
        return load_checked(ann_file, generator.OVIS_CLASSES, img_root)
    from mmdet.registry import DATASETS
    return DATASETS.build(
        dict(
            type='CheckedYouTubeVISDataset',
            dataset_version=name[-4:],
            ann_file=str(ann_file),
            data_prefix=dict(img_path=str(img_root)),
            test_mode=True,
            pipeline=[]))


@pytest.mark.parametrize('name', ['ytvis2019', 'ytvis2021', 'ovis'])
def test_youtube_vis_presets_convert_both_ways_and_load(
        name, generated, tmp_path, capsys):
    root, written = generated
    counts = written[name]
    assert counts['videos'] == round(generator.PRESETS[name].videos *
                                     SCALES[name])
    boxes, masks = tmp_path / 'boxes.json', tmp_path / 'masks.json'
    official = counts['annotations']
    youtube_vis_to_mmdet.main([official, str(boxes), '--boxes-only'])
    youtube_vis_to_mmdet.main([official, str(masks)])
    with_masks = read_json(masks)['annotations']
    assert len(with_masks) == counts['boxes']
    assert all('segmentation' in annotation for annotation in with_masks)
    assert not any('segmentation' in a
                   for a in read_json(boxes)['annotations'])
    assert check_dataset.main([str(boxes), '--img-root',
                               counts['img_root']]) == 0
    assert '0 error(s), 0 skip(s)' in capsys.readouterr().out
    dataset = youtube_vis_dataset(name, boxes, counts['img_root'])
    assert len(loaded_videos(dataset)) == counts['videos']


@pytest.mark.parametrize('name', ['bdd100k', 'mot20', 'cvat'])
def test_box_track_presets_import_check_and_load(name, generated, tmp_path,
                                                 capsys):
    root, written = generated
    counts = written[name]
    source = counts.get('labels') or counts.get('sequences') or \
        counts['exports']
    img_root = counts['img_root']
    output = tmp_path / 'train.json'
    options = ['--img-root', img_root] if name == 'bdd100k' else []
    IMPORTERS[name].main([source, str(output), *options])
    imported = read_json(output)
    if name == 'cvat':  # a box a frame of each box track: all are kept
        assert len(imported['annotations']) == counts['boxes']
    else:  # BDD100K's ignored categories and crowds, MOT's conf 0 rows
        assert 0 < len(imported['annotations']) < counts['boxes']
        assert imported['import_skips']
    classes = IMPORTED_CLASSES[name]
    assert [c['name'] for c in imported['categories']] == list(classes)
    assert check_dataset.main(
        [str(output), '--img-root', img_root, '--classes', *classes]) == 0
    assert '0 error(s)' in capsys.readouterr().out
    dataset = load_checked(output, classes, img_root)
    assert len(loaded_videos(dataset)) == counts['videos']


def test_frames_link_to_real_720p_jpegs(generated):
    root, written = generated
    frames = written['ytvis2019']['img_root']
    video = sorted(os.listdir(frames))[0]
    first = osp.join(frames, video, '00000.jpg')
    assert osp.islink(first)
    assert osp.dirname(os.readlink(first)) == osp.join(
        osp.abspath(root), generator.POOL_FOLDER)
    image = cv2.imread(first)
    assert image.shape == (720, 1280, 3)
    assert osp.getsize(first) > 100_000  # the size of a photo's JPEG


def test_the_same_seed_writes_the_same_files(generated, tmp_path):
    root, written = generated
    again = generator.generate('bdd100k', str(tmp_path), SCALES['bdd100k'])
    names = sorted(os.listdir(again['labels']))
    assert names == sorted(os.listdir(written['bdd100k']['labels']))
    for name in names:
        with open(osp.join(again['labels'], name)) as file, \
                open(osp.join(written['bdd100k']['labels'], name)) as first:
            assert file.read() == first.read()


def test_masks_are_the_ellipses_inscribed_in_the_boxes(generated):
    root, written = generated
    official = read_json(written['ovis']['annotations'])
    track = official['annotations'][0]
    for box, area, rle in zip(track['bboxes'], track['areas'],
                              track['segmentations']):
        if box is None:
            continue
        mask = mask_utils.decode(dict(rle, counts=rle['counts'].encode()))
        ys, xs = np.nonzero(mask)
        x, y, w, h = box
        assert mask.sum() == area == pytest.approx(np.pi * w * h / 4, 0.05)
        assert x <= xs.min() and xs.max() < x + w
        assert y <= ys.min() and ys.max() < y + h


def test_long_video_has_an_mp4_and_a_json_per_length(generated):
    root, written = generated
    counts = written['long_video']
    lengths = [
        max(2, round(n * SCALES['long_video']))
        for n in generator.LONG_VIDEO_LENGTHS
    ]
    for key, length in zip(generator.LONG_VIDEO_LENGTHS, lengths):
        capture = cv2.VideoCapture(counts[f'video_{key}'])
        assert int(capture.get(cv2.CAP_PROP_FRAME_COUNT)) == length
        assert int(capture.get(cv2.CAP_PROP_FRAME_WIDTH)) == 1280
        capture.release()
        official = read_json(counts[f'annotations_{key}'])
        assert official['videos'][0]['length'] == length
        assert all(
            len(track['segmentations']) == length
            for track in official['annotations'])
    assert len(os.listdir(osp.join(counts['img_root'], 'long_video'))) == \
        max(lengths)
