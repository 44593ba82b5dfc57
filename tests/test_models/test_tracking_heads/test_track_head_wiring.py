"""BoxSupervisedMask2FormerTrackHead's loss terms are the plain loss
functions applied to its matched logits: two clips of different sizes (so
the batch is padded), one flipped; and the LAB frames its pairwise term
reads lie at the position of the logits."""
import copy

import pytest
import torch
from mmengine.dataset import pseudo_collate
from mmengine.logging import MessageHub

from mmfvis.models.losses import grid_offsets
from mmfvis.models.utils.box_masks import box_masks_at_stride
from ...builders import (boxes_only_file, build_model, load_config,
                         shapes_dataset)
from ...paths import TINY_CONFIG
from ..head_reference import (HeadRecorder, assert_layer_losses, box_tensor,
                              lab_of_input, logit_grid, pooled_pairwise,
                              pooled_projection, pooled_temporal)

# The published weights (configs/_base_/box_supervision.py), the TK-loss
# warm-up of the tiny config, and a pairwise warm-up set here.
PROJ_WEIGHT, PAIR_WEIGHT, TEMP_WEIGHT = 5.0, 5.0, 0.5
TEMP_WARMUP, PAIR_WARMUP = 4, 10
ITERATION = 3
# (w, h) resize scales of the two clips: 96x128 and 66x88 frames, padded
# to 96x128 by the preprocessor
SCALES = ((128, 96), (88, 66))


@pytest.fixture(scope='module')
def wiring_cfg():
    cfg = load_config(TINY_CONFIG)
    cfg.model.track_head.loss_pair.warmup_iters = PAIR_WARMUP
    return cfg


@pytest.fixture(scope='module')
def wiring_model(wiring_cfg):
    torch.manual_seed(0)
    return build_model(wiring_cfg)


def _clip(cfg, shapes_root, scale, flip, index):
    cfg = copy.deepcopy(cfg)
    for transform in cfg.train_dataloader.dataset.pipeline[1].transforms:
        if transform.type == 'RandomFlip':
            transform.prob = 1.0 if flip else 0.0
    dataset = shapes_dataset(cfg, shapes_root, boxes_only_file(shapes_root),
                             scale)
    return dataset[index]


@pytest.fixture(scope='module')
def two_clips(wiring_cfg, shapes_root):
    """Clip 0 unflipped at 96x128, clip 1 flipped at 66x88."""
    torch.manual_seed(0)
    return pseudo_collate([
        _clip(wiring_cfg, shapes_root, SCALES[0], False, 0),
        _clip(wiring_cfg, shapes_root, SCALES[1], True, 1)
    ])


@pytest.fixture
def at_iteration():
    """The MessageHub as a runner sets it before iteration ITERATION; a
    fresh hub without iteration afterwards."""
    MessageHub.get_instance('track_wiring_iteration').update_info(
        'iter', ITERATION)
    yield
    MessageHub.get_instance('track_wiring_no_iteration')


def _clip_box_masks(clip, grid):
    """(N, T, h, w) box masks, instances by increasing id, empty where an
    instance is absent, rasterised again from the frames' boxes."""
    ids = torch.cat([frame.gt_instances.instances_ids
                     for frame in clip]).unique().tolist()
    masks = torch.zeros(len(ids), len(clip), *grid)
    for index, frame in enumerate(clip):
        boxes = box_masks_at_stride(box_tensor(frame.gt_instances), grid)
        for row, track_id in enumerate(frame.gt_instances.instances_ids):
            masks[ids.index(int(track_id)), index] = boxes[row]
    return masks


def _losses_and_recording(model, data):
    model = copy.deepcopy(model)
    recorder = HeadRecorder(model.track_head)
    processed = model.data_preprocessor(copy.deepcopy(data), training=True)
    return model(**processed, mode='loss'), recorder, processed


def test_layer_terms_are_the_plain_losses_of_the_matched_logits(
        wiring_model, two_clips, at_iteration):
    losses, recorder, processed = _losses_and_recording(
        wiring_model, two_clips)
    clips, inputs = processed['data_samples'], processed['inputs']
    assert [clip[0].flip for clip in clips] == [False, True]
    shapes = [clip[0].img_shape for clip in clips]
    assert shapes[0] != shapes[1]
    grids = [logit_grid(shape) for shape in shapes]
    assert recorder.mask_preds[0].shape[-2:] == grids[0]  # clip 1 padded
    images_lab = [
        lab_of_input(frames, shape, wiring_model.data_preprocessor)
        for frames, shape in zip(inputs, shapes)
    ]
    for lab, clip in zip(images_lab, clips):
        torch.testing.assert_close(clip.images_lab, lab)
    box_masks = [
        _clip_box_masks(clip, grid) for clip, grid in zip(clips, grids)
    ]
    num_layers = len(recorder.mask_preds)
    unordered = 0
    for layer in range(num_layers):
        logits, unordered_samples = recorder.matched_logits(layer, grids)
        unordered += unordered_samples
        expected = dict(
            loss_proj=PROJ_WEIGHT * pooled_projection(logits, box_masks),
            loss_pair=PAIR_WEIGHT * ITERATION / PAIR_WARMUP *
            pooled_pairwise(logits, images_lab, box_masks),
            loss_temp=TEMP_WEIGHT * ITERATION / TEMP_WARMUP *
            pooled_temporal(logits, images_lab, box_masks))
        assert_layer_losses(losses, layer, num_layers, expected)
    # the queries are not matched in ground-truth order everywhere, so a
    # head that kept the query order would give other values
    assert unordered > 0


# BGR colours of the four quadrants; any two are far apart in LAB
QUADRANT_COLOURS = torch.tensor(
    [[20, 40, 200], [200, 60, 30], [40, 180, 60], [230, 230, 230]],
    dtype=torch.uint8)


def _quadrant_frames(frames, edge_row, edge_col):
    """The frames (T, 3, H, W) painted in four colours, split at logit
    cell ``edge_row`` and cell column ``edge_col`` (pixels x 4)."""
    height, width = frames.shape[-2:]
    rows = (torch.arange(height) >= 4 * edge_row).long()[:, None]
    cols = (torch.arange(width) >= 4 * edge_col).long()[None, :]
    painted = QUADRANT_COLOURS[2 * rows + cols].permute(2, 0, 1)
    return painted.expand_as(frames).clone()


def _frame_wide_boxes(data):
    """Every instance's box covers its whole frame, so that pairs start at
    every cell."""
    for frames, clip in zip(data['inputs'], data['data_samples']):
        height, width = frames.shape[-2:]
        for frame in clip:
            count = len(frame.gt_instances)
            frame.gt_instances.bboxes = torch.tensor(
                [[0.0, 0.0, width, height]]).repeat(count, 1)


def _pairs_of_first_instance(pairs, num_instances, num_frames, grids, clip):
    """The (y, x, dy, dx) pairs of instance 0, frame 0 of ``clip`` in the
    merged pairs of the batch."""
    offset = sum(n * num_frames * h * w
                 for n, (h, w) in zip(num_instances[:clip], grids[:clip]))
    height, width = grids[clip]
    first = pairs.first.long() - offset
    second = pairs.second.long() - offset
    ours = (first >= 0) & (first < height * width)  # instance 0, frame 0
    y, x = first[ours] // width, first[ours] % width
    y2, x2 = second[ours] // width, second[ours] % width
    return set(
        zip(y.tolist(), x.tolist(), (y2 - y).tolist(), (x2 - x).tolist()))


def _same_quadrant_pairs(img_shape, edge_row, edge_col):
    """Every pair whose cells are in the frame and in the same quadrant,
    from each cell whose centre the frame-wide box holds."""
    height, width = logit_grid(img_shape)
    expected = set()
    for y in range(height):
        for x in range(width):
            if (y + 0.5) * 4 >= img_shape[0] or (x + 0.5) * 4 >= img_shape[1]:
                continue
            for dy, dx in grid_offsets(3, 2, include_centre=False):
                y2, x2 = y + dy, x + dx
                inside = 0 <= y2 < height and 0 <= x2 < width
                if inside and (y >= edge_row) == (y2 >= edge_row) and \
                        (x >= edge_col) == (x2 >= edge_col):
                    expected.add((y, x, dy, dx))
    return expected


@pytest.mark.parametrize('edge_col', [7, 8])  # shifted by one cell
def test_pairwise_pairs_follow_the_frame_content_cell_by_cell(
        wiring_model, two_clips, edge_col):
    edge_row = 5
    data = copy.deepcopy(two_clips)
    data['inputs'] = [
        _quadrant_frames(frames, edge_row, edge_col)
        for frames in data['inputs']
    ]
    _frame_wide_boxes(data)
    model = copy.deepcopy(wiring_model)
    recorded = []
    precompute = model.track_head.loss_pair.precompute

    def recording_precompute(*args):
        recorded.append(precompute(*args))
        return recorded[-1]

    model.track_head.loss_pair.precompute = recording_precompute
    processed = model.data_preprocessor(data, training=True)
    model(**processed, mode='loss')
    clips = processed['data_samples']
    grids = [logit_grid(clip[0].img_shape) for clip in clips]
    num_instances = [
        len(torch.cat([f.gt_instances.instances_ids for f in clip]).unique())
        for clip in clips
    ]
    for index, clip in enumerate(clips):
        found = _pairs_of_first_instance(recorded[0], num_instances, len(clip),
                                         grids, index)
        assert found == _same_quadrant_pairs(clip[0].img_shape, edge_row,
                                             edge_col), f'clip {index}'
