"""YouTubeVISMaskMetric: values computed by hand, edge cases, files."""
import json
import os
import tempfile
import zipfile

import numpy as np
import pytest
from mmengine.logging import MMLogger
from pycocotools import mask as mask_utils

import mmfvis  # noqa: F401  registers the metric
from .video_samples import evaluate, gt_instance, rle, video_sample

SHAPE = (8, 8)
CLASSES = ('fish', 'crab')


def square(top: int, left: int, size: int = 2) -> np.ndarray:
    mask = np.zeros(SHAPE, bool)
    mask[top:top + size, left:left + size] = True
    return mask


def two_frame_video(video_id,
                    gt_masks,
                    pred_masks,
                    pred_scores,
                    with_mask=True):
    """Ground truth: one class-0 track of two frames (or none); the
    predictions are class-0 tracks of two frames."""
    gt_frames = [
        [gt_instance(m, 0, video_id, with_mask)] if m is not None else []
        for m in gt_masks
    ]
    masks = np.array(pred_masks, bool).reshape(-1, 2, *SHAPE)
    return video_sample(video_id, SHAPE, gt_frames, masks, [0] * len(masks),
                        pred_scores, 10 * video_id)


def hand_made_videos():
    """Video 1: a perfect prediction (score 0.9). Video 2: a prediction of
    spatio-temporal IoU 5/8 (score 0.8; all 4 pixels on frame 0, 1 of 4 on
    frame 1) below a false positive (score 0.95)."""
    track_1 = [square(0, 0), square(1, 1)]
    track_2 = [square(4, 4), square(4, 4)]
    partial = [square(4, 4), square(4, 4, size=1)]
    false_positive = [square(0, 6), square(0, 6)]
    return [
        two_frame_video(1, track_1, [track_1], [0.9]),
        two_frame_video(2, track_2, [partial, false_positive], [0.8, 0.95]),
    ]


def test_hand_made_case_gives_the_ap_computed_by_hand(tmp_path):
    metrics = evaluate(
        hand_made_videos(), CLASSES, outfile_prefix=str(tmp_path / 'r'))
    # Ranked FP, TP (IoU 1), TP (IoU 0.625). At IoU 0.50, 0.55, 0.60 the
    # interpolated precision is 2/3 at every recall; at the 7 thresholds
    # above, 1/2 up to recall 0.5 (51 of the 101 recall points), then 0.
    above = 51 * 0.5 / 101
    assert metrics['youtube_vis/segm_mAP'] == pytest.approx(
        (3 * 2 / 3 + 7 * above) / 10)
    assert metrics['youtube_vis/segm_mAP_50'] == pytest.approx(2 / 3)
    assert metrics['youtube_vis/segm_mAP_75'] == pytest.approx(above)
    # One detection per video recalls video 1 only; ten recall both where
    # IoU 0.625 passes (3 thresholds of 10).
    assert metrics['youtube_vis/segm_AR@1'] == pytest.approx(0.5)
    assert metrics['youtube_vis/segm_AR@10'] == pytest.approx(
        (3 * 1.0 + 7 * 0.5) / 10)


def test_zero_predictions_give_zero_ap_and_an_empty_submission(tmp_path):
    videos = [two_frame_video(1, [square(0, 0), square(0, 0)], [], [])]
    metrics = evaluate(videos, CLASSES, outfile_prefix=str(tmp_path / 'r'))
    assert set(metrics.values()) == {0.0}
    with open(tmp_path / 'r.json') as file:
        assert json.load(file) == []


def test_video_without_instances_counts_its_false_positives(tmp_path):
    perfect = [square(0, 0), square(0, 0)]
    videos = [
        two_frame_video(1, perfect, [perfect], [0.5]),
        two_frame_video(2, [None, None], [perfect], [0.9]),
    ]
    metrics = evaluate(videos, CLASSES, outfile_prefix=str(tmp_path / 'r'))
    # FP (0.9) then TP (0.5): precision 1/2 at every recall point.
    assert metrics['youtube_vis/segm_mAP'] == pytest.approx(0.5)
    assert metrics['youtube_vis/segm_AR@1'] == pytest.approx(1.0)


def test_no_instance_anywhere_gives_undefined_ap_not_a_crash(tmp_path):
    videos = [two_frame_video(1, [None, None], [], [])]
    metrics = evaluate(videos, CLASSES, outfile_prefix=str(tmp_path / 'r'))
    assert set(metrics.values()) == {-1.0}


def test_zero_predictions_with_a_video_without_instances(tmp_path):
    videos = [
        two_frame_video(1, [square(0, 0), None], [], []),
        two_frame_video(2, [None, None], [], []),
    ]
    metrics = evaluate(videos, CLASSES, outfile_prefix=str(tmp_path / 'r'))
    assert set(metrics.values()) == {0.0}


def test_empty_predicted_masks_score_zero_not_a_crash(tmp_path):
    empty = [np.zeros(SHAPE, bool)] * 2
    videos = [two_frame_video(1, [square(0, 0)] * 2, [empty], [0.9])]
    metrics = evaluate(videos, CLASSES, outfile_prefix=str(tmp_path / 'r'))
    assert set(metrics.values()) == {0.0}


def test_box_only_ground_truth_still_writes_the_submission(tmp_path):
    perfect = [square(0, 0), square(0, 0)]
    videos = [two_frame_video(1, perfect, [perfect], [0.9], False)]
    metrics = evaluate(videos, CLASSES, outfile_prefix=str(tmp_path / 'r'))
    assert metrics == {}
    with open(tmp_path / 'r.json') as file:
        assert len(json.load(file)) == 1


def test_submission_zip_lies_beside_the_log_with_official_ids(tmp_path):
    log_dir = tmp_path / 'work_dir' / '20250101_000000'
    log_dir.mkdir(parents=True)
    MMLogger.get_instance(
        'test_submission_beside_log',
        log_file=str(log_dir / '20250101_000000.log'))
    evaluate(hand_made_videos(), CLASSES, category_ids=[5, 9])
    with zipfile.ZipFile(log_dir / 'results.submission_file.zip') as zipped:
        assert zipped.namelist() == ['results.json']
        submitted = json.loads(zipped.read('results.json'))
    assert [(r['video_id'], r['category_id'], r['score'])
            for r in submitted] == [(1, 5, pytest.approx(0.9)),
                                    (2, 5, pytest.approx(0.8)),
                                    (2, 5, pytest.approx(0.95))]
    assert all(len(r['segmentations']) == 2 for r in submitted)


def test_outside_a_runner_results_go_to_a_new_temporary_directory(
        tmp_path, monkeypatch):
    (tmp_path / 'cwd').mkdir()
    (tmp_path / 'tmp').mkdir()
    monkeypatch.chdir(tmp_path / 'cwd')
    monkeypatch.setattr(tempfile, 'tempdir', str(tmp_path / 'tmp'))
    MMLogger.get_instance('test_no_log_file')  # a logger without a file
    evaluate(hand_made_videos(), CLASSES)
    assert os.listdir(tmp_path / 'cwd') == []
    [results_dir] = os.listdir(tmp_path / 'tmp')
    assert sorted(os.listdir(tmp_path / 'tmp' / results_dir)) == [
        'results.json', 'results.submission_file.zip'
    ]


def test_evaluates_again_after_a_first_evaluation(tmp_path):
    from mmdet.registry import METRICS
    metric = METRICS.build(
        dict(type='YouTubeVISMaskMetric', outfile_prefix=str(tmp_path / 'r')))
    metric.dataset_meta = dict(classes=CLASSES)
    for _ in range(2):  # two validations of one training run
        for video in hand_made_videos():
            metric.process({}, [video.to_dict()])
        assert metric.evaluate(2)['youtube_vis/segm_mAP_50'] == \
            pytest.approx(2 / 3)


def test_frame_level_sampling_is_refused_with_advice(tmp_path):
    from mmdet.registry import METRICS
    metric = METRICS.build(dict(type='YouTubeVISMaskMetric'))
    video = hand_made_videos()[0]
    video.video_data_samples[0].set_metainfo(dict(ori_video_length=5))
    with pytest.raises(NotImplementedError, match='DefaultSampler'):
        metric.process({}, [video.to_dict()])


def test_unknown_metric_item_and_wrong_category_ids_are_refused(tmp_path):
    with pytest.raises(KeyError, match='AP_huge'):
        evaluate([], CLASSES, metric_items=['AP_huge'])
    with pytest.raises(ValueError, match='2 classes'):
        evaluate(
            hand_made_videos(),
            CLASSES,
            category_ids=[1, 2, 3],
            outfile_prefix=str(tmp_path / 'r'))


def test_ground_truth_polygons_and_uncompressed_rle_become_the_same_rle():
    from mmfvis.evaluation.metrics.youtube_vis_mask_metric import \
        ground_truth_tracks
    compressed = rle(square(2, 2, size=4))
    polygon = [[2, 2, 6, 2, 6, 6, 2, 6]]  # the same 4x4 square's outline
    uncompressed = dict(
        size=[8, 8], counts=[18, 4, 4, 4, 4, 4, 4, 4, 18])  # column-major
    frames = [[dict(gt_instance(square(2, 2, size=4), 1, 1), mask=m)]
              for m in (compressed, polygon, uncompressed)]
    [track] = ground_truth_tracks(
        video_sample(1, SHAPE, frames).video_data_samples)
    assert track['label'] == 1
    assert track['segmentations'] == [compressed] * 3
    assert track['areas'] == [16.0] * 3
    assert track['bboxes'] == [[2.0, 2.0, 4.0, 4.0]] * 3


def test_format_only_zips_the_official_results_of_every_track(tmp_path):
    """configs/mfvis_ytvis.py's setting for the server's valid split: no
    AP, the zip holds results.json in the official schema, one entry per
    predicted track and per frame its RLE, or null where it is absent."""
    videos = hand_made_videos()
    # video 2, frame 1: the false positive (track 1) is not predicted
    frame = videos[1].video_data_samples[1]
    frame.pred_track_instances = frame.pred_track_instances[[0]]
    metrics = evaluate(
        videos, CLASSES, format_only=True, outfile_prefix=str(tmp_path / 'r'))
    assert metrics == {}
    with zipfile.ZipFile(tmp_path / 'r.submission_file.zip') as zipped:
        assert zipped.namelist() == ['results.json']
        submitted = json.loads(zipped.read('results.json'))
    assert len(submitted) == 3  # tracks: 1 in video 1, 2 in video 2
    for entry in submitted:
        assert set(entry) == {
            'video_id', 'score', 'category_id', 'segmentations'
        }
        assert entry['category_id'] == 1  # class 0, official ids 1..N
        assert len(entry['segmentations']) == 2  # one per frame
    by_score = {round(entry['score'], 2): entry for entry in submitted}
    expected = {
        0.9: [square(0, 0), square(1, 1)],  # video 1
        0.8: [square(4, 4), square(4, 4, size=1)],  # video 2
        0.95: [square(0, 6), None],  # video 2, absent from frame 1
    }
    assert sorted(by_score) == sorted(expected)
    for score, masks in expected.items():
        entry = by_score[score]
        assert entry['video_id'] == (1 if score == 0.9 else 2)
        for segmentation, mask in zip(entry['segmentations'], masks):
            if mask is None:
                assert segmentation is None
            else:
                decoded = mask_utils.decode(segmentation).astype(bool)
                assert np.array_equal(decoded, mask)
