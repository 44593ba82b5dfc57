"""tools/analysis/mask_term_ladder.py and its FCN and image-head rungs:
the pairwise term's gain in a plain network (a learning test), J against
hand counts, the rows' configs, the table."""
import copy
import os

import numpy as np
import pytest

from .tool_loading import load_tool


@pytest.fixture(scope='module')
def ladder():
    return load_tool('analysis/mask_term_ladder.py')


@pytest.fixture(scope='module')
def fcn(ladder):
    return ladder.fcn


# R0 in miniature: 48 x 48 images, 400 steps of 8, 3 seeds; about 45 s on
# one thread (docs/benchmarks/README.md gives the full-size rung). Measured
# 2026-12-03, means of the 3 seeds: projection 0.801, + pairwise 0.947.
# Projection alone finds much of the blob by itself here, so the gain is
# 0.15, not the 0.2 first asked for; the bar below sits between the intact
# term and every broken one (0.41 to 0.71, test_broken_pairwise_term_*).
MINIATURE = dict(
    source='blobs',
    logit_stride=2,
    image_size=48,
    num_train=256,
    num_test=64,
    iters=400,
    lr=3e-3)
SEEDS = (0, 1, 2)
MIN_GAIN, MIN_PAIRED_J = 0.1, 0.9


def _mean_j(fcn, row: str) -> float:
    settings = fcn.FcnSettings(**MINIATURE)
    return float(
        np.mean([fcn.run_fcn(row, settings, seed)['J'] for seed in SEEDS]))


@pytest.fixture(scope='module')
def projection_alone_j(fcn):
    return _mean_j(fcn, 'projection')


def _pairwise_learns(fcn, alone: float) -> bool:
    paired = _mean_j(fcn, 'projection_pairwise')
    print(f'projection {alone:.3f}, + pairwise {paired:.3f}')
    return paired - alone >= MIN_GAIN and paired >= MIN_PAIRED_J


def test_pairwise_term_lifts_masks_of_a_plain_network(fcn, projection_alone_j):
    assert _pairwise_learns(fcn, projection_alone_j)


def _flip_sign(fcn, monkeypatch):
    real = fcn.pairwise_affinity_loss
    monkeypatch.setattr(fcn, 'pairwise_affinity_loss',
                        lambda *args, **kwargs: -real(*args, **kwargs))


def _ignore_colour_threshold(fcn, monkeypatch):
    real = fcn.pairwise_affinity_loss
    monkeypatch.setattr(
        fcn, 'pairwise_affinity_loss',
        lambda *args, **kwargs: real(*args, **dict(kwargs, color_thresh=0)))


def _lab_of_another_image(fcn, monkeypatch):
    real = fcn.lab_at_logit_resolution
    monkeypatch.setattr(fcn, 'lab_at_logit_resolution',
                        lambda rgb, stride: real(rgb.roll(1, 0), stride))


# opt in (3 x 20 s): shows that the learning test above can fail
@pytest.mark.skipif(
    os.environ.get('MMFVIS_BREAKAGE_CHECKS') != '1',
    reason='set MMFVIS_BREAKAGE_CHECKS=1 to break the pairwise term and '
    'see the learning test fail')
@pytest.mark.parametrize(
    'breakage', [_flip_sign, _ignore_colour_threshold, _lab_of_another_image])
def test_broken_pairwise_term_fails_the_learning_test(fcn, projection_alone_j,
                                                      monkeypatch, breakage):
    breakage(fcn, monkeypatch)
    assert not _pairwise_learns(fcn, projection_alone_j)


def test_region_similarity_inside_the_box_by_hand(fcn):
    masks = np.zeros((1, 8, 8), bool)
    masks[0, 2:6, 2:6] = True  # 16 pixels, box (2, 2, 6, 6)
    images = fcn.ObjectImages(
        np.zeros((1, 8, 8, 3), np.uint8), masks,
        np.array([[2, 2, 6, 6]], np.float32))
    predicted = np.zeros((1, 8, 8), bool)
    predicted[0, 3:8, 2:8] = True  # inside the box: rows 3..5, cols 2..5
    # 12 pixels inside the box, all on the object: IoU 12 / 16
    assert fcn.box_region_similarity(predicted, images)[0] == 0.75
    # what lies outside the box does not count
    assert fcn.box_region_similarity(masks | ~predicted, images)[0] == 1.0
    assert fcn.box_region_similarity(~masks, images)[0] == 0.0


def test_rows_train_what_they_say(fcn, monkeypatch):
    settings = fcn.FcnSettings(**dict(MINIATURE, iters=1))
    called = []
    real = fcn.pairwise_affinity_loss
    monkeypatch.setattr(
        fcn, 'pairwise_affinity_loss',
        lambda *args, **kwargs: called.append(1) or real(*args, **kwargs))
    images = fcn.make_images('blobs', 0, 8, 32)
    fcn.train_fcn('projection', settings, images, seed=0)
    assert not called
    fcn.train_fcn('projection_pairwise', settings, images, seed=0)
    assert called
    with pytest.raises(ValueError, match='filled_box'):
        fcn.train_fcn('filled_box', settings, images, seed=0)


def test_pairwise_weight_ramps_up_from_zero(fcn):
    ramped = fcn.FcnSettings(pair_warmup_iters=100)
    factors = [fcn._pair_factor(ramped, step) for step in (0, 50, 100, 900)]
    assert factors == [0.0, 0.5, 1.0, 1.0]
    assert fcn._pair_factor(fcn.FcnSettings(pair_warmup_iters=0), 0) == 1.0


def test_unet_logits_at_its_stride(fcn):
    import torch
    for stride in (1, 2, 4):
        logits = fcn.SmallUNet(stride)(torch.zeros(2, 3, 32, 32))
        assert logits.shape == (2, 32 // stride, 32 // stride)
    with pytest.raises(ValueError, match='power of 2'):
        fcn.SmallUNet(3)


def test_summary_gain_and_table(ladder):
    runs = [
        dict(rung='R0', row='projection', seed=0, J=0.5),
        dict(rung='R0', row='projection', seed=1, J=0.6),
        dict(rung='R0', row='projection_pairwise', seed=0, J=0.9),
        dict(rung='R0', row='projection_pairwise', seed=1, J=0.9),
        dict(rung='R0', row='filled_box', seed=0, J=0.7),
    ]
    table = ladder.summarise(runs)
    assert table['R0']['projection']['mean'] == pytest.approx(0.55)
    assert table['R0']['projection']['std'] == pytest.approx(0.0707, 1e-3)
    gain, spread = ladder.pairwise_gain(table['R0'])
    assert gain == pytest.approx(0.35)
    assert spread == pytest.approx(0.0707, 1e-3)
    text = ladder.markdown_table(table)
    assert '| R0 | 0.700 | 0.550 ± 0.071 | 0.900 ± 0.000 | - | +0.350' in text


def test_image_head_rows_change_only_the_loss(ladder):
    from mmfvis.engine import apply_box_supervision
    image_head = ladder.image_head
    configs = {}
    for row in image_head.IMAGE_HEAD_ROWS:
        cfg = copy.deepcopy(image_head.base_config())
        cfg.merge_from_dict(
            image_head.row_options(row, 'data/x', iters=10, seed=3))
        configs[row] = apply_box_supervision(cfg)
    alone, paired = configs['projection'], configs['projection_pairwise']
    assert alone.model.panoptic_head.loss_pair.loss_weight == 0
    assert paired.model.panoptic_head.loss_pair.loss_weight == 5.0
    assert alone.model.panoptic_head.type == 'BoxSupervisedMask2FormerHead'
    assert configs['mask'].model.panoptic_head.type == 'Mask2FormerHead'
    for cfg in configs.values():
        assert cfg.train_cfg.max_iters == 10
        assert cfg.randomness.seed == 3
        assert cfg.train_dataloader.dataset.data_root == 'data/x/'


def test_a_rung_options_change_only_its_pairwise_row(ladder, monkeypatch):
    given = {}
    monkeypatch.setattr(
        ladder.image_head, 'run_image_head',
        lambda row, *args: given.setdefault(row, args[-1]))
    settings = ladder.FCN_RUNGS['R1-crops-plain']
    for row in ('projection', 'projection_pairwise'):
        ladder._train_and_score('R2-crops-plain-pair1', row, 0, settings,
                                'work')
    assert given['projection'] == {}
    assert given['projection_pairwise'] == {
        'box_supervision.panoptic_head.loss_pair.loss_weight': 1.0
    }
