"""BoxSupervisedMask2FormerHead's loss terms are the plain loss functions
applied to its matched logits: two images of different sizes (so the batch
is padded), one flipped."""
import copy
import os.path as osp

import pytest
import torch
from mmengine.dataset import pseudo_collate
from mmengine.logging import MessageHub

from mmfvis.models.utils.box_masks import box_masks_at_stride
from ...builders import (boxes_only_file, build_model, load_config,
                         shapes_coco_dataset)
from ...paths import CONFIG_DIR
from ..head_reference import (HeadRecorder, assert_layer_losses, box_tensor,
                              lab_of_input, logit_grid, pooled_pairwise,
                              pooled_projection)

TINY_IMAGE_CONFIG = osp.join(CONFIG_DIR, 'mfvis_coco_box_pretrain_tiny_cpu.py')
# The published weights and the pairwise warm-up of the tiny image config.
PROJ_WEIGHT, PAIR_WEIGHT, PAIR_WARMUP = 5.0, 5.0, 4
ITERATION = 3
SCALES = ((128, 96), (88, 66))  # (w, h): 96x128 and 66x88 images


@pytest.fixture(scope='module')
def image_cfg():
    return load_config(TINY_IMAGE_CONFIG)


def _image(cfg, shapes_root, scale, flip, index):
    pipeline = copy.deepcopy(cfg.train_dataloader.dataset.pipeline)
    for transform in pipeline:
        if transform.type == 'RandomFlip':
            transform.prob = 1.0 if flip else 0.0
    dataset = shapes_coco_dataset(pipeline, shapes_root,
                                  boxes_only_file(shapes_root), scale)
    return dataset[index]


@pytest.fixture
def at_iteration():
    MessageHub.get_instance('image_wiring_iteration').update_info(
        'iter', ITERATION)
    yield
    MessageHub.get_instance('image_wiring_no_iteration')


def test_layer_terms_are_the_plain_losses_of_the_matched_logits(
        image_cfg, shapes_root, at_iteration):
    data = pseudo_collate([
        _image(image_cfg, shapes_root, SCALES[0], False, 0),
        _image(image_cfg, shapes_root, SCALES[1], True, 5)
    ])
    torch.manual_seed(0)
    model = build_model(image_cfg)
    recorder = HeadRecorder(model.panoptic_head)
    processed = model.data_preprocessor(data, training=True)
    losses = model(**processed, mode='loss')
    samples, inputs = processed['data_samples'], processed['inputs']
    assert [sample.flip for sample in samples] == [False, True]
    shapes = [sample.img_shape for sample in samples]
    assert shapes[0] != shapes[1]
    grids = [logit_grid(shape) for shape in shapes]
    assert recorder.mask_preds[0].shape[-2:] == grids[0]  # image 1 padded
    images_lab = [
        lab_of_input(image[None], shape, model.data_preprocessor)
        for image, shape in zip(inputs, shapes)
    ]
    for lab, sample in zip(images_lab, samples):
        torch.testing.assert_close(sample.images_lab, lab)
    box_masks = [
        box_masks_at_stride(box_tensor(sample.gt_instances), grid)[:, None]
        for sample, grid in zip(samples, grids)
    ]
    assert min(len(boxes) for boxes in box_masks) >= 2
    num_layers = len(recorder.mask_preds)
    unordered = 0
    for layer in range(num_layers):
        matched, unordered_samples = recorder.matched_logits(layer, grids)
        unordered += unordered_samples
        logits = [image_logits[:, None] for image_logits in matched]
        expected = dict(
            loss_proj=PROJ_WEIGHT * pooled_projection(logits, box_masks),
            loss_pair=PAIR_WEIGHT * ITERATION / PAIR_WARMUP *
            pooled_pairwise(logits, images_lab, box_masks))
        assert_layer_losses(losses, layer, num_layers, expected)
    assert unordered > 0
