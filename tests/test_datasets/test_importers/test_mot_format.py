"""mmfvis.datasets.importers.mot_format, run by
tools/dataset_converters/mot_to_mmdet.py: MOTChallenge sequences to the
boxes-only file, loaded back in the checked dataset; each malformed input
stops with its location or is a logged skip."""
import os
import os.path as osp

import pytest

from ...test_tools.imported_videos import (FRAME_SIZE, captured_log, corners,
                                           load_checked, loaded_tracks,
                                           loaded_videos, read_json,
                                           write_frames)
from ...test_tools.tool_loading import load_tool

importer = load_tool('dataset_converters/mot_to_mmdet.py')
check_dataset = load_tool('misc/check_dataset.py')

# Two sequences of 40x30 frames; rows: frame, id, x, y, w, h, conf, class,
# visibility.
SEQUENCES = {
    'seq-a':
    dict(
        length=4,
        rows=[
            (1, 1, 2, 3, 10, 8, 1, 1, 1.0),
            (2, 1, 3, 3, 10, 8, 1, 1, 0.9),
            (3, 1, 4.5, 3, 10, 8, 1, 1, 0.2),
            (4, 1, 5, 3, 10, 8, 1, 1, 1.0),
            (1, 2, 20, 5, 6, 6, 1, 1, 1.0),
            (2, 2, 21, 5, 6, 6, 0, 1, 1.0),  # conf 0: left out
            (1, 3, 0, 0, 5, 5, 1, 7, 1.0),  # static person: not kept
        ]),
    'seq-b':
    dict(
        length=3,
        rows=[
            (1, 5, 1, 1, 8, 8, 1, 1, 1.0),
            (3, 5, 2, 2, 8, 8, 1, 1, -1),  # no visibility given
        ]),
}


def write_sequence(root, name, length, rows, gt_text=None):
    folder = osp.join(root, name)
    write_frames(
        osp.join(folder, 'img1'),
        [f'{frame:06d}.jpg' for frame in range(1, length + 1)])
    with open(osp.join(folder, 'seqinfo.ini'), 'w') as file:
        file.write(f'[Sequence]\nname={name}\nimDir=img1\nframeRate=30\n'
                   f'seqLength={length}\nimWidth={FRAME_SIZE[0]}\n'
                   f'imHeight={FRAME_SIZE[1]}\nimExt=.jpg\n')
    os.makedirs(osp.join(folder, 'gt'), exist_ok=True)
    if gt_text is None:
        gt_text = ''.join(','.join(str(v) for v in row) + '\n' for row in rows)
    with open(osp.join(folder, 'gt', 'gt.txt'), 'w') as file:
        file.write(gt_text)


@pytest.fixture
def sequences(tmp_path):
    root = tmp_path / 'train'
    for name, sequence in SEQUENCES.items():
        write_sequence(str(root), name, **sequence)
    return root


def run(sequences, tmp_path, *options):
    output = tmp_path / 'annotations' / 'train.json'
    importer.main([str(sequences), str(output), *map(str, options)])
    return output


def test_sequences_load_with_their_frames_tracks_and_boxes(
        sequences, tmp_path, capsys):
    output = run(sequences, tmp_path)
    printed = capsys.readouterr().out
    assert "classes = ('pedestrian',)" in printed
    assert 'SKIP: zero confidence (left out on import): 1' in printed
    data = read_json(output)
    assert data['categories'] == [dict(id=1, name='pedestrian')]
    assert all('segmentation' not in a for a in data['annotations'])
    dataset = load_checked(output, ['pedestrian'], sequences)
    assert loaded_videos(dataset) == {
        'seq-a': [f'seq-a/img1/{f:06d}.jpg' for f in range(1, 5)],
        'seq-b': [f'seq-b/img1/{f:06d}.jpg' for f in range(1, 4)],
    }
    # instance ids count from 1 over the file, in frame order
    assert loaded_tracks(dataset) == {
        ('seq-a', 1): (0, {
            0: corners(2, 3, 10, 8),
            1: corners(3, 3, 10, 8),
            2: corners(4.5, 3, 10, 8),
            3: corners(5, 3, 10, 8)
        }),
        ('seq-a', 2): (0, {
            0: corners(20, 5, 6, 6)
        }),
        ('seq-b', 3): (0, {
            0: corners(1, 1, 8, 8),
            2: corners(2, 2, 8, 8)
        }),
    }
    first = dataset.get_data_info(0)['images'][0]
    assert (first['frame_id'], first['width'], first['height']) == (0, 40, 30)


def test_what_is_left_out_is_recorded_and_listed(sequences, tmp_path, capsys):
    output = run(sequences, tmp_path, '--min-visibility', 0.5)
    capsys.readouterr()
    gt = osp.join(str(sequences), 'seq-a', 'gt', 'gt.txt')
    assert read_json(output)['import_skips'] == [
        dict(
            kind='category not kept',
            where=f'{gt}: video seq-a, track 3, frame 1',
            message="1 box: field 'class' is 7, not among the kept classes "
            "['pedestrian']"),
        dict(
            kind='zero confidence',
            where=f'{gt}: video seq-a, track 2, frame 2',
            message="1 box: field 'conf' is 0: MOTChallenge leaves the row "
            'out (ignored region or class)'),
        dict(
            kind='visibility under the minimum',
            where=f'{gt}: video seq-a, track 1, frame 3',
            message="1 box: field 'visibility' is under 0.5"),
        dict(
            kind='visibility under the minimum',
            where=f"{gt.replace('seq-a', 'seq-b')}: video seq-b, track 5, "
            'frame 3',
            message="1 box: field 'visibility' is under 0.5"),
    ]
    with captured_log() as log:
        dataset = load_checked(output, ['pedestrian'], sequences)
    assert 'SKIP: visibility under the minimum (left out on import): 2' \
        in log.getvalue()
    assert sorted(loaded_tracks(dataset)[('seq-a', 1)][1]) == [0, 1, 3]
    status = check_dataset.main(
        [str(output), '--img-root',
         str(sequences), '--decode'])
    printed = capsys.readouterr().out
    assert status == 0
    assert '2 videos, 7 frames, 3 instances, 5 boxes, 1 categories' in printed
    assert f'{gt}: video seq-a, track 2, frame 2: 1 box' in printed
    assert '0 error(s), 4 skip(s)' in printed


def test_kept_classes_and_sequence_patterns(sequences, tmp_path, capsys):
    output = run(sequences, tmp_path, '--classes', 7, 1, '--sequences', '*-a')
    data = read_json(output)
    assert data['categories'] == [
        dict(id=7, name='static_person'),
        dict(id=1, name='pedestrian')
    ]
    assert [video['name'] for video in data['videos']] == ['seq-a']
    tracks = loaded_tracks(
        load_checked(output, ['static_person', 'pedestrian'], sequences))
    assert tracks[('seq-a', 3)] == (0, {0: corners(0, 0, 5, 5)})
    assert tracks[('seq-a', 1)][0] == 1


def test_box_past_the_frame_is_a_logged_skip(tmp_path, capsys):
    rows = [(1, 1, 2, 3, 10, 8, 1, 1, 1.0), (2, 1, 45, 3, 10, 8, 1, 1, 1.0),
            (2, 2, 35, 3, 10, 8, 1, 1, 1.0)]
    write_sequence(str(tmp_path / 'train'), 'seq-a', 2, rows)
    output = run(tmp_path / 'train', tmp_path)
    printed = capsys.readouterr().out
    assert 'SKIP: box outside its frame: 1' in printed
    assert "video 1 (seq-a), frame 1 (seq-a/img1/000002.jpg), annotation 2: " \
        "field 'bbox' [45.0, 3.0, 10.0, 8.0] lies outside the 40x30" in printed
    assert 'WARNING: box partly outside its frame: 1' in printed
    with captured_log() as log:
        tracks = loaded_tracks(
            load_checked(output, ['pedestrian'], tmp_path / 'train'))
    assert 'SKIP: box outside its frame: 1' in log.getvalue()
    assert tracks[('seq-a', 1)][1] == {0: corners(2, 3, 10, 8)}


def malformed(tmp_path, edit):
    """Import the fixture after ``edit(root)``; the error message."""
    root = tmp_path / 'train'
    for name, sequence in SEQUENCES.items():
        write_sequence(str(root), name, **sequence)
    edit(root)
    with pytest.raises(SystemExit) as error:
        run(root, tmp_path)
    assert not (tmp_path / 'annotations' / 'train.json').exists()
    return str(error.value)


def append_row(row):

    def edit(root):
        with open(root / 'seq-a' / 'gt' / 'gt.txt', 'a') as file:
            file.write(','.join(str(v) for v in row) + '\n')

    return edit


def cut_gt(root):
    path = root / 'seq-a' / 'gt' / 'gt.txt'
    text = path.read_text()
    path.write_text(text[:text.rindex('\n', 0, len(text) - 1) + 8])


# case: (how the fixture is broken, fragments the message must hold)
# yapf: disable
MALFORMED = {
    'track reused for another class': (
        append_row((3, 2, 22, 5, 6, 6, 1, 3, 1.0)),
        ['seq-a/gt/gt.txt: video seq-a, line 8 (frame 3, track 2)',
         "field 'class' is 3 but track 2 has 1 at line 5 (frame 1, "
         'track 2)']),
    'track twice in a frame': (
        append_row((1, 1, 22, 5, 6, 6, 1, 1, 1.0)),
        ['video seq-a, line 8 (frame 1, track 1)',
         'second box in frame 1 (the first at line 1']),
    'frame missing from disk': (
        lambda root: os.remove(root / 'seq-a' / 'img1' / '000003.jpg'),
        ['seq-a/gt/gt.txt: video seq-a, frame 3: no .jpg file numbered 3',
         'seqLength=4', 'frame missing from disk']),
    'truncated gt file': (
        cut_gt,
        ['seq-a/gt/gt.txt: line 7: 4 fields, expected 9',
         'the file ends within this line: it is truncated?']),
    'frame past the sequence': (
        append_row((5, 1, 2, 3, 10, 8, 1, 1, 1.0)),
        ['line 8 (frame 5, track 1)',
         'frame 5 is not a frame of the video (4 frames)']),
    'not a number': (
        append_row((1, 9, 'x', 3, 10, 8, 1, 1, 1.0)),
        ["line 8: field 'x' (column 3) must be a number, got 'x'"]),
    'negative width': (
        append_row((1, 9, 2, 3, -10, 8, 1, 1, 1.0)),
        ["line 8 (frame 1, track 9): field 'x, y, w, h' [2.0, 3.0, -10.0, "
         '8.0] has a negative width or height']),
    'no seqinfo': (
        lambda root: os.remove(root / 'seq-b' / 'seqinfo.ini'),
        ['seq-b/seqinfo.ini: video seq-b: no such file']),
    'no ground truth': (
        lambda root: os.remove(root / 'seq-b' / 'gt' / 'gt.txt'),
        ['seq-b/gt/gt.txt: video seq-b: no such file: a test-split']),
}
# yapf: enable


@pytest.mark.parametrize('case', list(MALFORMED))
def test_malformed_input_stops_naming_file_video_line_track_field(
        tmp_path, case):
    edit, fragments = MALFORMED[case]
    message = malformed(tmp_path, edit)
    for fragment in fragments:
        assert fragment in message, message
