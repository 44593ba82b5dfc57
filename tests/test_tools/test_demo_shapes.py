"""tools/demo_shapes.py, the main job, on a tiny budget."""
import glob
import json
import os
import os.path as osp
import subprocess
import sys

import cv2
import pytest

from ..paths import REPO_ROOT


@pytest.mark.slow
def test_demo_trains_evaluates_and_draws(tmp_path):
    data_root = str(tmp_path / 'data') + '/'
    work_dir = str(tmp_path / 'work')
    options = [
        'train_cfg.max_iters=2', 'default_hooks.checkpoint.interval=2',
        'train_dataloader.dataset.generate.num_videos=4',
        'val_dataloader.dataset.generate.num_videos=2',
        'test_dataloader.dataset.generate.num_videos=2'
    ] + [
        f'{loader}_dataloader.dataset.data_root={data_root}'
        for loader in ('train', 'val', 'test')
    ]
    result = subprocess.run([
        sys.executable, 'tools/demo_shapes.py', '--work-dir', work_dir,
        '--videos-to-draw', '2', '--cfg-options', *options
    ],
                            cwd=REPO_ROOT,
                            env=dict(os.environ, OMP_NUM_THREADS='1'),
                            capture_output=True,
                            text=True,
                            timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    assert '| box-supervised mmfvis |' in result.stdout
    assert '| ground-truth boxes, filled |' in result.stdout
    with open(osp.join(work_dir, 'demo_results.json')) as f:
        results = json.load(f)
    for row in results.values():
        assert 0.0 <= row['segm_mAP'] <= 1.0
        assert 0.0 <= row['J'] <= 1.0
        assert row['J&F'] == pytest.approx((row['J'] + row['F']) / 2)
    # the filled boxes cover every true mask: J > 0 whatever was learned
    assert results['ground-truth boxes, filled']['J'] > 0.3
    # each evaluation keeps its own predictions: the filled boxes (score 1)
    # do not overwrite the model's file beside the log
    [learned_file] = glob.glob(osp.join(work_dir, '[0-9]*', 'results.json'))
    with open(learned_file) as f:
        assert any(track['score'] < 1.0 for track in json.load(f))
    with open(osp.join(work_dir, 'filled_boxes', 'results.json')) as f:
        assert all(track['score'] == 1.0 for track in json.load(f))
    # held-out videos: masks were generated, training read none
    assert osp.isfile(
        osp.join(data_root, 'annotations', 'train_mmdet_boxes.json'))
    picture = cv2.imread(osp.join(work_dir, 'predictions.png'))
    # 2 videos x 3 frames, ground truth | prediction, upscaled 3 times
    assert picture.shape == (2 * 3 * 3 * 96, 2 * 3 * 128, 3)
