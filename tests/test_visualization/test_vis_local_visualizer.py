"""VISLocalVisualizer: box-only ground truth, track colours, clips."""
import itertools
import os
import subprocess
import sys

import numpy as np
import torch
from mmdet.structures import DetDataSample
from mmdet.structures.mask import BitmapMasks
from mmengine.structures import InstanceData

from mmfvis.visualization import VISLocalVisualizer, track_color
from ..paths import REPO_ROOT

GREY = 100


def visualizer():
    drawer = VISLocalVisualizer(line_width=2, alpha=0.5)
    drawer.dataset_meta = dict(classes=('triangle', 'star'))
    return drawer


def grey_frame(height=120, width=160):
    return np.full((height, width, 3), GREY, np.uint8)


def test_box_only_ground_truth_draws_box_edges_and_leaves_inside():
    gt = InstanceData(
        bboxes=torch.tensor([[40., 30., 120., 100.]]),
        labels=torch.tensor([1]),
        instances_ids=torch.tensor([4]))
    drawn = visualizer().draw_instances(grey_frame(), gt)
    changed = np.any(drawn != GREY, axis=2)
    assert changed[30, 80] and changed[100, 80]  # top and bottom edges
    assert changed[65, 40] and changed[65, 120]  # left and right edges
    assert not changed[80:95, 60:110].any()  # inside, below the label
    assert not changed[:25].any() and not changed[105:].any()


def test_mask_is_tinted_with_its_track_colour():
    masks = np.zeros((1, 120, 160), bool)
    masks[0, 50:90, 20:60] = True
    prediction = InstanceData(
        masks=torch.from_numpy(masks),
        labels=torch.tensor([0]),
        scores=torch.tensor([0.8]),
        instances_id=torch.tensor([7]))
    drawn = visualizer().draw_instances(grey_frame(), prediction)
    expected = 0.5 * GREY + 0.5 * np.array(track_color(7))
    assert np.abs(drawn[75, 40] - expected).max() <= 1
    assert (drawn[110, 150] == GREY).all()


def test_packed_ground_truth_with_bitmap_masks_draws():
    masks = np.zeros((1, 120, 160), bool)
    masks[0, 10:30, 10:30] = True
    gt = InstanceData(
        masks=BitmapMasks(masks, 120, 160),
        bboxes=torch.tensor([[10., 10., 30., 30.]]),
        labels=torch.tensor([0]),
        instances_ids=torch.tensor([2]))
    drawn = visualizer().draw_instances(grey_frame(), gt)
    expected = 0.5 * GREY + 0.5 * np.array(track_color(2))
    assert np.abs(drawn[25, 25] - expected).max() <= 1


def test_instances_absent_from_the_frame_draw_nothing():
    prediction = InstanceData(
        masks=torch.zeros(2, 120, 160, dtype=torch.bool),
        labels=torch.tensor([0, 1]),
        scores=torch.tensor([0.9, 0.9]),
        instances_id=torch.tensor([1, 2]))
    drawn = visualizer().draw_instances(grey_frame(), prediction)
    assert (drawn == GREY).all()


def test_track_colours_are_stable_and_distinct():
    # the same in another interpreter, whatever its hash seed
    listed = 'print([track_color(i) for i in range(1, 21)])'
    other = subprocess.run([
        sys.executable, '-c',
        f'from mmfvis.visualization import track_color; {listed}'
    ],
                           cwd=REPO_ROOT,
                           env=dict(os.environ, PYTHONHASHSEED='12345'),
                           capture_output=True,
                           text=True,
                           timeout=300)
    assert other.returncode == 0, other.stderr[-3000:]
    here = [track_color(i) for i in range(1, 21)]
    assert other.stdout.strip().splitlines()[-1] == str(here)
    assert [track_color(i) for i in range(1, 21)] == here
    colours = [np.array(track_color(i)) for i in range(1, 21)]
    closest = min(
        np.abs(a - b).sum() for a, b in itertools.combinations(colours, 2))
    assert closest > 30


def test_draw_clip_puts_frames_side_by_side_gt_over_predictions():
    samples = []
    for _ in range(3):
        sample = DetDataSample()
        sample.gt_instances = InstanceData(
            bboxes=torch.tensor([[10., 10., 50., 50.]]),
            labels=torch.tensor([0]),
            instances_ids=torch.tensor([1]))
        sample.pred_track_instances = InstanceData(
            masks=torch.ones(1, 120, 160, dtype=torch.bool),
            labels=torch.tensor([0]),
            scores=torch.tensor([0.1]),
            instances_id=torch.tensor([1]))
        samples.append(sample)
    clip = visualizer().draw_clip(
        [grey_frame()] * 3, samples, draw_pred=True, pred_score_thr=0.3)
    assert clip.shape == (2 * 120, 3 * 160, 3)
    assert (clip[120:] == GREY).all()  # the only prediction scores 0.1
