"""TrackJFMetric and its functions: values counted by hand, edge cases.

Most masks are 4 x 4 squares in 12 x 12 frames, whose diagonal (16.97
pixels) makes the boundary tolerance ceil(0.008 * 16.97) = 1 pixel.
"""
import logging.handlers

import numpy as np
import pytest
from mmdet.registry import METRICS
from mmengine.evaluator import Evaluator
from mmengine.logging import MMLogger

import mmfvis  # noqa: F401  registers the metric
from mmfvis.evaluation.functional import (assign_tracks, boundary_f_measure,
                                          boundary_map, region_similarity,
                                          tolerance_radius, video_track_scores)
from .video_samples import gt_instance, rle, video_sample

SHAPE = (12, 12)
EMPTY = np.zeros(SHAPE, bool)
CLASSES = ('fish', 'crab')


def square(top: int, left: int, size: int = 4, shape=SHAPE) -> np.ndarray:
    mask = np.zeros(shape, bool)
    mask[top:top + size, left:left + size] = True
    return mask


def rle_track(*masks) -> list:
    """A track as the functions take it: per frame an RLE, or None."""
    return [None if mask is None else rle(mask) for mask in masks]


def make_video(video_id: int,
               gt_tracks: list,
               pred_tracks: list,
               with_mask: bool = True):
    """A video as mmdet's test loop hands it to a metric.

    ``gt_tracks``: per track, its mask in each frame (None: absent), class
    0, instance ids 1, 2, ...; ``pred_tracks``: per track, its mask in each
    frame (``EMPTY``: nothing predicted), all of class 1, so that a class
    match never matters.
    """
    num_frames = len((gt_tracks or pred_tracks)[0])
    gt_frames = [[
        gt_instance(masks[frame], 0, track_id, with_mask)
        for track_id, masks in enumerate(gt_tracks, 1)
        if masks[frame] is not None
    ] for frame in range(num_frames)]
    pred_masks = np.array(pred_tracks, bool).reshape(-1, num_frames, *SHAPE)
    return video_sample(video_id, SHAPE, gt_frames, pred_masks,
                        [1] * len(pred_masks), [0.9] * len(pred_masks),
                        10 * video_id)


def evaluate(videos, *metrics) -> dict:
    """What mmengine's test loop does with the metrics of a config."""
    evaluator = Evaluator([
        METRICS.build(metric)
        for metric in metrics or [dict(type='TrackJFMetric')]
    ])
    evaluator.dataset_meta = dict(classes=CLASSES)
    for video in videos:
        evaluator.process(data_samples=[video])
    return evaluator.evaluate(len(videos))


@pytest.fixture
def logged(request):
    """The text logged to a new current MMLogger, the metric's logger."""
    logger = MMLogger.get_instance(f'test_track_jf_{request.node.name}')
    records = logging.handlers.BufferingHandler(capacity=1000)
    logger.addHandler(records)
    yield lambda: '\n'.join(record.getMessage() for record in records.buffer)
    logger.removeHandler(records)


def test_boundary_map_of_a_square_drawn_by_hand():
    mask = np.array([
        [0, 0, 0, 0, 0],
        [0, 1, 1, 0, 0],
        [0, 1, 1, 0, 0],
        [0, 0, 0, 0, 0],
        [0, 0, 0, 0, 0],
    ], bool)
    # Inside: the last row and column of the square; outside: the row
    # above it and the column left of it, each pixel differing from its
    # right, bottom or bottom-right neighbour.
    expected = np.array([
        [1, 1, 1, 0, 0],
        [1, 0, 1, 0, 0],
        [1, 1, 1, 0, 0],
        [0, 0, 0, 0, 0],
        [0, 0, 0, 0, 0],
    ], bool)
    assert np.array_equal(boundary_map(mask), expected)
    # A 4 x 4 square: the outline of rows 1..5, columns 1..5, 16 pixels.
    outline = square(1, 1, size=5) & ~square(2, 2, size=3)
    assert np.array_equal(boundary_map(square(2, 2)), outline)


def test_the_image_border_is_no_boundary():
    left_half = np.zeros(SHAPE, bool)
    left_half[:, :6] = True
    column_5 = np.zeros(SHAPE, bool)
    column_5[:, 5] = True
    assert np.array_equal(boundary_map(left_half), column_5)
    full = np.ones(SHAPE, bool)
    assert not boundary_map(full).any()
    assert boundary_f_measure(full, full) == 1.0
    assert boundary_f_measure(full, square(2, 2)) == 0.0


def test_tolerance_is_the_diagonal_fraction_rounded_up():
    assert tolerance_radius(12, 12, 0.008) == 1  # 0.136
    assert tolerance_radius(200, 200, 0.008) == 3  # 2.263
    assert tolerance_radius(480, 854, 0.008) == 8  # 7.837


def test_square_shifted_by_one_pixel():
    gt, pred = square(2, 2), square(2, 3)
    assert region_similarity(pred, gt) == pytest.approx(12 / 20)
    # Every boundary pixel lies one pixel right of one of the other's.
    assert boundary_f_measure(pred, gt) == pytest.approx(1.0)


def test_square_shifted_by_three_pixels():
    gt, pred = square(2, 2), square(2, 5)
    assert region_similarity(pred, gt) == pytest.approx(4 / 28)
    # Outlines of columns 1..5 (ground truth) and 4..8 (prediction), rows
    # 1..5, 16 pixels each. Within 1 pixel of the other: in rows 1 and 5
    # three pixels each, and one column of the 3 rows between: 9 of 16.
    precision = recall = 9 / 16
    assert boundary_f_measure(pred, gt) == pytest.approx(
        2 * precision * recall / (precision + recall))


def test_tolerance_grows_with_the_image_diagonal():
    shape = (200, 200)  # tolerance 3 pixels
    gt = square(50, 50, shape=shape)
    assert boundary_f_measure(square(50, 53, shape=shape), gt) == 1.0
    # Shifted by 4: outlines of columns 49..53 and 53..57, rows 49..53.
    # Within 3 pixels of the other: the shared column (5 pixels) and 3 of
    # the 4 other pixels of rows 49 and 53 each: 11 of 16.
    assert boundary_f_measure(square(50, 54, shape=shape), gt) == \
        pytest.approx(11 / 16)


def test_empty_prediction_scores_zero():
    gt_track = rle_track(square(2, 2), square(3, 3))
    nothing = rle_track(EMPTY, EMPTY)
    for predictions in ([], [nothing]):
        [scores] = video_track_scores([gt_track], predictions, *SHAPE)
        assert scores == dict(
            J=0.0,
            F=0.0,
            J_recall=0.0,
            num_scored_frames=2,
            assigned_prediction=None)


def test_perfect_prediction_scores_one():
    masks = (square(2, 2), square(3, 3))
    [scores] = video_track_scores([rle_track(*masks)], [rle_track(*masks)],
                                  *SHAPE)
    assert scores == dict(
        J=1.0, F=1.0, J_recall=1.0, num_scored_frames=2, assigned_prediction=0)


def test_only_frames_with_either_mask_are_scored():
    gt_track = rle_track(square(2, 2), square(2, 2), None, None)
    # Frame 0 missed, frame 1 perfect, frame 2 a false positive, frame 3
    # absent from both: not scored.
    pred_track = rle_track(EMPTY, square(2, 2), square(6, 6), None)
    [scores] = video_track_scores([gt_track], [pred_track], *SHAPE)
    assert scores['num_scored_frames'] == 3
    assert scores['J'] == pytest.approx(1 / 3)
    assert scores['F'] == pytest.approx(1 / 3)
    assert scores['J_recall'] == pytest.approx(1 / 3)


def test_assignment_recovers_tracks_given_in_swapped_order():
    gt_tracks = [
        rle_track(square(2, 2), square(2, 2)),
        rle_track(square(7, 7), square(7, 7)),
    ]
    pred_tracks = [
        rle_track(square(7, 7), square(7, 7)),  # the second, exact
        rle_track(square(2, 3), square(2, 3)),  # the first, one pixel off
    ]
    assert assign_tracks(gt_tracks, pred_tracks) == [1, 0]
    first, second = video_track_scores(gt_tracks, pred_tracks, *SHAPE)
    assert first['assigned_prediction'] == 1
    assert first['J'] == pytest.approx(12 / 20)
    assert first['F'] == 1.0
    assert second['assigned_prediction'] == 0
    assert second['J'] == second['F'] == 1.0


def test_assignment_maximises_the_summed_iou_not_greedily():
    gt_tracks = [rle_track(square(2, 2)), rle_track(square(2, 5))]
    # IoUs with the two ground-truth tracks: 12/20 and 8/24; 8/24 and 0.
    # Greedy: 12/20 + 0; the assignment: 8/24 + 8/24, more.
    pred_tracks = [rle_track(square(2, 3)), rle_track(square(2, 0))]
    assert assign_tracks(gt_tracks, pred_tracks) == [1, 0]


def test_a_prediction_of_zero_overlap_is_not_assigned():
    gt_track = rle_track(square(0, 0), square(0, 0))
    elsewhere = rle_track(square(7, 7), square(7, 7))
    assert assign_tracks([gt_track], [elsewhere]) == [None]
    [scores] = video_track_scores([gt_track], [elsewhere], *SHAPE)
    # Scored against nothing: its frames of the ground truth only.
    assert scores['num_scored_frames'] == 2
    assert scores['J'] == scores['F'] == 0.0


def test_metric_averages_over_the_tracks_of_all_videos():
    first, second = [square(2, 2)] * 2, [square(7, 7)] * 2
    videos = [
        # a track one pixel off (J 3/5, F 1), one exact, in swapped order
        make_video(1, [first, second], [second, [square(2, 3)] * 2]),
        # a track without any prediction (J 0, F 0)
        make_video(2, [first], []),
    ]
    metrics = evaluate(videos)
    assert metrics == pytest.approx({
        'davis/J': (3 / 5 + 1 + 0) / 3,
        'davis/F': (1 + 1 + 0) / 3,
        'davis/J&F': (8 / 15 + 2 / 3) / 2,
        'davis/J_recall': 2 / 3,
    })


def test_metric_beside_youtube_vis_mask_metric(tmp_path):
    masks = [square(2, 2), square(3, 3)]
    youtube_vis = dict(
        type='YouTubeVISMaskMetric', outfile_prefix=str(tmp_path / 'r'))
    metrics = evaluate([make_video(1, [masks], [masks])], youtube_vis,
                       dict(type='TrackJFMetric'))
    assert metrics['davis/J&F'] == 1.0
    assert metrics['youtube_vis/segm_mAP_50'] == 0.0  # wrong class


def test_box_only_ground_truth_gives_nothing_and_a_warning(logged):
    masks = [square(2, 2), square(3, 3)]
    assert evaluate([make_video(1, [masks], [masks], with_mask=False)]) == {}
    assert '2 ground-truth boxes have no mask' in logged()


def test_no_ground_truth_track_gives_undefined_scores(logged):
    metrics = evaluate([make_video(1, [], [[square(2, 2)] * 2])])
    assert set(metrics.values()) == {-1.0}
    assert 'no ground-truth track' in logged()


def test_metric_logs_a_one_line_summary(logged):
    masks = [square(2, 2)]
    evaluate([make_video(1, [masks], [masks])])
    assert 'DAVIS J&F 1.0000, J 1.0000, F 1.0000, J recall 1.0000 over 1 ' \
        'ground-truth tracks of 1 videos' in logged()


def test_frame_level_sampling_is_refused_with_advice():
    metric = METRICS.build(dict(type='TrackJFMetric'))
    masks = [square(2, 2)] * 2
    video = make_video(1, [masks], [masks])
    video.video_data_samples[0].set_metainfo(dict(ori_video_length=5))
    with pytest.raises(NotImplementedError, match='DefaultSampler'):
        metric.process({}, [video.to_dict()])
