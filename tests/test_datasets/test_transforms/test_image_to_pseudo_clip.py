"""ImageToPseudoClip: views whose image, boxes, ids, box masks and LAB
agree with the transform each view records."""
import numpy as np
import pytest
import torch
import torch.nn.functional as F
from mmdet.registry import TRANSFORMS
from mmdet.structures.bbox import HorizontalBoxes
from mmengine.dataset import pseudo_collate

from mmfvis.datasets import ImageToPseudoClip
from mmfvis.models.data_preprocessors import BoxVISDataPreprocessor
from mmfvis.models.utils.box_masks import box_masks_at_stride
from ...test_models.test_data_preprocessors import lab_reference

HEIGHT, WIDTH = 80, 120
# non-overlapping rectangles, one pure colour each (BGR), x1, y1, x2, y2
BOXES = np.array([[10, 8, 40, 30], [60, 20, 100, 70], [0, 50, 22, 79]],
                 dtype=np.float32)
COLOURS = np.eye(3, dtype=np.uint8) * 255


def _rectangles_image():
    image = np.zeros((HEIGHT, WIDTH, 3), np.uint8)
    for (x1, y1, x2, y2), colour in zip(BOXES.astype(int), COLOURS):
        image[y1:y2, x1:x2] = colour
    return image


def _smooth_image(seed=0):
    """Low-frequency colours, so two bilinear resamplings agree closely."""
    rng = np.random.default_rng(seed)
    coarse = torch.from_numpy(rng.uniform(0, 255, (1, 3, 5, 6)))
    image = F.interpolate(
        coarse, (HEIGHT, WIDTH), mode='bicubic', align_corners=False)
    return image[0].permute(1, 2, 0).clamp(0, 255).round().byte().numpy()


def _image_sample(image):
    return dict(
        img=image,
        img_id=7,
        img_path='7.jpg',
        img_shape=image.shape[:2],
        ori_shape=image.shape[:2],
        gt_bboxes=HorizontalBoxes(torch.from_numpy(BOXES)),
        gt_bboxes_labels=np.array([2, 0, 1]),
        gt_ignore_flags=np.zeros(3, bool))


def _expected_boxes(matrix, shape, min_size=1.0):
    """The original boxes mapped by a view's recorded transform, clipped;
    and which instances stay in the view."""
    boxes = HorizontalBoxes(torch.from_numpy(BOXES))
    boxes.project_(matrix)
    boxes.clip_(shape)
    present = ((boxes.widths >= min_size) &
               (boxes.heights >= min_size)).numpy()
    return boxes.numpy(), present


def _warped_reference(image, matrix, shape):
    """``image`` sampled through ``matrix`` (continuous coordinates, pixel
    i covers [i, i + 1)) by torch's grid_sample, not the cv2 code path; and
    where it samples at least a pixel inside the image (at the edge the two
    interpolations blend the outside differently)."""
    height, width = shape
    ys, xs = torch.meshgrid(
        torch.arange(height, dtype=torch.float64) + 0.5,
        torch.arange(width, dtype=torch.float64) + 0.5,
        indexing='ij')
    points = torch.stack([xs, ys, torch.ones_like(xs)], dim=-1)
    source = points @ torch.from_numpy(np.linalg.inv(matrix.astype(float))).T
    size = torch.tensor([image.shape[1], image.shape[0]])
    interior = ((source[..., :2] > 1) & (source[..., :2] < size - 1)).all(-1)
    sampled = F.grid_sample(
        torch.from_numpy(image).permute(2, 0, 1)[None].double(),
        (source[None, ..., :2] / size * 2 - 1),
        mode='bilinear',
        padding_mode='zeros',
        align_corners=False)
    return sampled[0].permute(1, 2, 0).numpy(), interior.numpy()


def test_each_view_moves_image_and_boxes_by_its_recorded_transform():
    np.random.seed(0)
    clip = ImageToPseudoClip(num_frames=4)(_image_sample(_rectangles_image()))
    assert clip['frame_id'] == [0, 1, 2, 3]
    assert clip['video_id'] == [7] * 4 and clip['img_path'] == ['7.jpg'] * 4
    assert clip['key_frame_flags'] == [True, False, False, False]
    matrices = clip['homography_matrix']
    assert not any(np.allclose(matrices[0], m) for m in matrices[1:])
    for view in range(4):
        image, matrix = clip['img'][view], matrices[view]
        assert image.shape == (HEIGHT, WIDTH, 3)
        expected, present = _expected_boxes(matrix, (HEIGHT, WIDTH))
        ids = clip['gt_instances_ids'][view]
        assert ids.tolist() == np.flatnonzero(present).tolist()
        np.testing.assert_allclose(
            clip['gt_bboxes'][view], expected[present], atol=1e-4)
        labels = _image_sample(image)['gt_bboxes_labels']
        assert clip['gt_bboxes_labels'][view].tolist() == labels[ids].tolist()
        # the rectangle drawn in the view lies where its box says
        for instance, box in zip(ids, clip['gt_bboxes'][view]):
            inside = image[..., instance] > 127
            rows, cols = np.nonzero(inside)
            drawn = [cols.min(), rows.min(), cols.max() + 1, rows.max() + 1]
            np.testing.assert_allclose(drawn, box, atol=1.0)


def test_instance_leaving_the_view_is_absent_but_keeps_the_others_ids():
    transform = ImageToPseudoClip(num_frames=2)
    # shift 30 px left: the box at x 0..22 leaves the view
    transform._random_view_matrix = lambda height, width: np.array(
        [[1.0, 0, -30], [0, 1, 0], [0, 0, 1]])
    clip = transform(_image_sample(_rectangles_image()))
    for view in range(2):
        assert clip['gt_instances_ids'][view].tolist() == [0, 1]
        np.testing.assert_allclose(clip['gt_bboxes'][view],
                                   [[0, 8, 10, 30], [30, 20, 70, 70]])


def test_views_agree_with_box_masks_and_lab_of_the_preprocessor():
    """Through mmdet's resize and flip, packing and the clip preprocessor:
    each view's box masks are the original boxes mapped by the view's
    recorded transform, its image is the original resampled by it, and its
    LAB is that image's."""
    pipeline = [
        TRANSFORMS.build(transform) for transform in [
            dict(type='Resize', scale=(180, 120), keep_ratio=True),
            dict(type='RandomFlip', prob=1.0),
            dict(type='ImageToPseudoClip', num_frames=3),
            dict(type='PackTrackInputs', meta_keys=('homography_matrix', ))
        ]
    ]
    original = _smooth_image()
    np.random.seed(1)
    packed = _image_sample(original)
    for transform in pipeline:
        packed = transform(packed)
    preprocessor = BoxVISDataPreprocessor(
        mean=lab_reference.MEAN,
        std=lab_reference.STD,
        bgr_to_rgb=True,
        pad_size_divisor=32)
    batch = preprocessor(pseudo_collate([packed]), training=True)
    clip = batch['data_samples'][0]
    views = packed['inputs'].permute(0, 2, 3, 1).numpy()
    shape = (120, 180)
    assert views.shape == (3, ) + shape + (3, )
    for view, frame in enumerate(clip):
        matrix = frame.metainfo['homography_matrix']
        expected, present = _expected_boxes(matrix, shape)
        grid = (shape[0] // 4, shape[1] // 4)
        expected_masks = box_masks_at_stride(
            torch.from_numpy(expected[present]), grid, 4)
        assert torch.equal(frame.gt_instances.box_masks, expected_masks)
        reference, interior = _warped_reference(original, matrix, shape)
        difference = np.abs(reference - views[view])[interior]
        assert interior.mean() > 0.5
        assert difference.mean() < 0.5 and difference.max() < 3, view
        np.testing.assert_allclose(
            clip.images_lab[view].numpy(),
            lab_reference.reference_lab(views[view], 4),
            atol=0.01)


def test_masks_are_refused():
    sample = _image_sample(_rectangles_image())
    sample['gt_masks'] = object()
    with pytest.raises(ValueError, match='with_mask=False'):
        ImageToPseudoClip()(sample)


@pytest.mark.parametrize('kwargs', [
    dict(num_frames=0),
    dict(scale_range=(1.2, 0.8)),
    dict(max_translate_ratio=2)
])
def test_bad_arguments_are_refused(kwargs):
    with pytest.raises(ValueError):
        ImageToPseudoClip(**kwargs)
