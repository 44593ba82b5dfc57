"""Mask2Former-VIS predictions rescaled frame by frame: the same tracks,
masks and boxes as mmdet's head gives for the whole video at once, dense
or encoded; the metric reads both alike."""
import numpy as np
import pytest
import torch
from mmdet.models.tracking_heads import Mask2FormerTrackHead
from pycocotools import mask as mask_utils

from mmfvis.evaluation import predict_frame_by_frame, use_frame_by_frame
from mmfvis.evaluation.metrics.youtube_vis_mask_metric import predicted_tracks

NUM_QUERIES, NUM_CLASSES, FRAMES = 6, 3, 4


class Head:
    """What mmdet's ``predict_by_feat`` reads of its head."""
    num_queries = NUM_QUERIES
    num_classes = NUM_CLASSES


def video_logits(seed=0):
    """Class logits (Q, C + 1), mask logits (Q, T, 32, 48) padded from a
    24x40 image of a 60x100 original, the frames' metainfo."""
    generator = torch.Generator().manual_seed(seed)
    cls = torch.randn(NUM_QUERIES, NUM_CLASSES + 1, generator=generator)
    masks = torch.randn(NUM_QUERIES, FRAMES, 32, 48, generator=generator)
    metas = [dict(img_shape=(24, 40), ori_shape=(60, 100))] * FRAMES
    return cls, masks, metas


@pytest.mark.parametrize('rescale', [True, False])
def test_the_same_predictions_as_mmdet_for_the_whole_video(rescale):
    cls, masks, metas = video_logits()
    expected = Mask2FormerTrackHead.predict_by_feat(
        Head(), cls, masks, metas, rescale=rescale)
    got = predict_frame_by_frame(Head(), cls, masks, metas, rescale=rescale)
    assert len(got) == len(expected) == FRAMES
    size = (60, 100) if rescale else (24, 40)
    for ours, theirs in zip(got, expected):
        assert ours.masks.shape == (10, *size)
        assert torch.equal(ours.masks, theirs.masks)
        assert ours.masks.any() and not ours.masks.all()
        for key in ('bboxes', 'labels', 'scores', 'instances_id'):
            assert torch.equal(ours.get(key), theirs.get(key)), key


def test_encoded_masks_decode_to_the_dense_ones():
    cls, masks, metas = video_logits(seed=1)
    dense = predict_frame_by_frame(Head(), cls, masks, metas)
    encoded = predict_frame_by_frame(Head(), cls, masks, metas, encode=True)
    for frame_dense, frame_encoded in zip(dense, encoded):
        assert all(
            isinstance(rle['counts'], str) for rle in frame_encoded.masks)
        decoded = mask_utils.decode(frame_encoded.masks).transpose(2, 0, 1)
        assert np.array_equal(decoded, frame_dense.masks.numpy())
        assert torch.equal(frame_encoded.bboxes, frame_dense.bboxes)


def samples(predictions):

    class Frame:

        def __init__(self, instances):
            self.pred_track_instances = instances

    return [Frame(instances) for instances in predictions]


def test_the_metric_gets_the_same_tracks_from_either():
    cls, masks, metas = video_logits(seed=2)
    dense = predict_frame_by_frame(Head(), cls, masks, metas)
    encoded = predict_frame_by_frame(Head(), cls, masks, metas, encode=True)
    assert predicted_tracks(samples(encoded)) == predicted_tracks(
        samples(dense))


def test_only_a_mask2former_vis_model_is_switched():

    class Model(torch.nn.Module):

        def __init__(self, head):
            super().__init__()
            self.track_head = head

    assert not use_frame_by_frame(Model(torch.nn.Identity()), encode=True)
    head = Mask2FormerTrackHead.__new__(Mask2FormerTrackHead)
    torch.nn.Module.__init__(head)
    head.num_classes = NUM_CLASSES
    assert use_frame_by_frame(Model(head), encode=True)
    cls, masks, metas = video_logits()
    frames = head.predict_by_feat(cls, masks, metas)
    assert isinstance(frames[0].masks, list) and len(frames[0].masks) == 10
