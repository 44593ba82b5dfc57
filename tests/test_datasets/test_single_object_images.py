"""The generated images of one object each: shapes, tight boxes, the
colour edge inside two-coloured blobs, occluded crops, reproducibility."""
import cv2
import numpy as np
import pytest

from mmfvis.datasets.synthetic.single_object_images import (MIN_CONTRAST,
                                                            crop_blob_videos,
                                                            render_blob_images,
                                                            tight_box)


def _tight_box_by_loops(mask):
    rows = [y for y in range(mask.shape[0]) if mask[y].any()]
    cols = [x for x in range(mask.shape[1]) if mask[:, x].any()]
    return [cols[0], rows[0], cols[-1] + 1, rows[-1] + 1]


@pytest.mark.parametrize('two_coloured', [False, True])
def test_blob_images_have_one_object_with_its_tight_box(two_coloured):
    drawn = render_blob_images(3, 6, size=48, two_coloured=two_coloured)
    assert drawn.images.shape == (6, 48, 48, 3)
    assert drawn.images.dtype == np.uint8
    assert drawn.masks.shape == (6, 48, 48)
    for mask, box in zip(drawn.masks, drawn.boxes):
        assert 0.05 < mask.mean() < 0.6
        assert box.tolist() == _tight_box_by_loops(mask)


def test_same_seed_same_images_other_seed_other_images():
    first, again = render_blob_images(5, 3), render_blob_images(5, 3)
    other = render_blob_images(6, 3)
    assert np.array_equal(first.images, again.images)
    assert np.array_equal(first.masks, again.masks)
    assert not np.array_equal(first.masks, other.masks)


def test_object_stands_out_from_the_background():
    drawn = render_blob_images(0, 8)
    for image, mask in zip(drawn.images.astype(float), drawn.masks):
        gap = np.linalg.norm(image[mask].mean(0) - image[~mask].mean(0))
        # the background is a gradient: its mean is not the colour under
        # the object, so allow some slack below the drawn contrast
        assert gap > MIN_CONTRAST / 3


def test_two_coloured_blobs_have_two_colours_inside():
    drawn = render_blob_images(1, 8, two_coloured=True)
    for image, mask in zip(drawn.images.astype(float), drawn.masks):
        inside = image[mask]
        # two clusters: the spread inside is far above the pixel noise
        assert inside.std(0).max() > 20


def test_video_crops_hold_a_visible_object_and_others_around():
    crops = crop_blob_videos(2, 12, size=40)
    assert crops.images.shape == (12, 40, 40, 3)
    covered = crops.masks.mean((1, 2))
    assert (covered > 0.02).all()
    for mask, box in zip(crops.masks, crops.boxes):
        assert box.tolist() == _tight_box_by_loops(mask)
    assert np.array_equal(crops.masks, crop_blob_videos(2, 12, 40).masks)


def test_tight_box_is_exclusive_at_the_far_end():
    mask = np.zeros((5, 6), bool)
    mask[1:3, 2:5] = True
    assert tight_box(mask).tolist() == [2, 1, 5, 3]


def _colour_contrast(images):
    """(N,) RGB distance between each object's mean colour and that of a
    3-pixel ring around it."""
    contrasts = []
    for image, mask in zip(images.images, images.masks):
        grown = cv2.dilate(mask.astype(np.uint8), np.ones((7, 7), np.uint8))
        ring = grown.astype(bool) & ~mask
        contrasts.append(
            np.linalg.norm(image[mask].mean(0) - image[ring].mean(0)))
    return np.array(contrasts)


def test_crops_without_camouflaged_targets_have_colours_of_their_own():
    everything = _colour_contrast(crop_blob_videos(0, 64, 48))
    plain = _colour_contrast(
        crop_blob_videos(0, 64, 48, camouflaged_targets=False))
    # camouflaged objects take the colour under them (+- 4 per channel)
    assert (everything < 15).sum() >= 3
    assert plain.min() > 15
