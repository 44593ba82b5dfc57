"""tools/demo_video.py on a real video and on a folder of frames, with a
checkpoint of the tiny CPU config."""
import json
import os.path as osp

import cv2
import numpy as np
import pytest
from pycocotools import mask as mask_utils

from ..paths import REPO_ROOT, SHARED_DATA, TINY_CONFIG
from .conftest import run_tool
from .tool_loading import load_tool

STREET = osp.join(SHARED_DATA, 'videos', 'street_8frames.mp4')
needs_street = pytest.mark.skipif(
    not osp.isfile(STREET),
    reason=f'{STREET} not found (shared data is not part of the '
    'repository)')


def read_video(path):
    """All frames of a video file, decoded back with OpenCV."""
    capture = cv2.VideoCapture(path)
    assert capture.isOpened(), f'{path} does not open'
    frames = []
    while True:
        ok, frame = capture.read()
        if not ok:
            return frames
        frames.append(frame)


def check_results_json(path, num_frames, height, width):
    with open(path) as file:
        results = json.load(file)
    assert results['video']['num_frames'] == num_frames
    assert (results['video']['height'], results['video']['width']) == \
        (height, width)
    assert results['classes'] == ['triangle', 'star', 'cross']
    assert results['tracks'], 'score threshold 0 keeps every track'
    scores = [track['score'] for track in results['tracks']]
    assert scores == sorted(scores, reverse=True)
    assert len({t['track_id'] for t in results['tracks']}) == len(scores)
    for track in results['tracks']:
        assert results['classes'][track['label']] == track['class_name']
        assert len(track['segmentations']) == num_frames
        assert len(track['bboxes']) == num_frames
        for segmentation, box in zip(track['segmentations'], track['bboxes']):
            assert (segmentation is None) == (box is None)
            if segmentation is None:
                continue
            mask = mask_utils.decode(segmentation)
            assert mask.shape == (height, width) and mask.any()
            ys, xs = np.nonzero(mask)
            assert box == [xs.min(), ys.min(), xs.max() + 1, ys.max() + 1]


@needs_street
@pytest.mark.slow
def test_demo_on_an_mp4_writes_a_playable_overlay_and_tracks(
        tmp_path, tiny_checkpoint):
    out_video = str(tmp_path / 'street_vis.mp4')
    out_json = str(tmp_path / 'street.json')
    run_tool([
        osp.join(REPO_ROOT, 'tools',
                 'demo_video.py'), TINY_CONFIG, tiny_checkpoint, STREET,
        '--out-video', out_video, '--out-json', out_json, '--score-thr', '0',
        '--device', 'cpu', '--max-mask-side', '640'
    ],
             cwd=str(tmp_path))
    frames = read_video(out_video)
    assert len(frames) == 8
    assert frames[0].shape == (1080, 1920, 3)
    originals = read_video(STREET)
    assert any(
        np.abs(drawn.astype(int) - original).mean() > 1
        for drawn, original in zip(frames, originals)), 'nothing drawn'
    check_results_json(out_json, 8, 1080, 1920)


@needs_street
def test_demo_on_a_folder_of_frames_links_tracks_across_windows(
        tmp_path, tiny_checkpoint):
    folder = tmp_path / 'frames'
    folder.mkdir()
    for index, frame in enumerate(read_video(STREET)[:5]):
        cv2.imwrite(
            str(folder / f'{index:05d}.jpg'), cv2.resize(frame, (320, 180)))
    out_video = str(tmp_path / 'out' / 'frames_vis.avi')
    # Windows of 3 frames sharing 1: frames 0-2 and 2-4.
    load_tool('demo_video.py').main([
        TINY_CONFIG, tiny_checkpoint,
        str(folder), '--out-video', out_video, '--score-thr', '0', '--device',
        'cpu', '--window', '3', '--overlap', '1', '--fps', '5'
    ])
    frames = read_video(out_video)
    assert len(frames) == 5
    assert frames[0].shape == (180, 320, 3)
    check_results_json(str(tmp_path / 'out' / 'frames_vis.json'), 5, 180, 320)
