"""WindowTrackLinker: one identity per object across overlapping windows."""
import numpy as np
import pytest
from pycocotools import mask as mask_utils

from mmfvis.apis import WindowTrack, WindowTrackLinker
from mmfvis.apis.track_linking import spatio_temporal_iou

SHAPE = (16, 32)


def square_at(left: int, top: int = 4, size: int = 6) -> np.ndarray:
    mask = np.zeros(SHAPE, bool)
    mask[top:top + size, left:left + size] = True
    return mask


def moving_square(frame: int) -> np.ndarray:
    return square_at(2 * frame)


def second_object(frame: int) -> np.ndarray:
    return square_at(
        20, top=9, size=5) if frame >= 4 else np.zeros(SHAPE, bool)


def window_tracks(first: int, length: int, rng) -> list:
    """The moving square (label 1), the second object (label 0, from frame
    4) and an empty query, in a shuffled order as a model would give."""
    frames = range(first, first + length)
    tracks = [
        WindowTrack(1, 0.9, np.stack([moving_square(f) for f in frames])),
        WindowTrack(0, 0.6, np.stack([second_object(f) for f in frames])),
        WindowTrack(0, 0.05, np.zeros((length, *SHAPE), bool)),
    ]
    return [tracks[i] for i in rng.permutation(len(tracks))]


def test_spatio_temporal_iou_sums_over_frames_before_dividing():
    rng = np.random.default_rng(0)
    a = rng.random((3, 4, 5, 6)) > 0.5
    b = rng.random((2, 4, 5, 6)) > 0.5
    ious = spatio_temporal_iou(a, b)
    for i in range(3):
        for j in range(2):
            assert ious[i, j] == pytest.approx(
                (a[i] & b[j]).sum() / (a[i] | b[j]).sum())


def test_objects_keep_their_ids_over_windows_each_frame_recorded_once():
    rng = np.random.default_rng(0)
    linker = WindowTrackLinker(SHAPE)
    # Windows of 4 frames sharing 2: frames 0-3, 2-5, 4-7, 6-9. Scores
    # tell the objects apart: 0.9 the square, 0.6 the second object.
    id_by_score = []
    for first in (0, 2, 4, 6):
        tracks = window_tracks(first, 4, rng)
        ids = linker.add_window(first, tracks)
        id_by_score.append({t.score: i for t, i in zip(tracks, ids)})
    square_ids = {ids[0.9] for ids in id_by_score}
    second_ids = {ids[0.6] for ids in id_by_score[1:]}  # present from 4
    assert len(square_ids) == 1 and len(second_ids) == 1
    square = linker.tracks[square_ids.pop() - 1]
    assert sorted(square.segmentations) == list(range(10))
    for frame, rle in square.segmentations.items():
        assert (mask_utils.decode(rle) == moving_square(frame)).all()
        assert square.boxes[frame] == [2 * frame, 4, 2 * frame + 6, 10]
    assert (square.label, square.score) == (1, pytest.approx(0.9))
    second = linker.tracks[second_ids.pop() - 1]
    assert sorted(second.segmentations) == list(range(4, 10))
    # Empty queries record no frame: only the two objects have masks.
    assert sum(bool(t.segmentations) for t in linker.tracks) == 2


def test_an_object_that_jumps_between_windows_starts_a_new_track():
    linker = WindowTrackLinker(SHAPE)
    [first] = linker.add_window(
        0, [WindowTrack(0, 0.9, np.stack([square_at(0),
                                          square_at(0)]))])
    [second] = linker.add_window(
        1, [WindowTrack(0, 0.9, np.stack([square_at(20),
                                          square_at(20)]))])
    assert first != second


def test_label_is_the_score_weighted_majority():
    linker = WindowTrackLinker(SHAPE)
    masks = np.stack([square_at(0)] * 3)
    linker.add_window(0, [WindowTrack(0, 0.4, masks)])
    linker.add_window(1, [WindowTrack(1, 0.9, masks)])  # 1 new frame
    linker.add_window(2, [WindowTrack(1, 0.9, masks)])  # 1 new frame
    [track] = linker.tracks
    assert track.label == 1  # 0.4 x 3 frames < 0.9 x 2 frames
    assert track.score == pytest.approx((0.4 * 3 + 0.9 * 2) / 5)


def test_masks_are_resized_to_the_frame_resolution():
    linker = WindowTrackLinker((32, 64))
    linker.add_window(0, [WindowTrack(0, 0.9, square_at(4)[None])])
    [track] = linker.tracks
    mask = mask_utils.decode(track.segmentations[0])
    assert mask.shape == (32, 64)
    assert track.boxes[0] == [8, 8, 20, 20]


def test_windows_out_of_order_are_refused():
    linker = WindowTrackLinker(SHAPE)
    linker.add_window(4, [WindowTrack(0, 0.9, square_at(0)[None])])
    with pytest.raises(ValueError, match='starts before'):
        linker.add_window(2, [WindowTrack(0, 0.9, square_at(0)[None])])
