import numpy as np
import pytest
import torch
from mmdet.structures import DetDataSample, TrackDataSample
from mmdet.structures.bbox import HorizontalBoxes
from mmengine.structures import InstanceData

from mmfvis.models.data_preprocessors import BoxVISDataPreprocessor

MEAN, STD = [123.675, 116.28, 103.53], [58.395, 57.12, 57.375]


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


def _textbook_lab(rgb):
    """CIE-LAB from sRGB in 0..1 (D65), by the textbook formulas. OpenCV's
    float conversion is approximate (0.3 off), so it is not the reference.
    """
    linear = np.where(rgb > 0.04045, ((rgb + 0.055) / 1.055)**2.4, rgb / 12.92)
    to_xyz = np.array([[0.412453, 0.357580, 0.180423],
                       [0.212671, 0.715160, 0.072169],
                       [0.019334, 0.119193, 0.950227]])
    xyz = linear @ to_xyz.T / np.array([0.950456, 1.0, 1.088754])
    delta = 6 / 29
    f = np.where(xyz > delta**3, np.cbrt(xyz), xyz / (3 * delta**2) + 4 / 29)
    return np.stack([
        116 * f[..., 1] - 16, 500 * (f[..., 0] - f[..., 1]), 200 *
        (f[..., 1] - f[..., 2])
    ],
                    axis=-1)


def _reference_lab(frame_bgr, stride):
    """Independent reference: pool the valid area, then convert."""
    rgb = frame_bgr[..., ::-1].astype(np.float64) / 255
    height, width = rgb.shape[:2]
    out_h, out_w = -(-height // stride), -(-width // stride)
    pooled = np.zeros((out_h, out_w, 3))
    for i in range(out_h):
        for j in range(out_w):
            cell = rgb[i * stride:(i + 1) * stride,
                       j * stride:(j + 1) * stride]
            pooled[i, j] = cell.reshape(-1, 3).mean(0)
    return _textbook_lab(pooled).transpose(2, 0, 1)


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
        assert lab.shape == (2, 3) + _reference_lab(frames[0], 4).shape[1:]
        for index, frame in enumerate(frames):
            np.testing.assert_allclose(
                lab[index].numpy(), _reference_lab(frame, 4), atol=0.01)
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
