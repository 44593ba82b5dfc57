"""mmfvis.datasets.importers.cvat_video_format, run by
tools/dataset_converters/cvat_to_mmdet.py: CVAT for video 1.1 exports to
the boxes-only file, loaded back in the checked dataset (interpolated and
ended tracks as CVAT shows them); each malformed input stops with its
location or is a logged skip."""
import os

import pytest

from ...test_tools.imported_videos import (captured_log, corners, load_checked,
                                           loaded_tracks, loaded_videos,
                                           read_json, write_frames)
from ...test_tools.tool_loading import load_tool

importer = load_tool('dataset_converters/cvat_to_mmdet.py')
check_dataset = load_tool('misc/check_dataset.py')


def box(frame, xtl, ytl, xbr, ybr, outside=0, keyframe=1, **extra):
    attributes = dict(
        frame=frame,
        outside=outside,
        occluded=0,
        keyframe=keyframe,
        xtl=xtl,
        ytl=ytl,
        xbr=xbr,
        ybr=ybr,
        z_order=0,
        **extra)
    fields = ' '.join(f'{key}="{value}"' for key, value in attributes.items())
    return f'    <box {fields}></box>\n'


def track(track_id, label, shapes):
    return (f'  <track id="{track_id}" label="{label}" source="manual">\n' +
            ''.join(shapes) + '  </track>\n')


def export_xml(size, labels, tracks, width=40, height=30, start=0, step=1):
    """An export of ``size`` frames, the video's ``start + index * step``.
    """
    label_xml = ''.join(f'<label><name>{name}</name><type>any</type>'
                        '<attributes></attributes></label>' for name in labels)
    frame_filter = f'step={step}' if step > 1 else ''
    return ('<?xml version="1.0" encoding="utf-8"?>\n<annotations>\n'
            '  <version>1.1</version>\n  <meta>\n    <task>\n'
            f'      <id>1</id><name>video</name><size>{size}</size>\n'
            f'      <mode>interpolation</mode><start_frame>{start}'
            f'</start_frame><stop_frame>{start + (size - 1) * step}'
            f'</stop_frame><frame_filter>{frame_filter}</frame_filter>\n'
            f'      <labels>{label_xml}</labels>\n'
            f'      <original_size><width>{width}</width><height>{height}'
            '</height></original_size>\n    </task>\n  </meta>\n' +
            ''.join(tracks) + '</annotations>\n')


# "walk": 8 frames. Track 0 is keyed at frames 0 and 4 (CVAT interpolates
# 1-3), kept at 5 and ended at 6 by an outside box; track 1 is written on
# every frame of 2-3, then held to the end; track 2 is a polygon track.
WALK_TRACKS = [
    track(0, 'person', [
        box(0, 2, 2, 12, 10),
        box(4, 6, 2, 16, 14),
        box(6, 6, 2, 16, 14, outside=1)
    ]),
    track(1, 'car', [box(2, 20, 5, 30, 15),
                     box(3, 21, 5, 31, 15, keyframe=0)]),
    track(2, 'person', [
        '    <polygon frame="0" outside="0" occluded="0" keyframe="1" '
        'points="1,1;5,1;5,5" z_order="0"></polygon>\n'
    ]),
]
# "run": 3 frames, the labels in another order, one track that leaves at
# frame 1 and comes back at 2.
RUN_TRACKS = [
    track(0, 'car', [
        box(0, 1, 1, 9, 9),
        box(1, 1, 1, 9, 9, outside=1),
        box(2, 3, 3, 11, 11)
    ])
]


def write_export(root, name, size, labels, tracks, text=None):
    folder = root / name
    write_frames(folder / 'images',
                 [f'frame_{index:06d}.PNG' for index in range(size)])
    (folder / 'annotations.xml').write_text(
        text or export_xml(size, labels, tracks))


def write_fixture(root, walk_tracks=WALK_TRACKS):
    write_export(root, 'walk', 8, ['person', 'car'], walk_tracks)
    write_export(root, 'run', 3, ['car', 'person'], RUN_TRACKS)


def run(root, output, *options):
    importer.main([str(root), str(output), *options])
    return output


def test_exports_load_with_frames_and_tracks_as_cvat_shows_them(
        tmp_path, capsys):
    write_fixture(tmp_path / 'exports')
    output = run(tmp_path / 'exports', tmp_path / 'train.json')
    printed = capsys.readouterr().out
    # the labels in the order the (sorted) exports list them first
    assert "classes = ('car', 'person')" in printed
    data = read_json(output)
    assert data['categories'] == [
        dict(id=1, name='car'),
        dict(id=2, name='person')
    ]
    dataset = load_checked(output, ['car', 'person'], tmp_path / 'exports')
    assert loaded_videos(dataset) == {
        'run': [f'run/images/frame_{i:06d}.PNG' for i in range(3)],
        'walk': [f'walk/images/frame_{i:06d}.PNG' for i in range(8)],
    }
    step = [(6 - 2) / 4, (16 - 12) / 4, (14 - 10) / 4]  # per frame
    walk_person = {
        frame:
        [2 + frame * step[0], 2, 12 + frame * step[1], 10 + frame * step[2]]
        for frame in range(5)
    }
    walk_person[5] = walk_person[4]
    assert loaded_tracks(dataset) == {
        ('run', 1): (0, {
            0: corners(1, 1, 8, 8),
            2: corners(3, 3, 8, 8)
        }),
        ('walk', 2): (1, walk_person),
        ('walk', 3): (0, {
            2: corners(20, 5, 10, 10),
            **{
                frame: corners(21, 5, 10, 10)
                for frame in range(3, 8)
            }
        }),
    }
    source = str(tmp_path / 'exports' / 'walk' / 'annotations.xml')
    assert data['import_skips'] == [
        dict(
            kind='track of other shapes',
            where=f'{source}: video walk, track 2',
            message="its shapes are ['polygon'] (label 'person'): only box "
            'tracks are read')
    ]


def test_kept_labels_frames_dir_and_first_number(tmp_path, capsys):
    root = tmp_path / 'exports'
    (root / 'clip').mkdir(parents=True)
    write_frames(root / 'clip' / 'frames', ['000001.jpg', '000002.jpg'])
    (root / 'clip' / 'annotations.xml').write_text(
        export_xml(2, ['person', 'car'], [
            track(4, 'person', [box(0, 1, 1, 9, 9)]),
            track(5, 'car', [box(1, 2, 2, 8, 8)])
        ]))
    output = run(root, tmp_path / 'train.json', '--classes', 'person',
                 '--frames-dir', 'frames', '--first-number', '1')
    tracks = loaded_tracks(load_checked(output, ['person'], root))
    assert tracks == {
        ('clip', 1): (0, {
            0: corners(1, 1, 8, 8),
            1: corners(1, 1, 8, 8)
        })
    }
    assert check_dataset.main(
        [str(output), '--img-root',
         str(root), '--classes', 'person']) == 0
    printed = capsys.readouterr().out
    assert 'SKIP: category not kept (left out on import): 1' in printed
    assert "video clip, track 5, frame 1: 1 box: field 'label' is 'car'" \
        in printed


def test_box_past_the_frame_is_a_logged_skip(tmp_path, capsys):
    tracks = [track(0, 'car', [box(0, 1, 1, 9, 9), box(1, 41, 1, 49, 9)])]
    write_export(tmp_path / 'exports', 'walk', 2, ['car'], tracks)
    output = run(tmp_path / 'exports', tmp_path / 'train.json')
    assert 'SKIP: box outside its frame: 1' in capsys.readouterr().out
    with captured_log() as log:
        loaded = loaded_tracks(
            load_checked(output, ['car'], tmp_path / 'exports'))
    assert 'SKIP: box outside its frame: 1' in log.getvalue()
    assert loaded == {('walk', 1): (0, {0: corners(1, 1, 8, 8)})}


def malformed(tmp_path, walk_tracks=WALK_TRACKS, edit=None):
    root = tmp_path / 'exports'
    write_fixture(root, walk_tracks)
    if edit is not None:
        edit(root)
    with pytest.raises(SystemExit) as error:
        run(root, tmp_path / 'train.json')
    assert not (tmp_path / 'train.json').exists()
    return str(error.value)


def truncate(root):
    path = root / 'walk' / 'annotations.xml'
    path.write_text(path.read_text()[:900])


def images_format(root):
    (root / 'run' / 'annotations.xml').write_text(
        '<annotations><version>1.1</version><meta><task><size>3</size>'
        '</task></meta><image id="0" name="a.jpg" width="40" height="30">'
        '</image></annotations>')


WALK = 'walk/annotations.xml: video walk'
# case: (walk's tracks, edit of the files, fragments of the message)
# yapf: disable
MALFORMED = {
    'track id reused for another class': (
        WALK_TRACKS + [track(1, 'person', [box(0, 1, 1, 5, 5)])], None,
        [f'{WALK}, track 1: track id 1 is given twice, with label '
         "'car' and 'person'"]),
    'frame missing from disk': (
        WALK_TRACKS,
        lambda root: os.remove(root / 'walk' / 'images' /
                               'frame_000005.PNG'),
        [f'{WALK}, frame 5: no image file numbered 5 in',
         '(the task has frames 0 to 7; the file of frame 0 is numbered 0): '
         'frame missing from disk']),
    'truncated file': (
        WALK_TRACKS, truncate,
        ['walk/annotations.xml: line 15, column 4: not valid XML',
         'the file ends before its closing </annotations>: it is '
         'truncated']),
    'images format': (
        WALK_TRACKS, images_format,
        ['run/annotations.xml: top level: this is the "CVAT for images '
         '1.1" format']),
    'unknown label': (
        [track(0, 'dog', [box(0, 1, 1, 5, 5)])], None,
        [f"{WALK}, track 0: field 'label' is 'dog', not among the labels "
         "of the export ['person', 'car']"]),
    'box after the last frame': (
        [track(0, 'car', [box(8, 1, 1, 5, 5)])], None,
        [f"{WALK}, track 0, <box>: field 'frame' must be a frame of the "
         "task (frames 0 to 7), got '8'"]),
    'two boxes in a frame': (
        [track(0, 'car', [box(1, 1, 1, 5, 5), box(1, 2, 2, 6, 6)])], None,
        [f'{WALK}, track 0, <box> of frame 1: the track has two boxes']),
    'corner not a number': (
        [track(0, 'car', [box(1, 'a', 1, 5, 5)])], None,
        ["track 0, <box> of frame 1: field 'xtl' must be a finite number, "
         "got 'a'"]),
    'corners swapped': (
        [track(0, 'car', [box(1, 9, 1, 5, 5)])], None,
        ["track 0, <box> of frame 1: fields 'xtl, ytl, xbr, ybr' [9.0, "
         '1.0, 5.0, 5.0] have xbr < xtl']),
}
# yapf: enable


@pytest.mark.parametrize('case', list(MALFORMED))
def test_malformed_input_stops_naming_file_video_track_frame_field(
        tmp_path, case):
    walk_tracks, edit, fragments = MALFORMED[case]
    message = malformed(tmp_path, walk_tracks, edit)
    for fragment in fragments:
        assert fragment in message, message


def test_rotated_boxes_are_left_out_and_recorded(tmp_path, capsys):
    tracks = [
        track(0, 'car', [box(0, 1, 1, 9, 9, rotation=30)]),
        track(1, 'car', [box(0, 2, 2, 9, 9)])
    ]
    write_export(tmp_path / 'exports', 'walk', 2, ['car'], tracks)
    data = read_json(run(tmp_path / 'exports', tmp_path / 'train.json'))
    assert [a['instance_id'] for a in data['annotations']] == [1, 1]
    [skip] = data['import_skips']
    assert skip['kind'] == 'rotated box'
    assert skip['where'].endswith('video walk, track 0, frames 0-1')


def test_a_task_of_every_other_frame_from_frame_10(tmp_path):
    root = tmp_path / 'exports'
    write_frames(root / 'clip' / 'images',
                 [f'frame_{number:06d}.PNG' for number in (10, 12, 14)])
    xml = export_xml(
        3, ['car'],
        [track(0, 'car',
               [box(10, 1, 1, 9, 9), box(14, 3, 1, 11, 9)])],
        start=10,
        step=2)
    (root / 'clip' / 'annotations.xml').write_text(xml)
    tracks = loaded_tracks(
        load_checked(run(root, tmp_path / 'train.json'), ['car'], root))
    assert tracks == {
        ('clip', 1): (0, {
            0: corners(1, 1, 8, 8),
            1: corners(2, 1, 8, 8),
            2: corners(3, 1, 8, 8)
        })
    }
    (root / 'clip' / 'annotations.xml').write_text(
        xml.replace('frame="14"', 'frame="13"'))
    with pytest.raises(
            SystemExit,
            match="field 'frame' must be a frame of "
            r"the task \(frames 10 to 14, every 2\), got '13'"):
        run(root, tmp_path / 'train.json')
