import numpy as np
import pytest
import torch
from mmdet.structures import DetDataSample, TrackDataSample
from mmdet.structures.bbox import HorizontalBoxes
from mmengine.structures import InstanceData

from mmfvis.models.data_preprocessors import BoxVISDataPreprocessor
from .lab_reference import MEAN, STD, reference_lab


def _clip(frames_bgr, boxes_per_frame):
    """A packed clip as the pipeline gives it: (T, 3, H, W) uint8 BGR."""
    inputs = torch.from_numpy(np.stack(frames_bgr)).permute(0, 3, 1, 2)
    samples = []
    for frame, boxes in zip(frames_bgr, boxes_per_frame):
        sample = DetDataSample(
            metainfo=dict(img_shape=frame.shape[:2], ori_shape=frame.shape))
        sample.gt_instances = InstanceData(
            bboxes=HorizontalBoxes(torch.tensor(boxes, dtype=torch.float32)),
            labels=torch.zeros(len(boxes), dtype=torch.long),
            instances_ids=torch.arange(1,
                                       len(boxes) + 1))
        samples.append(sample)
    return inputs, TrackDataSample(video_data_samples=samples)


@pytest.mark.parametrize('bgr_to_rgb', [True, False])
def test_lab_frames_and_box_masks_over_unpadded_area(bgr_to_rgb):
    rng = np.random.default_rng(0)
    small = [
        rng.integers(0, 256, (21, 30, 3), dtype=np.uint8) for _ in range(2)
    ]
    large = [
        rng.integers(0, 256, (40, 37, 3), dtype=np.uint8) for _ in range(2)
    ]
    clips = [
        _clip(small, [[[0, 0, 8, 8]], [[4, 4, 30, 21], [1, 2, 3, 4]]]),
        _clip(large, [[[10, 5, 20, 40]], [[0, 0, 37, 40]]]),
    ]
    preprocessor = BoxVISDataPreprocessor(
        mean=MEAN, std=STD, bgr_to_rgb=bgr_to_rgb, pad_size_divisor=32)
    batch = preprocessor(
        dict(inputs=[c[0] for c in clips], data_samples=[c[1] for c in clips]),
        training=True)
    assert batch['inputs'].shape == (2, 2, 3, 64, 64)
    for frames, sample in zip([small, large], batch['data_samples']):
        lab = sample.images_lab
        assert lab.shape == (2, 3) + reference_lab(frames[0], 4).shape[1:]
        for index, frame in enumerate(frames):
            np.testing.assert_allclose(
                lab[index].numpy(), reference_lab(frame, 4), atol=0.01)
            # each frame's ground truth carries its LAB, for RoI mask heads
            gt_instances = sample[index].gt_instances
            assert torch.equal(gt_instances.lab_frame, lab[index])
            assert gt_instances.lab_stride == 4
    box_masks = batch['data_samples'][0][1].gt_instances.box_masks
    assert box_masks.shape == (2, 6, 8)
    # box (4, 4, 30, 21): cell centres 6..18 in y, 6..26 in x
    expected = torch.zeros(6, 8)
    expected[1:5, 1:7] = 1
    assert torch.equal(box_masks[0], expected)


def test_nothing_added_outside_training():
    rng = np.random.default_rng(1)
    frames = [rng.integers(0, 256, (16, 16, 3), dtype=np.uint8)]
    inputs, sample = _clip(frames, [[[0, 0, 4, 4]]])
    batch = BoxVISDataPreprocessor(
        mean=MEAN, std=STD)(
            dict(inputs=[inputs], data_samples=[sample]), training=False)
    assert 'images_lab' not in batch['data_samples'][0]
    assert 'box_masks' not in batch['data_samples'][0][0].gt_instances
