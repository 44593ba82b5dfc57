"""mmfvis.datasets.importers.bdd100k_format, run by
tools/dataset_converters/bdd100k_to_mmdet.py: BDD100K box-tracking labels
to the boxes-only file, loaded back in the checked dataset; each malformed
input stops with its location or is a logged skip."""
import copy
import json
import os

import pytest

from ...test_tools.imported_videos import (captured_log, corners, load_checked,
                                           loaded_tracks, loaded_videos,
                                           read_json, write_frames)
from ...test_tools.tool_loading import load_tool

importer = load_tool('dataset_converters/bdd100k_to_mmdet.py')
check_dataset = load_tool('misc/check_dataset.py')


def label(track, category, x1, y1, x2, y2, **attributes):
    return dict(
        id=track,
        category=category,
        attributes=dict(
            dict(occluded=False, truncated=False, crowd=False), **attributes),
        box2d=dict(x1=x1, y1=y1, x2=x2, y2=y2))


def frame(video, index, labels):
    return dict(
        name=f'{video}-{index + 1:07d}.jpg',
        videoName=video,
        frameIndex=index,
        labels=labels)


# Two videos of 40x30 frames, one label file each; box2d corners inclusive.
LABELS = {
    'b1c9c847-3bda4659': [
        frame(
            'b1c9c847-3bda4659',
            0,
            [
                label('101', 'car', 2, 3, 11, 10),
                label('102', 'person', 20, 5, 25, 10),  # BDD renames it
                label('103', 'other vehicle', 30, 2, 35, 8),  # ignored
            ]),
        frame('b1c9c847-3bda4659', 1, [
            label('101', 'car', 3, 3, 12, 10),
            label('104', 'pedestrian', 0, 0, 9, 9, crowd=True),
        ]),
        frame('b1c9c847-3bda4659', 2, None),
    ],
    'b2d22b2f-e7d4d8c5': [
        frame('b2d22b2f-e7d4d8c5', 0, [label('7', 'bus', 1, 1, 20.5, 15)]),
        frame('b2d22b2f-e7d4d8c5', 1, [label('7', 'bus', 2, 1, 21.5, 15)]),
    ],
}


def write_fixture(root, labels=LABELS):
    """The frames of ``LABELS`` and the label files of ``labels``."""
    (root / 'labels').mkdir()
    for video, frames in LABELS.items():
        write_frames(root / 'images' / video, [f['name'] for f in frames])
        (root / 'labels' / f'{video}.json').write_text(
            json.dumps(labels[video]))


def run(root, *options):
    output = root / 'annotations' / 'train.json'
    importer.main([
        str(root / 'labels'),
        str(output), '--img-root',
        str(root / 'images'), *options
    ])
    return output


def test_labels_load_with_their_frames_tracks_and_boxes(tmp_path, capsys):
    write_fixture(tmp_path)
    output = run(tmp_path)
    printed = capsys.readouterr().out
    assert "classes = ('pedestrian', 'rider', 'car', 'truck', 'bus', " \
        "'train', 'motorcycle', 'bicycle')" in printed
    data = read_json(output)
    assert [c['id'] for c in data['categories']] == list(range(1, 9))
    classes = [c['name'] for c in data['categories']]
    dataset = load_checked(output, classes, tmp_path / 'images')
    assert loaded_videos(dataset) == {
        video: [f"{video}/{f['name']}" for f in frames]
        for video, frames in LABELS.items()
    }
    car, pedestrian, bus = (
        classes.index(name) for name in ('car', 'pedestrian', 'bus'))
    assert loaded_tracks(dataset) == {
        ('b1c9c847-3bda4659', 1): (car, {
            0: corners(2, 3, 10, 8),
            1: corners(3, 3, 10, 8)
        }),
        ('b1c9c847-3bda4659', 2): (pedestrian, {
            0: corners(20, 5, 6, 6)
        }),
        ('b2d22b2f-e7d4d8c5', 3): (bus, {
            0: corners(1, 1, 20.5, 15),
            1: corners(2, 1, 20.5, 15)
        }),
    }
    source = str(tmp_path / 'labels' / 'b1c9c847-3bda4659.json')
    assert read_json(output)['import_skips'] == [
        dict(
            kind='ignored category',
            where=f'{source}: video b1c9c847-3bda4659, track 103, frame 0',
            message="1 box: field 'category' is 'other vehicle': BDD100K "
            'ignores it'),
        dict(
            kind='crowd box',
            where=f'{source}: video b1c9c847-3bda4659, track 104, frame 1',
            message="1 box: attribute 'crowd' is set: a box around a crowd, "
            'not one object'),
    ]


def test_kept_classes_and_a_single_label_file(tmp_path, capsys):
    write_fixture(tmp_path)
    output = tmp_path / 'bus.json'
    importer.main([
        str(tmp_path / 'labels' / 'b2d22b2f-e7d4d8c5.json'),
        str(output), '--img-root',
        str(tmp_path / 'images'), '--classes', 'bus', 'car'
    ])
    data = read_json(output)
    assert data['categories'] == [
        dict(id=5, name='bus'), dict(id=3, name='car')
    ]
    assert [video['name'] for video in data['videos']] == ['b2d22b2f-e7d4d8c5']
    assert check_dataset.main([
        str(output), '--img-root',
        str(tmp_path / 'images'), '--classes', 'bus', 'car'
    ]) == 0
    assert '1 videos, 2 frames, 1 instances, 2 boxes' in capsys.readouterr(
    ).out


def test_box_past_the_frame_is_a_logged_skip(tmp_path, capsys):
    labels = copy.deepcopy(LABELS)
    labels['b1c9c847-3bda4659'][1]['labels'][0]['box2d'].update(x1=41, x2=50)
    write_fixture(tmp_path, labels)
    output = run(tmp_path)
    assert 'SKIP: box outside its frame: 1' in capsys.readouterr().out
    with captured_log() as log:
        tracks = loaded_tracks(
            load_checked(output,
                         [c['name'] for c in read_json(output)['categories']],
                         tmp_path / 'images'))
    assert 'SKIP: box outside its frame: 1' in log.getvalue()
    assert tracks[('b1c9c847-3bda4659', 1)][1] == {0: corners(2, 3, 10, 8)}


def reuse_track_for_a_bus(labels):
    labels['b1c9c847-3bda4659'][1]['labels'][0]['category'] = 'bus'


def set_field(frame_index, key, value, label_index=None):

    def edit(labels):
        record = labels['b1c9c847-3bda4659'][frame_index]
        if label_index is not None:
            record = record['labels'][label_index]
        record[key] = value

    return edit


def malformed(tmp_path, edit_labels=None, edit_files=None):
    labels = copy.deepcopy(LABELS)
    if edit_labels is not None:
        edit_labels(labels)
    write_fixture(tmp_path, labels)
    if edit_files is not None:
        edit_files(tmp_path)
    with pytest.raises(SystemExit) as error:
        run(tmp_path)
    assert not (tmp_path / 'annotations' / 'train.json').exists()
    return str(error.value)


def truncate(root):
    path = root / 'labels' / 'b2d22b2f-e7d4d8c5.json'
    path.write_text(path.read_text()[:150])


FIRST = 'labels/b1c9c847-3bda4659.json: video b1c9c847-3bda4659'
# case: (edit of the labels, edit of the files, fragments of the message)
# yapf: disable
MALFORMED = {
    'track reused for another class': (
        reuse_track_for_a_bus, None,
        [f'{FIRST}, frame 1 (b1c9c847-3bda4659-0000002.jpg), label 101',
         "field 'category' is 'bus' but track 101 has 'car' at frame 0 "
         '(b1c9c847-3bda4659-0000001.jpg), label 101']),
    'frame missing from disk': (
        None,
        lambda root: os.remove(root / 'images' / 'b1c9c847-3bda4659' /
                               'b1c9c847-3bda4659-0000003.jpg'),
        [f'{FIRST}, frame 2 (b1c9c847-3bda4659/'
         'b1c9c847-3bda4659-0000003.jpg): no frame file']),
    'truncated file': (
        None, truncate,
        ['b2d22b2f-e7d4d8c5.json: not valid JSON at line 1',
         'it is truncated']),
    'unknown category': (
        set_field(0, 'category', 'dog', 0), None,
        [f'{FIRST}, frame 0 (b1c9c847-3bda4659-0000001.jpg), label 101',
         "field 'category' is 'dog', not a BDD100K box-tracking category"]),
    'box without a corner': (
        set_field(0, 'box2d', dict(x1=1, y1=1, x2=4), 0), None,
        ["label 101: field 'box2d' must hold finite numbers x1, y1, x2, "
         'y2']),
    'negative width': (
        set_field(0, 'box2d', dict(x1=9, y1=1, x2=4, y2=5), 0), None,
        ["label 101: field 'box2d' {'x1': 9, 'y1': 1, 'x2': 4, 'y2': 5} has "
         'x2 < x1']),
    'frame index given twice': (
        set_field(2, 'frameIndex', 1), None,
        [f'{FIRST}, frame 1 (b1c9c847-3bda4659-0000003.jpg): a second '
         'frame 1 of the video']),
    'frame without a name': (
        set_field(1, 'name', None), None,
        ["frame #1 (None): field 'name' must be a non-empty string"]),
}
# yapf: enable


@pytest.mark.parametrize('case', list(MALFORMED))
def test_malformed_input_stops_naming_file_video_frame_label_field(
        tmp_path, case):
    edit_labels, edit_files, fragments = MALFORMED[case]
    message = malformed(tmp_path, edit_labels, edit_files)
    for fragment in fragments:
        assert fragment in message, message
