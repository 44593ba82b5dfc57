"""CheckedVideoDataset: the checks run on load, skips are logged and
dropped, errors stop with their location, frames fail with their name."""
import copy
import io
import json
import logging
import os
import os.path as osp
import shutil

import pytest
from mmdet.registry import DATASETS
from mmengine.logging import MMLogger

from mmfvis.datasets import SHAPE_CLASSES, FrameLoadError, VideoAnnotationError
from ..builders import boxes_only_file

LOADING_PIPELINE = [
    dict(type='ClipFrameSample', num_frames=1, frame_range=0),
    dict(
        type='TransformBroadcaster',
        transforms=[dict(type='LoadImageFromFile')])
]


@pytest.fixture
def captured_log():
    """What mmengine's current logger writes during the test."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    logger = MMLogger.get_current_instance()
    logger.addHandler(handler)
    yield stream
    logger.removeHandler(handler)


def shapes_annotations(shapes_root):
    with open(boxes_only_file(shapes_root)) as file:
        return json.load(file)


def build(shapes_root, tmp_path, data, test_mode=False, img_root=None):
    ann_file = tmp_path / 'train.json'
    ann_file.write_text(json.dumps(data))
    return DATASETS.build(
        dict(
            type='CheckedVideoDataset',
            ann_file=str(ann_file),
            metainfo=dict(classes=SHAPE_CLASSES),
            data_prefix=dict(
                img_path=img_root
                or osp.join(shapes_root, 'train', 'JPEGImages')),
            test_mode=test_mode,
            pipeline=LOADING_PIPELINE))


def video_ids(dataset):
    return [dataset.get_data_info(i)['video_id'] for i in range(len(dataset))]


def instances_of(dataset):
    return {(frame['img_id'], instance['instance_id'])
            for video in dataset.load_data_list()
            for frame in video['images']
            for instance in frame['instances']}


def test_skips_are_dropped_and_logged_with_locations(shapes_root, tmp_path,
                                                     captured_log):
    data = shapes_annotations(shapes_root)
    first, second = data['annotations'][:2]
    first['bbox'][2] = 0.5  # narrower than a pixel
    second['bbox'][:2] = [500, 500]  # outside the 128x96 frame
    dataset = build(shapes_root, tmp_path, data)
    kept = instances_of(dataset)
    assert (first['image_id'], first['instance_id']) not in kept
    assert (second['image_id'], second['instance_id']) not in kept
    assert len(kept) == len(data['annotations']) - 2
    log = captured_log.getvalue()
    assert '2 skipped' in log
    assert 'SKIP: box smaller than a pixel: 1' in log
    video = f"video 1 ({data['videos'][0]['name']})"
    assert f"{video}, frame 0 (train_0001/00000.jpg), annotation 1: " \
        "field 'bbox'" in log
    assert dataset.annotation_report.skipped_annotation_ids == {1, 2}


def test_a_clean_file_logs_its_counts(shapes_root, tmp_path, captured_log):
    build(shapes_root, tmp_path, shapes_annotations(shapes_root))
    assert 'checked 4 videos, 24 frames' in captured_log.getvalue()
    assert 'no problem' in captured_log.getvalue()


def test_errors_stop_loading_naming_file_video_frame_and_field(
        shapes_root, tmp_path):
    data = shapes_annotations(shapes_root)
    data['annotations'][3]['bbox'][3] = float('inf')
    with pytest.raises(VideoAnnotationError) as raised:
        build(shapes_root, tmp_path, data)
    message = str(raised.value)
    assert message.startswith(f"{tmp_path / 'train.json'}: 1 annotation")
    assert "video 1 (train_0001), frame 3 (train_0001/00003.jpg), " \
        "annotation 4: field 'bbox'" in message


def test_truncated_file_names_itself(shapes_root, tmp_path):
    ann_file = tmp_path / 'train.json'
    text = json.dumps(shapes_annotations(shapes_root))
    ann_file.write_text(text[:len(text) - 100])
    with pytest.raises(VideoAnnotationError, match='truncated') as raised:
        DATASETS.build(
            dict(
                type='CheckedVideoDataset',
                ann_file=str(ann_file),
                metainfo=dict(classes=SHAPE_CLASSES)))
    assert str(ann_file) in str(raised.value)


def test_video_without_boxes_is_dropped_in_training_kept_in_test(
        shapes_root, tmp_path, captured_log):
    data = shapes_annotations(shapes_root)
    data['annotations'] = [
        a for a in data['annotations'] if a['video_id'] != 2
    ]
    training = build(shapes_root, tmp_path, data)
    assert video_ids(training) == [1, 3, 4]
    assert 'video ids [2]' in captured_log.getvalue()
    assert 'SKIP: video without any annotated frame: 1' in \
        captured_log.getvalue()
    testing = build(shapes_root, tmp_path, data, test_mode=True)
    assert video_ids(testing) == [1, 2, 3, 4]


def test_frames_are_sorted_and_areas_filled(shapes_root, tmp_path):
    data = shapes_annotations(shapes_root)
    with_areas = instances_of(build(shapes_root, tmp_path, data))
    assert len(with_areas) == len(data['annotations'])
    data['images'].reverse()
    for box in data['annotations']:
        del box['area']
    dataset = build(shapes_root, tmp_path, data)
    frames = dataset.get_data_info(0)['images']
    assert [f['frame_id'] for f in frames] == list(range(len(frames)))
    assert video_ids(dataset) == [4, 3, 2, 1]  # in the order of the file
    # mmdet drops an instance whose area is missing or not positive
    assert instances_of(dataset) == with_areas


def test_a_missing_frame_fails_naming_video_and_frame(shapes_root, tmp_path):
    img_root = tmp_path / 'frames'
    shutil.copytree(osp.join(shapes_root, 'train', 'JPEGImages'), img_root)
    os.remove(img_root / 'train_0002' / '00001.jpg')
    (img_root / 'train_0002' / '00002.jpg').write_bytes(b'\xff\xd8 cut')
    data = shapes_annotations(shapes_root)
    dataset = build(shapes_root, tmp_path, data, img_root=str(img_root))
    assert [
        type(t).__name__ for t in dataset.pipeline.transforms[1].transforms
    ] == ['LoadFrameFromFile']
    video = video_ids(dataset).index(2)
    with pytest.raises(
            FrameLoadError,
            match='video 2, frame 1, file .*'
            'train_0002/00001.jpg: the frame is missing'):
        dataset.prepare_data((video, 1))
    with pytest.raises(
            FrameLoadError,
            match='video 2, frame 2, .*cannot be '
            'read as an image'):
        dataset.prepare_data((video, 2))


def test_youtube_vis_classes_must_match_the_file(tmp_path):
    data = dict(
        categories=[dict(id=1, name='giant_panda'),
                    dict(id=2, name='person')],
        images=[],
        annotations=[])
    ann_file = tmp_path / 'ytvis.json'
    ann_file.write_text(json.dumps(data))
    with pytest.raises(VideoAnnotationError, match='not among the file'):
        DATASETS.build(
            dict(
                type='CheckedYouTubeVISDataset',
                dataset_version='2019',
                ann_file=str(ann_file)))


def test_videos_are_parsed_as_mmdet_parses_them(shapes_root, tmp_path):
    """The checked file parsed once gives what mmdet's own loading (a COCO
    index read from the file again) gives: skips out, a category outside
    the classes left out, an image without a video its own video, the
    training filter alike."""
    from mmdet.datasets import BaseVideoDataset
    data = shapes_annotations(shapes_root)
    data['annotations'][0]['bbox'][2] = 0.5  # a skip
    data['categories'].append(dict(id=99, name='other'))
    # a track of a category outside the classes
    data['annotations'][1].update(category_id=99, instance_id=500)
    lone = dict(data['images'][0], id=10**6, file_name='lone.jpg')
    del lone['video_id'], lone['frame_id']
    data['images'].append(lone)
    data['annotations'].append(
        dict(data['annotations'][2], id=10**6, image_id=10**6))
    dataset = build(shapes_root, tmp_path, data)

    def loaded_and_filtered(load):
        dataset.data_list = load(dataset)
        for video in dataset.data_list:
            video['images'].sort(key=lambda frame: frame.get('frame_id', 0))
        return copy.deepcopy(dataset.data_list), dataset.filter_data()

    theirs = loaded_and_filtered(BaseVideoDataset.load_data_list)
    ours = loaded_and_filtered(type(dataset).load_data_list)
    assert ours == theirs
    videos, kept = ours
    assert videos[-1]['video_id'] == 100001
    skipped = data['annotations'][0]
    assert (skipped['image_id'], skipped['instance_id']) not in {
        (frame['img_id'], instance['instance_id'])
        for video in videos
        for frame in video['images']
        for instance in frame['instances']
    }
    assert kept[-1]['video_id'] == 100001 and kept[-1]['video_length'] == 1
