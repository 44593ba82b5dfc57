import io
import logging

import numpy as np
import torch
from mmdet.structures import DetDataSample
from mmdet.structures.bbox import HorizontalBoxes
from mmengine.logging import MMLogger
from mmengine.structures import InstanceData

from mmfvis.models.data_preprocessors import BoxDetDataPreprocessor
from mmfvis.models.utils.box_masks import box_masks_at_stride
from .lab_reference import MEAN, STD, reference_lab


def _image(image_bgr, boxes):
    """A packed image as PackDetInputs gives it: (3, H, W) uint8 BGR."""
    sample = DetDataSample(
        metainfo=dict(
            img_shape=image_bgr.shape[:2], ori_shape=image_bgr.shape))
    sample.gt_instances = InstanceData(
        bboxes=HorizontalBoxes(torch.tensor(boxes, dtype=torch.float32)),
        labels=torch.zeros(len(boxes), dtype=torch.long))
    return torch.from_numpy(image_bgr).permute(2, 0, 1), sample


def test_lab_and_box_masks_over_the_unpadded_area_after_batch_padding():
    """Each image of a batch padded to a fixed size (COCO's LSJ pads to
    1024 x 1024) is a one-frame clip over its own unpadded area."""
    rng = np.random.default_rng(0)
    images = [
        rng.integers(0, 256, (21, 30, 3), dtype=np.uint8),
        rng.integers(0, 256, (40, 37, 3), dtype=np.uint8)
    ]
    boxes = [[[4, 4, 30, 21], [1, 2, 3, 4]], [[10, 5, 20, 40]]]
    packed = [_image(image, box) for image, box in zip(images, boxes)]
    preprocessor = BoxDetDataPreprocessor(
        mean=MEAN,
        std=STD,
        bgr_to_rgb=True,
        pad_size_divisor=32,
        batch_augments=[
            dict(type='BatchFixedSizePad', size=(96, 96), pad_mask=False)
        ])
    batch = preprocessor(
        dict(
            inputs=[inputs for inputs, _ in packed],
            data_samples=[sample for _, sample in packed]),
        training=True)
    assert batch['inputs'].shape == (2, 3, 96, 96)
    for image, image_boxes, sample in zip(images, boxes,
                                          batch['data_samples']):
        expected_lab = reference_lab(image, 4)
        assert sample.images_lab.shape == (1, ) + expected_lab.shape
        np.testing.assert_allclose(
            sample.images_lab[0].numpy(), expected_lab, atol=0.01)
        expected_masks = box_masks_at_stride(
            torch.tensor(image_boxes, dtype=torch.float32),
            expected_lab.shape[1:], 4)
        assert torch.equal(sample.gt_instances.box_masks, expected_masks)
        # what a RoI mask head reads: the image's LAB, from its ground truth
        gt_instances = sample.gt_instances
        assert torch.equal(gt_instances.lab_frame, sample.images_lab[0])
        assert gt_instances.lab_stride == 4


def test_nothing_added_outside_training():
    image = np.zeros((16, 16, 3), np.uint8)
    inputs, sample = _image(image, [[0, 0, 4, 4]])
    batch = BoxDetDataPreprocessor(
        mean=MEAN, std=STD)(
            dict(inputs=[inputs], data_samples=[sample]), training=False)
    assert 'images_lab' not in batch['data_samples'][0]
    assert 'box_masks' not in batch['data_samples'][0].gt_instances


def test_boxes_without_area_in_the_image_are_dropped_and_logged():
    image = np.zeros((20, 24, 3), np.uint8)
    boxes = [[2, 2, 10, 10], [5, 3, 5, 12], [-9, -9, -1, -1], [26, 0, 30, 8]]
    inputs, sample = _image(image, boxes)
    sample.set_metainfo(dict(img_path='frames/a.jpg'))
    log = io.StringIO()
    handler = logging.StreamHandler(log)
    logger = MMLogger.get_current_instance()
    logger.addHandler(handler)
    try:
        batch = BoxDetDataPreprocessor(
            mean=MEAN, std=STD)(
                dict(inputs=[inputs], data_samples=[sample]), training=True)
    finally:
        logger.removeHandler(handler)
    kept = batch['data_samples'][0].gt_instances
    assert kept.bboxes.tolist() == [[2, 2, 10, 10]]
    assert kept.box_masks.shape == (1, 5, 6)
    assert 'frames/a.jpg: dropped 3 box(es) covering no area of the 24x20 ' \
        '(w x h) frame: [[5.0, 3.0, 5.0, 12.0], [-9.0, -9.0, -1.0, -1.0], ' \
        '[26.0, 0.0, 30.0, 8.0]] (x1, y1, x2, y2)' in log.getvalue()
