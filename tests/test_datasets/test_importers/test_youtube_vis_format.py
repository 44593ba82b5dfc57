"""mmfvis.datasets.importers.youtube_vis_format, on its own and run by
tools/dataset_converters/youtube_vis_to_mmdet.py: one split, boxes-only, a
round trip through mmdet, the check's report, and an error naming file,
video, annotation, frame and field."""
import copy
import json

import numpy as np
import pytest

import mmfvis  # noqa: F401  registers modules
from mmfvis.datasets import check_youtube_vis, convert_youtube_vis
from mmfvis.evaluation.metrics.youtube_vis_mask_metric import \
    ground_truth_tracks
from ...test_evaluation.video_samples import rle, video_sample
from ...test_tools.tool_loading import load_tool

converter = load_tool('dataset_converters/youtube_vis_to_mmdet.py')


def mask(top, left, height=3, width=4):
    values = np.zeros((10, 20), bool)
    values[top:top + height, left:left + width] = True
    return values


def official_video(video_id, length):
    """An official video record of ``length`` frames of 10x20 pixels,
    ``v<id>/<frame>.jpg``."""
    return dict(
        id=video_id,
        width=20,
        height=10,
        length=length,
        file_names=[f'v{video_id}/{frame}.jpg' for frame in range(length)])


def official_track(track_id, video_id, category_id, bboxes, areas,
                   segmentations):
    """An official instance record: per-frame boxes (x, y, w, h), areas
    and masks, None where the instance is absent."""
    return dict(
        id=track_id,
        video_id=video_id,
        category_id=category_id,
        iscrowd=0,
        bboxes=bboxes,
        areas=areas,
        segmentations=segmentations)


# A YouTube-VIS style split: two videos of 10x20 pixels, three tracks, two
# of them absent from a frame; boxes x, y, w, h; masks compressed RLE.
OFFICIAL = dict(
    categories=[dict(id=3, name='fish'),
                dict(id=7, name='crab')],
    videos=[official_video(11, 3),
            official_video(12, 2)],
    annotations=[
        official_track(
            1, 11, 7, [[1, 2, 4, 3], None, [2, 2, 4, 3]], [12, None, 12],
            [rle(mask(2, 1)), None, rle(mask(2, 2))]),
        official_track(2, 11, 3, [[10, 5, 4, 3], [11, 5, 4, 3], [12, 5, 4, 3]],
                       [12, 12, 12],
                       [rle(mask(5, 10)),
                        rle(mask(5, 11)),
                        rle(mask(5, 12))]),
        official_track(3, 12, 3, [None, [0, 0, 4, 3]], [None, 12],
                       [None, rle(mask(0, 0))]),
    ])


def convert(tmp_path, official, *options):
    source = tmp_path / 'official.json'
    source.write_text(json.dumps(official))
    output = tmp_path / 'out' / 'mmdet.json'
    converter.main([str(source), str(output), *options])
    return json.loads(output.read_text())


def load_videos(tmp_path, converted):
    from mmdet.registry import DATASETS
    path = tmp_path / 'loaded.json'
    path.write_text(json.dumps(converted))
    dataset = DATASETS.build(
        dict(
            type='BaseVideoDataset',
            ann_file=str(path),
            metainfo=dict(classes=('fish', 'crab')),
            test_mode=True,
            pipeline=[]))
    return [dataset.get_data_info(i) for i in range(len(dataset))]


def official_tracks(info):
    """The tracks of a loaded video, back in the official layout."""
    frames = info['images']
    sample = video_sample(info['video_id'],
                          (frames[0]['height'], frames[0]['width']),
                          [f['instances'] for f in frames])
    return ground_truth_tracks(sample.video_data_samples)


def test_round_trip_through_mmdet_gives_back_every_track(tmp_path):
    videos = load_videos(tmp_path, convert(tmp_path, OFFICIAL))
    assert [v['video_id'] for v in videos] == [11, 12]
    assert [len(v['images']) for v in videos] == [3, 2]
    back = [t for v in videos for t in official_tracks(v)]
    assert len(back) == len(OFFICIAL['annotations'])
    classes = {3: 0, 7: 1}  # category id -> label, in the classes' order
    for original, track in zip(OFFICIAL['annotations'], back):
        assert track['label'] == classes[original['category_id']]
        assert track['bboxes'] == [
            None if b is None else [float(v) for v in b]
            for b in original['bboxes']
        ]
        assert track['segmentations'] == original['segmentations']
        assert track['frames_without_mask'] == 0


def test_boxes_only_keeps_every_box_and_no_mask(tmp_path):
    converted = convert(tmp_path, OFFICIAL, '--boxes-only')
    assert len(converted['annotations']) == 6
    assert not any('segmentation' in a for a in converted['annotations'])
    back = [
        t for v in load_videos(tmp_path, converted) for t in official_tracks(v)
    ]
    assert [t['bboxes'] for t in back] == [[
        None if b is None else [float(v) for v in b] for b in a['bboxes']
    ] for a in OFFICIAL['annotations']]
    assert all(t['frames_without_mask'] for t in back)


def test_split_without_annotations_converts(tmp_path):
    valid = {k: v for k, v in OFFICIAL.items() if k != 'annotations'}
    converted = convert(tmp_path, valid)
    assert len(converted['images']) == 5
    assert converted['annotations'] == []


def broken(edit):
    official = copy.deepcopy(OFFICIAL)
    edit(official)
    return official


def set_video(index, **fields):
    return lambda official: official['videos'][index].update(fields)


def set_track(index, **fields):
    return lambda official: official['annotations'][index].update(fields)


def set_frame(field, frame, value):
    """Replace frame ``frame`` of the first track's per-frame ``field``."""
    return lambda official: official['annotations'][0][field].__setitem__(
        frame, value)


def pop(field, index=None, part='annotations'):
    """Drop the top-level ``part`` (index None), or one record's field."""
    if index is None:
        return lambda official: official.pop(part)
    return lambda official: official[part][index].pop(field)


def resize(field, entries):
    return lambda official: official['annotations'][0].update(
        {field: (official['annotations'][0][field] + [None])[:entries]})


# case: (how the official dict is broken, fragments the error must hold)
# yapf: disable
MALFORMED = {
    'missing videos': (
        pop(None, part='videos'), ['top level', "missing field 'videos'"]),
    'video without frames': (
        pop('file_names', 1, 'videos'),
        ['video 12:', "missing field 'file_names'"]),
    'video length': (
        set_video(0, length=4),
        ['video 11 (v11)', "'length' is 4", 'lists 3 frames']),
    'duplicate video id': (
        set_video(1, id=11), ['video 11 (v12)', 'duplicate id 11']),
    'bboxes length': (
        resize('bboxes', 2),
        ['annotation 1 (video 11)', "'bboxes' has 2 entries",
         'video has 3 frames']),
    'segmentations length': (
        resize('segmentations', 4),
        ['annotation 1 (video 11)', "'segmentations' has 4 entries"]),
    'areas length': (
        resize('areas', 2),
        ['annotation 1 (video 11)', "'areas' has 2 entries"]),
    'unknown video': (
        set_track(0, video_id=99),
        ['annotation 1 (video 99)', "'video_id' names no video"]),
    'unknown category': (
        set_track(0, category_id=5),
        ['annotation 1 (video 11)', "'category_id' is 5", '[3, 7]']),
    'duplicate annotation id': (
        set_track(2, id=1), ['annotation 1 (video 12)', 'duplicate id 1']),
    'missing bboxes': (
        pop('bboxes', 0),
        ['annotation 1 (video 11)', "missing field 'bboxes'"]),
    'short bbox': (
        set_frame('bboxes', 2, [2, 2, 4]),
        ['annotation 1 (video 11), frame 2 (v11/2.jpg)', "'bboxes'",
         '[2, 2, 4]']),
    'nan bbox': (
        set_frame('bboxes', 0, [1, float('nan'), 4, 3]),
        ['annotation 1 (video 11), frame 0 (v11/0.jpg)', "'bboxes'"]),
    'negative width': (
        set_frame('bboxes', 0, [1, 2, -4, 3]),
        ['frame 0 (v11/0.jpg)', 'negative width']),
    'mask of another size': (
        set_frame('segmentations', 0, rle(np.zeros((20, 10), bool))),
        ['annotation 1 (video 11), frame 0 (v11/0.jpg)',
         "'segmentations' has size [20, 10]", 'video is 10x20']),
    'mask without box': (
        set_frame('segmentations', 1, rle(mask(0, 0))),
        ['frame 1 (v11/1.jpg)', "'bboxes' entry is null"]),
    'negative area': (
        set_frame('areas', 2, -1), ['frame 2 (v11/2.jpg)', "'areas'", '-1']),
}
# yapf: enable


@pytest.mark.parametrize('case', list(MALFORMED))
def test_malformed_input_names_file_video_annotation_frame_field(
        tmp_path, case):
    edit, fragments = MALFORMED[case]
    with pytest.raises(SystemExit) as error:
        convert(tmp_path, broken(edit))
    message = str(error.value)
    assert message.startswith(str(tmp_path / 'official.json') + ': ')
    for fragment in fragments:
        assert fragment in message, message
    assert not (tmp_path / 'out' / 'mmdet.json').exists()


def test_unreadable_files_are_named(tmp_path):
    with pytest.raises(SystemExit, match='no such file'):
        converter.main([str(tmp_path / 'missing.json'), 'out.json'])
    truncated = tmp_path / 'truncated.json'
    truncated.write_text('{"videos": [')
    with pytest.raises(SystemExit, match='truncated.json: not valid JSON'):
        converter.main([str(truncated), str(tmp_path / 'out.json')])


# Two videos, two tracks (one absent from a frame), fake RLE counts: what
# the conversion and the check give, without the script.
TWO_TRACKS = dict(
    categories=[dict(id=1, name='fish'),
                dict(id=2, name='crab')],
    videos=[official_video(7, 3), official_video(9, 2)],
    annotations=[
        official_track(1, 7, 2, [[1, 2, 3, 4], None, [2, 2, 3, 4]],
                       [12, None, 10], [{
                           'size': [10, 20],
                           'counts': 'a'
                       }, None, {
                           'size': [10, 20],
                           'counts': 'b'
                       }]),
        official_track(2, 9, 1, [None, [0, 0, 5, 5]], None, None),
    ])


def test_frames_become_images_in_video_order():
    converted = convert_youtube_vis(TWO_TRACKS)
    assert [(i['id'], i['video_id'], i['frame_id'], i['file_name'])
            for i in converted['images']] == [(1, 7, 0, 'v7/0.jpg'),
                                              (2, 7, 1, 'v7/1.jpg'),
                                              (3, 7, 2, 'v7/2.jpg'),
                                              (4, 9, 0, 'v9/0.jpg'),
                                              (5, 9, 1, 'v9/1.jpg')]
    assert [v['name'] for v in converted['videos']] == ['v7', 'v9']


def test_tracks_become_per_frame_annotations():
    annotations = convert_youtube_vis(TWO_TRACKS)['annotations']
    assert [(a['id'], a['image_id'], a['instance_id'], a['category_id'],
             a['bbox'], a['area']) for a in annotations] == [
                 (1, 1, 1, 2, [1, 2, 3, 4], 12.0),
                 (2, 3, 1, 2, [2, 2, 3, 4], 10.0),
                 (3, 5, 2, 1, [0, 0, 5, 5], 25.0),
             ]
    assert annotations[1]['segmentation'] == {'size': [10, 20], 'counts': 'b'}
    assert 'segmentation' not in annotations[2]


def test_boxes_only_drops_every_mask():
    annotations = convert_youtube_vis(
        TWO_TRACKS, boxes_only=True)['annotations']
    assert len(annotations) == 3
    assert all('segmentation' not in a for a in annotations)


def test_check_reports_the_validation_error_with_its_location():
    official = copy.deepcopy(TWO_TRACKS)
    official['annotations'][0]['bboxes'][2] = [2, 2, float('nan'), 4]
    [problem] = check_youtube_vis(official, 'train.json').problems
    assert problem.severity == 'error'
    assert problem.where == 'annotation 1 (video 7), frame 2 (v7/2.jpg)'
    assert "field 'bboxes'" in problem.message


def test_check_gives_the_skips_and_warnings_of_training():
    official = copy.deepcopy(TWO_TRACKS)
    official['annotations'][0]['areas'][0] = 0  # skip; frame 2 remains
    official['annotations'][1]['bboxes'][1] = [30, 0, 5, 5]  # off frame
    report = check_youtube_vis(official, 'train.json', clip_frames=2)
    assert [(p.severity, p.kind, p.where) for p in report.problems] == [
        ('skip', 'zero area', 'annotation 1 (video 7), frame 0 (v7/0.jpg)'),
        ('skip', 'box outside its frame',
         'annotation 2 (video 9), frame 1 (v9/1.jpg)'),
        ('warning', 'instance without any kept box', 'annotation 2 '
         '(video 9)'),
        ('warning', 'video shorter than the clip', 'video 7 (v7)'),
        ('skip', 'video without any annotated frame', 'video 9 (v9)'),
    ]
    assert report.counts == dict(
        videos=2, frames=5, instances=2, boxes=3, categories=2)
