"""OVIS: a real excerpt (10 overlapping fish, 1920x886) converts, loads
with OVIS's 25 classes from the file and scores AP 1 for its own masks."""
import json
import os.path as osp

import pytest
from pycocotools import mask as mask_utils

import mmfvis  # noqa: F401  registers the metric
from ..paths import SHARED_DATA
from ..test_tools.tool_loading import load_tool
from .video_samples import dataset_video_sample, evaluate

OVIS_JSON = osp.join(SHARED_DATA, 'fixtures', 'ovis_excerpt_train.json')
pytestmark = pytest.mark.skipif(
    not osp.isfile(OVIS_JSON),
    reason=f'OVIS excerpt not found at {OVIS_JSON} (shared data is not '
    'part of the repository)')


def test_ovis_excerpt_scores_ap_one_with_official_category_ids(tmp_path):
    from mmdet.registry import DATASETS
    converted = str(tmp_path / 'ovis_mmdet.json')
    load_tool('dataset_converters/youtube_vis_to_mmdet.py').main(
        [OVIS_JSON, converted])
    with open(OVIS_JSON) as file:
        categories = json.load(file)['categories']
    classes = [c['name'] for c in sorted(categories, key=lambda c: c['id'])]
    dataset = DATASETS.build(
        dict(
            type='BaseVideoDataset',
            ann_file=converted,
            metainfo=dict(classes=classes),
            test_mode=True,
            pipeline=[]))
    video = dataset_video_sample(
        dataset.get_data_info(0),
        lambda instance, shape: mask_utils.decode(instance['mask']) > 0, 0.9)
    metrics = evaluate([video],
                       classes,
                       outfile_prefix=str(tmp_path / 'results'))
    assert len(classes) == 25
    assert metrics['youtube_vis/segm_mAP'] == pytest.approx(1.0)
    with open(tmp_path / 'results.json') as file:
        submitted = json.load(file)
    assert len(submitted) == 10
    assert {r['category_id'] for r in submitted} == {classes.index('Fish') + 1}
