"""mmfvis.apis end to end on generated frames: a tiny Mask2Former-VIS with
random weights (configs/mfvis_tiny_cpu.py), windows with overlap, the json
(score threshold, schema, masks back from the RLE) and the overlay video."""
import os.path as osp

import cv2
import numpy as np
import pytest
import torch
from pycocotools import mask as mask_utils

from mmfvis.apis import (VideoFrames, build_frames_pipeline,
                         inference_vis_video, init_vis_model, predict_window,
                         prediction_to_json, write_overlay_video)
from mmfvis.datasets import SHAPE_CLASSES
from mmfvis.visualization import VISLocalVisualizer
from ..paths import TINY_CONFIG

WINDOW, OVERLAP = 4, 2  # 6 frames: windows of frames 0-3 and 2-5
TRACK_KEYS = {
    'track_id', 'label', 'class_name', 'score', 'segmentations', 'bboxes'
}


@pytest.fixture(scope='module')
def tiny_model():
    torch.manual_seed(0)
    return init_vis_model(TINY_CONFIG)


@pytest.fixture(scope='module')
def frames(shapes_root):
    """The 6 generated frames of a training video, BGR."""
    return list(
        VideoFrames(
            osp.join(shapes_root, 'train', 'JPEGImages', 'train_0001')))


@pytest.fixture(scope='module')
def prediction(tiny_model, frames):
    return inference_vis_video(
        tiny_model, iter(frames), window=WINDOW, overlap=OVERLAP)


def _threshold_between_scores(tracks):
    """A score threshold that keeps the better half of the tracks."""
    scores = sorted(track.score for track in tracks)
    middle = len(scores) // 2
    assert scores[middle - 1] < scores[middle]
    return (scores[middle - 1] + scores[middle]) / 2


def read_video(path):
    capture = cv2.VideoCapture(path)
    decoded = []
    while True:
        ok, frame = capture.read()
        if not ok:
            capture.release()
            return decoded
        decoded.append(frame)


def test_the_model_has_the_config_classes_and_sees_every_frame(
        tiny_model, frames, prediction):
    assert tiny_model.dataset_meta['classes'] == SHAPE_CLASSES
    assert len(frames) == 6
    assert (prediction.num_frames, prediction.frame_shape) == (6, (96, 128))
    # the second window's tracks continue the first's or start new ones
    assert len(prediction.tracks) >= len(
        predict_window(tiny_model, build_frames_pipeline(tiny_model.cfg),
                       frames[:WINDOW]))


def test_json_keeps_the_tracks_above_the_threshold_with_their_masks(
        tiny_model, frames, prediction):
    threshold = _threshold_between_scores(prediction.tracks)
    results = prediction_to_json(
        prediction, SHAPE_CLASSES, score_thr=threshold, source='video')
    assert results['video'] == dict(
        source='video', num_frames=6, height=96, width=128)
    assert results['classes'] == list(SHAPE_CLASSES)
    assert results['score_thr'] == threshold
    kept = {t.track_id for t in prediction.tracks if t.score >= threshold}
    assert 0 < len(kept) < len(prediction.tracks)
    assert {track['track_id'] for track in results['tracks']} == kept
    scores = [track['score'] for track in results['tracks']]
    assert scores == sorted(scores, reverse=True)
    # The first window's tracks are the video's tracks 1, 2, ... in order:
    # their json masks on frames 0-3 decode to the window's masks.
    first_window = predict_window(tiny_model,
                                  build_frames_pipeline(tiny_model.cfg),
                                  frames[:WINDOW])
    compared = 0
    for track in results['tracks']:
        assert set(track) == TRACK_KEYS
        assert SHAPE_CLASSES[track['label']] == track['class_name']
        assert len(track['segmentations']) == len(track['bboxes']) == 6
        if track['track_id'] > len(first_window):
            continue
        window_masks = first_window[track['track_id'] - 1].masks
        for frame, mask in enumerate(window_masks):
            segmentation = track['segmentations'][frame]
            if not mask.any():
                assert segmentation is None and \
                    track['bboxes'][frame] is None
                continue
            decoded = mask_utils.decode(segmentation).astype(bool)
            assert np.array_equal(decoded, mask), (track['track_id'], frame)
            ys, xs = np.nonzero(mask)
            assert track['bboxes'][frame] == [
                xs.min(), ys.min(),
                xs.max() + 1, ys.max() + 1
            ]
            compared += 1
    assert compared > 0


def _overlay(frames, prediction, visualizer, out_file, threshold):
    written = write_overlay_video(
        iter(frames),
        prediction,
        visualizer,
        out_file,
        fps=5,
        score_thr=threshold)
    return written, read_video(out_file)


def test_overlay_video_has_every_frame_with_the_kept_tracks_drawn(
        tiny_model, frames, prediction, tmp_path):
    threshold = _threshold_between_scores(prediction.tracks)
    visualizer = VISLocalVisualizer()
    visualizer.dataset_meta = tiny_model.dataset_meta
    written, decoded = _overlay(frames, prediction, visualizer,
                                str(tmp_path / 'overlay.avi'), threshold)
    assert written == 6
    assert len(decoded) == 6
    assert all(frame.shape == (96, 128, 3) for frame in decoded)
    # the same frames through the codec with no track drawn
    _, undrawn = _overlay(frames, prediction, visualizer,
                          str(tmp_path / 'undrawn.avi'), 2.0)
    for index in range(6):
        kept = [
            track for track in prediction.tracks
            if track.score >= threshold and index in track.segmentations
        ]
        drawn = np.zeros((96, 128), bool)
        near_boxes = np.zeros((96, 128), bool)
        for track in kept:
            drawn |= mask_utils.decode(track.segmentations[index]).astype(bool)
            x1, y1, x2, y2 = (int(v) for v in track.boxes[index])
            # JPEG blocks of 8 pixels around the box outline and label
            near_boxes[max(y1 - 8, 0):y2 + 8, max(x1 - 8, 0):x2 + 8] = True
        change = np.abs(decoded[index].astype(int) -
                        undrawn[index].astype(int)).max(2)
        assert drawn.any() and (~near_boxes).any()
        # tinted masks; elsewhere the codec's noise only
        assert change[drawn].mean() > 50, index
        assert change[~near_boxes].mean() < 2, index
