"""inference_vis_video: windows over the whole video, linked tracks."""
import numpy as np
import pytest
import torch
from mmengine.structures import InstanceData

import mmfvis.apis.video_inference as video_inference
from mmfvis.apis import WindowTrack, inference_vis_video
from mmfvis.apis.video_inference import window_tracks

SHAPE = (16, 32)


def frames_with_a_moving_square(num_frames):
    """BGR frames whose white square moves 2 pixels right per frame."""
    frames = []
    for index in range(num_frames):
        frame = np.zeros((*SHAPE, 3), np.uint8)
        frame[4:10, 2 * index:2 * index + 6] = 255
        frames.append(frame)
    return frames


class SquareModel:
    """Stands for a VIS model: segments the white pixels of each window,
    and records the windows it was given."""
    cfg = None

    def __init__(self):
        self.window_lengths = []

    def predict(self, frames, mask_shape):
        self.window_lengths.append(len(frames))
        masks = np.stack([frame[..., 0] > 0 for frame in frames])
        return [WindowTrack(label=0, score=0.8, masks=masks)]


@pytest.fixture
def square_model(monkeypatch):
    model = SquareModel()
    monkeypatch.setattr(video_inference, 'build_frames_pipeline',
                        lambda cfg: None)
    monkeypatch.setattr(
        video_inference, 'predict_window',
        lambda model, pipeline, frames, mask_shape: model.predict(
            frames, mask_shape))
    return model


class Counter:

    def __init__(self):
        self.count = 0

    def update(self):
        self.count += 1


@pytest.mark.parametrize(
    'num_frames, window, overlap, lengths',
    [
        (12, 5, 2, [5, 5, 5, 3]),  # windows 0-4, 3-7, 6-10, 9-11
        (11, 5, 2, [5, 5, 5]),  # the third window ends on the last frame
        (4, 5, 2, [4]),  # shorter than a window
        (7, None, 0, [7]),  # the whole video at once
    ])
def test_windows_cover_the_video_and_one_track_follows_the_square(
        square_model, num_frames, window, overlap, lengths):
    progress = Counter()
    prediction = inference_vis_video(
        square_model,
        iter(frames_with_a_moving_square(num_frames)),
        window=window,
        overlap=overlap,
        progress=progress)
    assert square_model.window_lengths == lengths
    assert progress.count == num_frames
    assert (prediction.num_frames, prediction.frame_shape) == (num_frames,
                                                               SHAPE)
    [track] = prediction.tracks
    assert sorted(track.segmentations) == list(range(num_frames))
    assert track.boxes[num_frames - 1][0] == 2 * (num_frames - 1)


def test_overlap_must_be_smaller_than_the_window(square_model):
    with pytest.raises(ValueError, match='overlap'):
        inference_vis_video(square_model, [], window=3, overlap=3)


def test_a_video_without_frames_is_an_error(square_model):
    with pytest.raises(ValueError, match='no frame'):
        inference_vis_video(square_model, [])


def _frame_instances(ids, labels, scores, masks):
    return InstanceData(
        instances_id=torch.tensor(ids),
        labels=torch.tensor(labels),
        scores=torch.tensor(scores),
        masks=torch.tensor(np.array(masks, bool).reshape(len(ids), 2, 2)))


def test_window_tracks_gather_each_id_over_the_frames_it_is_on():
    """MaskTrack R-CNN: each frame lists the tracks found on it."""
    full, empty = [1, 1, 1, 1], [0, 0, 0, 0]
    predictions = [
        _frame_instances([4], [2], [0.9], [full]),
        _frame_instances([7, 4], [0, 1], [0.4, 0.7], [full, empty]),
        _frame_instances([4], [2], [0.8], [full]),
    ]
    first, second = window_tracks(predictions, (2, 2))
    assert (first.label, second.label) == (2, 0)
    assert first.score == pytest.approx(0.8)
    assert first.masks.any(axis=(1, 2)).tolist() == [True, False, True]
    assert second.masks.any(axis=(1, 2)).tolist() == [False, True, False]


def test_window_tracks_of_a_whole_window_model_keep_its_tracks():
    """Mask2Former-VIS: every frame lists the same tracks in one order."""
    masks = [[1, 0, 0, 0], [0, 0, 0, 1]]
    predictions = [
        _frame_instances([0, 1], [1, 0], [0.6, 0.3], masks) for _ in range(2)
    ]
    tracks = window_tracks(predictions, (2, 2))
    assert [(t.label, t.score) for t in tracks] == [(1, pytest.approx(0.6)),
                                                    (0, pytest.approx(0.3))]
    assert tracks[1].masks[:, 1, 1].all()
