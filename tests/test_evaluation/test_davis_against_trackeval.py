"""The metric's AP on real DAVIS-2016 masks equals TrackEval's.

Independent evaluator: TrackEval (``trackeval`` on PyPI, J. Luiten et
al.), its ``YouTubeVIS`` dataset and ``TrackMAP`` metric: its own
spatio-temporal mask IoU, matching and 101-point interpolated AP, adapted
from TAO's evaluation, sharing no code with the YouTube-VIS cocoapi fork
that mmdet's evaluator copies. TrackEval reads the original official json
and the ``results.json`` the metric wrote for the server, so the
comparison also covers the project's converter, mmdet's dataset parsing
and the submission file.

Three kinds of predictions, one track per ground-truth track, scores drawn
at random so that ranking matters: (a) the ground-truth masks, (b) the
ground-truth boxes filled, (c) the masks shifted by (12, 8) pixels.
"""
import contextlib
import copy
import io
import json
import os.path as osp

import numpy as np
import pytest
from pycocotools import mask as mask_utils

import mmfvis  # noqa: F401  registers the metric
from mmfvis.evaluation import filled_box_mask
from ..paths import SHARED_DATA
from ..test_tools.tool_loading import load_tool
from .video_samples import dataset_video_sample, evaluate

DAVIS_JSON = osp.join(SHARED_DATA, 'davis2016', 'annotations',
                      'davis2016_ytvis.json')
CASES = ('perfect', 'filled_box', 'shifted')
pytestmark = pytest.mark.skipif(
    not osp.isfile(DAVIS_JSON),
    reason=f'DAVIS-2016 annotations not found at {DAVIS_JSON} '
    '(shared data is not part of the repository)')
trackeval = pytest.importorskip(
    'trackeval', reason='TrackEval is installed by: pip install .[tests]')


def predicted_mask(instance: dict, frame_shape, case: str) -> np.ndarray:
    if case == 'filled_box':
        return filled_box_mask(instance, frame_shape)
    mask = mask_utils.decode(instance['mask']).astype(bool)
    if case == 'shifted':
        shifted = np.zeros_like(mask)
        shifted[8:, 12:] = mask[:-8, :-12]
        return shifted
    return mask


def uncompressed_rle(compressed: dict) -> dict:
    """TrackEval's YouTube-VIS reader takes polygons or uncompressed RLE
    (the official train files'), not compressed RLE."""
    flat = mask_utils.decode(compressed).flatten(order='F')
    edges = np.flatnonzero(np.diff(flat)) + 1
    counts = np.diff(np.concatenate([[0], edges, [flat.size]])).tolist()
    if flat[0]:
        counts = [0] + counts  # runs start with background
    return dict(size=list(compressed['size']), counts=counts)


@pytest.fixture(scope='module')
def davis(tmp_path_factory):
    """DAVIS converted with the project's tool, loaded by mmdet."""
    from mmdet.registry import DATASETS
    root = tmp_path_factory.mktemp('davis')
    converted = str(root / 'davis_mmdet.json')
    load_tool('dataset_converters/youtube_vis_to_mmdet.py').main(
        [DAVIS_JSON, converted])
    with open(DAVIS_JSON) as file:
        official = json.load(file)
    dataset = DATASETS.build(
        dict(
            type='BaseVideoDataset',
            ann_file=converted,
            metainfo=dict(classes=[c['name'] for c in official['categories']]),
            test_mode=True,
            pipeline=[]))
    return root, official, dataset


def our_metrics(davis, case: str) -> dict:
    root, _, dataset = davis
    rng = np.random.default_rng(0)
    videos = [
        dataset_video_sample(
            dataset.get_data_info(i),
            lambda instance, shape: predicted_mask(instance, shape, case),
            float(rng.uniform(0.3, 1.0))) for i in range(len(dataset))
    ]
    metrics = evaluate(
        videos,
        dataset.metainfo['classes'],
        metric_items=['mAP', 'mAP_50', 'mAP_75', 'AR@100'],
        # TrackEval's layout: <split>/<tracker>/data/<results>.json
        outfile_prefix=str(root / 'trackers' / 'youtube_vis_davis' / case /
                           'data' / 'results'))
    return {k.split('segm_')[1]: v for k, v in metrics.items()}


def trackeval_metrics(davis) -> dict:
    """TrackEval on every case's results.json: {case: AP...}."""
    root, official, _ = davis
    ground_truth = copy.deepcopy(official)
    for track in ground_truth['annotations']:
        track['segmentations'] = [
            uncompressed_rle(s) if s else None for s in track['segmentations']
        ]
    (root / 'youtube_vis_davis').mkdir(exist_ok=True)
    with open(root / 'youtube_vis_davis' / 'gt.json', 'w') as file:
        json.dump(ground_truth, file)
    config = trackeval.Evaluator.get_default_eval_config()
    config.update(
        USE_PARALLEL=False,
        PRINT_RESULTS=False,
        PRINT_CONFIG=False,
        OUTPUT_SUMMARY=False,
        OUTPUT_DETAILED=False,
        PLOT_CURVES=False,
        TIME_PROGRESS=False)
    dataset = trackeval.datasets.YouTubeVIS(
        dict(
            GT_FOLDER=f'{root}/',
            TRACKERS_FOLDER=f'{root}/trackers/',
            OUTPUT_FOLDER=f'{root}/trackeval_output/',
            SPLIT_TO_EVAL='davis',
            PRINT_CONFIG=False))
    metric = trackeval.metrics.TrackMAP(
        dict(PRINT_CONFIG=False, USE_TIME_RANGES=False, MAX_DETECTIONS=100))
    with contextlib.redirect_stdout(io.StringIO()):
        results, messages = trackeval.Evaluator(config).evaluate([dataset],
                                                                 [metric])
    assert set(messages['YouTubeVIS'].values()) == {'Success'}
    values = {}
    for case in CASES:
        track_map = results['YouTubeVIS'][case]['COMBINED_SEQ'][
            'cls_comb_cls_av']['TrackMAP']
        ap = track_map['AP_all']  # per IoU threshold 0.50, 0.55, ..., 0.95
        values[case] = dict(
            mAP=ap.mean(),
            mAP_50=ap[0],
            mAP_75=ap[5],
            **{'AR@100': track_map['AR_all'].mean()})
    return values


def test_ap_equals_trackeval_for_perfect_box_and_shifted_masks(davis):
    ours = {case: our_metrics(davis, case) for case in CASES}
    theirs = trackeval_metrics(davis)
    for case in CASES:
        for name, value in theirs[case].items():
            assert ours[case][name] == pytest.approx(value, abs=1e-4), \
                (case, name)
    assert ours['perfect']['mAP'] == pytest.approx(1.0)
    # The data's README: filled boxes score about 0.10 mask AP.
    assert 0.05 < ours['filled_box']['mAP'] < 0.15
    assert ours['shifted']['mAP'] < ours['perfect']['mAP']
    print({case: ours[case]['mAP']
           for case in CASES},
          {case: float(theirs[case]['mAP'])
           for case in CASES})
