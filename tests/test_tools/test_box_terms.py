"""The box terms at a model's masks against the truth's
(``ablation.box_terms``, ``ablation.colour_pairs.dataset_outline_cuts``)."""
import importlib
from types import SimpleNamespace

import cv2
import numpy as np
import pytest
import torch
from pycocotools import mask as mask_utils

from .tool_loading import load_tool_package


def _module(name):
    load_tool_package('analysis/ablation')
    return importlib.import_module(f'ablation.{name}')


box_terms, colour_pairs = _module('box_terms'), _module('colour_pairs')
GRID = dict(size=3, dilation=1, color_thresh=0.3)


def _rle(mask):
    rle = mask_utils.encode(np.asfortranarray(mask.astype(np.uint8)))
    return dict(rle, counts=rle['counts'].decode('ascii'))


def _flat_lab(height=6, width=6):
    lab = torch.zeros(3, height, width)
    lab[0] = 50.0
    return lab


def test_a_mask_equal_to_its_box_pays_no_projection_and_its_edge_only():
    box = torch.zeros(1, 6, 6)
    box[:, 1:5, 1:5] = 1
    sums = box_terms.TermSums()
    sums.add(_flat_lab(), box, box, GRID)
    figures = sums.figures()
    assert figures['projection_dice'] == pytest.approx(0, abs=1e-4)
    # the 4 x 4 box on a flat frame: 16 pixels x 8 partners, all inside;
    # its edge cuts 5 of the corners' partners, 3 of the other edge pixels'
    assert sums.scored == 16 * 8
    assert sums.cut == 4 * 5 + 8 * 3
    assert figures['cut_share'] == pytest.approx(44 / 128)
    assert figures['empty_share'] == 0 and figures['object_frames'] == 1


def test_an_empty_mask_pays_the_whole_projection():
    box = torch.zeros(1, 6, 6)
    box[:, 1:5, 1:5] = 1
    sums = box_terms.TermSums()
    sums.add(_flat_lab(), box, torch.zeros_like(box), GRID)
    # dice of all-zero projections against the box's: 1 on each axis
    assert sums.figures()['projection_dice'] == pytest.approx(2, abs=1e-3)
    assert sums.figures()['empty_share'] == 1


def test_each_object_gets_the_track_that_overlaps_it_most():
    left, right = np.zeros((4, 8), bool), np.zeros((4, 8), bool)
    left[:, :3], right[:, 5:] = True, True
    infos = [
        dict(
            height=4,
            width=8,
            instances=[
                dict(instance_id=7, mask=_rle(left)),
                dict(instance_id=9, mask=_rle(right))
            ]),
        dict(
            height=4,
            width=8,
            instances=[dict(instance_id=9, mask=_rle(right))])
    ]
    tracks = [
        SimpleNamespace(segmentations={
            1:
            mask_utils.encode(np.asfortranarray(right.astype(np.uint8)))
        }),
        SimpleNamespace(segmentations={})
    ]
    assigned = box_terms.assigned_predictions(infos,
                                              SimpleNamespace(tracks=tracks))
    assert assigned[7] == [None, None]  # no track overlaps it
    assert assigned[9][0] is None and assigned[9][1] is not None
    assert mask_utils.decode(assigned[9][1]).astype(bool).tolist() == \
        right.tolist()


class _OneMaskedFrame:
    """A dataset of one frame with one object and its mask."""

    def __init__(self, path, box, mask):
        self.info = dict(images=[
            dict(
                img_path=path,
                height=mask.shape[0],
                width=mask.shape[1],
                instances=[dict(bbox=box, mask=_rle(mask))])
        ])

    def __len__(self):
        return 1

    def get_data_info(self, index):
        return self.info


def test_outline_cuts_of_a_true_mask_on_a_colour_edge(tmp_path):
    # 24 x 24 frame, logits 6 x 6 at stride 4: left 3 logit columns dark
    frame = np.full((24, 24, 3), 200, np.uint8)
    frame[:, :12] = 40
    path = str(tmp_path / 'frame.png')
    cv2.imwrite(path, frame)
    mask = np.zeros((24, 24), bool)
    mask[:, :12] = True
    dataset = _OneMaskedFrame(path, [0, 0, 24, 24], mask)
    cuts = colour_pairs.dataset_outline_cuts(dataset, (24, 24),
                                             dict(dilation=1))
    # the outline is the colour edge: no scored pair crosses it; the box is
    # the whole frame: no partner inside the frame is outside it
    assert cuts['truth_cut'] == 0 and cuts['box_cut'] == 0
    assert cuts['box_preferred'] == 0 and cuts['object_frames'] == 1
    shifted = np.zeros((24, 24), bool)
    shifted[:, :8] = True  # 2 logit columns: cuts the dark region
    cuts = colour_pairs.dataset_outline_cuts(
        _OneMaskedFrame(path, [0, 0, 24, 24], shifted), (24, 24),
        dict(dilation=1))
    assert cuts['truth_cut'] > 0 and cuts['box_preferred'] == 1
