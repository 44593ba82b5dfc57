"""tools/misc/check_dataset.py: counts, each problem with its location,
exit status 1 on errors only."""
import json
import os
import os.path as osp
import shutil
import subprocess
import sys

import pytest

from ..paths import REPO_ROOT, SHARED_DATA
from .tool_loading import load_tool

check_dataset = load_tool('misc/check_dataset.py')
DAVIS = osp.join(SHARED_DATA, 'davis2016')


def shapes_file(shapes_root, name):
    with open(osp.join(shapes_root, 'annotations', name)) as file:
        return json.load(file)


def run(capsys, *argv):
    status = check_dataset.main([str(arg) for arg in argv])
    return status, capsys.readouterr().out


def write(tmp_path, data, name='annotations.json'):
    path = tmp_path / name
    path.write_text(json.dumps(data))
    return path


def test_a_clean_mmdet_file_and_its_frames_pass(shapes_root, capsys):
    status, out = run(capsys,
                      osp.join(shapes_root, 'annotations',
                               'train_mmdet.json'), '--img-root',
                      osp.join(shapes_root, 'train', 'JPEGImages'), '--decode')
    assert status == 0
    assert "mmdet's video format" in out
    assert '4 videos, 24 frames, 11 instances, 66 boxes, 3 categories' in out
    assert '0 error(s), 0 skip(s), 0 warning(s)' in out


def test_skips_and_warnings_alone_exit_zero(shapes_root, tmp_path, capsys):
    data = shapes_file(shapes_root, 'train_mmdet_boxes.json')
    data['annotations'][0]['bbox'][2] = 0
    path = write(tmp_path, data)
    status, out = run(capsys, path, '--clip-frames', 8)
    assert status == 0
    assert f'SKIP: box smaller than a pixel: 1 in {path}' in out
    assert "video 1 (train_0001), frame 0 (train_0001/00000.jpg), " \
        "annotation 1: field 'bbox'" in out
    assert 'WARNING: video shorter than the clip: 4' in out
    assert '0 error(s), 1 skip(s), 4 warning(s)' in out


def test_errors_exit_one_and_are_each_located(shapes_root, tmp_path, capsys):
    data = shapes_file(shapes_root, 'train_mmdet_boxes.json')
    data['annotations'][0]['bbox'][0] = float('nan')
    data['annotations'][1]['category_id'] = 17
    for box in data['annotations'][5:10]:
        box['bbox'][3] = -1
    status, out = run(capsys, write(tmp_path, data), '--max-examples', 2)
    assert status == 1
    assert 'annotation 1: field \'bbox\' must be [x, y, w, h] finite ' \
        'numbers, got [nan' in out
    assert "annotation 2: field 'category_id' is 17" in out
    assert 'ERROR: box of negative size: 5' in out
    assert '... and 3 more' in out
    assert '7 error(s)' in out


def test_classes_are_checked_against_the_categories(shapes_root, tmp_path,
                                                    capsys):
    path = osp.join(shapes_root, 'annotations', 'train_mmdet_boxes.json')
    status, out = run(capsys, path, '--classes', 'star', 'triangle', 'cross')
    assert status == 1
    assert 'ERROR: categories in another order than the classes' in out


def test_official_files_are_checked_too(shapes_root, tmp_path, capsys):
    data = shapes_file(shapes_root, 'train.json')
    data['annotations'][0]['bboxes'][1] = [3, 3, 0.2, 5]
    status, out = run(capsys, write(tmp_path, data))
    assert status == 0
    assert 'official YouTube-VIS/OVIS format' in out
    assert "SKIP: box smaller than a pixel" in out
    assert "annotation 1 (video 1), frame 1 (train_0001/00001.jpg): field " \
        "'bboxes' [3, 3, 0.2, 5]" in out
    data['annotations'][0]['bboxes'][2] = [3, 3, float('inf'), 5]
    status, out = run(capsys, write(tmp_path, data))
    assert status == 1
    assert "annotation 1 (video 1), frame 2 (train_0001/00002.jpg): field " \
        "'bboxes' must hold" in out


def test_truncated_json_exits_one_naming_the_file(shapes_root, tmp_path,
                                                  capsys):
    path = tmp_path / 'cut.json'
    text = json.dumps(shapes_file(shapes_root, 'train.json'))
    path.write_text(text[:1000])
    status, out = run(capsys, path)
    assert status == 1
    assert out.startswith(f'ERROR: {path}: not valid JSON at line 1')
    assert 'truncated' in out


def test_missing_and_corrupt_frames_are_errors(shapes_root, tmp_path, capsys):
    frames = tmp_path / 'frames'
    shutil.copytree(osp.join(shapes_root, 'train', 'JPEGImages'), frames)
    os.remove(frames / 'train_0003' / '00004.jpg')
    (frames / 'train_0001' / '00002.jpg').write_bytes(b'\xff\xd8\xff\xe0 x')
    (frames / 'train_0002' / '00000.jpg').write_bytes(b'')
    path = osp.join(shapes_root, 'annotations', 'train_mmdet_boxes.json')
    status, out = run(capsys, path, '--img-root', frames)
    assert status == 1
    assert 'video 3 (train_0003), frame 4 (train_0003/00004.jpg): no file ' \
        f"{frames / 'train_0003' / '00004.jpg'}" in out
    assert 'ERROR: empty frame file: 1' in out
    assert 'frame does not decode' not in out
    status, out = run(capsys, path, '--img-root', frames, '--decode')
    assert 'ERROR: frame does not decode: 1' in out
    assert 'video 1 (train_0001), frame 2 (train_0001/00002.jpg)' in out


@pytest.mark.skipif(
    not osp.isdir(DAVIS), reason=f'shared DAVIS data absent: {DAVIS}')
def test_real_davis_annotations_and_frames_pass(capsys):
    status, out = run(capsys,
                      osp.join(DAVIS, 'annotations', 'davis2016_ytvis.json'),
                      '--img-root', osp.join(DAVIS, 'JPEGImages'))
    assert status == 0
    assert '20 videos, 1376 frames, 20 instances, 1376 boxes' in out


def test_command_line_exit_status(shapes_root, tmp_path):
    data = shapes_file(shapes_root, 'train_mmdet_boxes.json')
    data['annotations'][4]['instance_id'] = 0
    result = subprocess.run([
        sys.executable,
        osp.join(REPO_ROOT, 'tools', 'misc', 'check_dataset.py'),
        str(write(tmp_path, data))
    ],
                            env=dict(os.environ, PYTHONPATH=REPO_ROOT),
                            capture_output=True,
                            text=True,
                            timeout=120)
    assert result.returncode == 1, result.stderr[-2000:]
    assert "annotation 5: field 'instance_id' must be an integer >= 1" in \
        result.stdout
    assert 'checking annotations' in result.stderr  # the progress bar
