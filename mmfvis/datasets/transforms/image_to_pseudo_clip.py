from typing import Tuple

import cv2
import numpy as np
from mmcv.transforms import BaseTransform
from mmdet.registry import TRANSFORMS
from mmdet.structures.bbox import HorizontalBoxes

__all__ = ['ImageToPseudoClip']

# keys that differ between the views; every other key is copied to each
VIEW_KEYS = ('img', 'img_shape', 'gt_bboxes', 'gt_bboxes_labels',
             'gt_ignore_flags', 'gt_instances_ids', 'homography_matrix')


def _pixel_grid_matrix(matrix: np.ndarray) -> np.ndarray:
    """The affine map on pixel indices for ``matrix`` on continuous
    coordinates (pixel i covers [i, i + 1), as mmdet's boxes), for cv2."""
    half = np.array([[1, 0, 0.5], [0, 1, 0.5], [0, 0, 1]])
    return np.linalg.inv(half) @ matrix @ half


@TRANSFORMS.register_module()
class ImageToPseudoClip(BaseTransform):
    """Turn one image sample into a clip of ``num_frames`` augmented views.

    COCO images become pseudo-videos for joint image and video training
    (MaskFreeVIS's COCO-joint setting). Each view is the image under its
    own random zoom by a factor from ``scale_range`` about the image centre,
    then a shift of up to ``max_translate_ratio`` of the width and of the
    height: objects move and change size from view to view as in a video,
    close enough for the temporal loss to find matching patches. The view
    keeps the image's size (pixels the zoom uncovers get ``pad_val``). The
    boxes follow exactly (the map sends axis-aligned boxes to axis-aligned
    boxes) and are clipped to the view; an instance whose clipped box is
    narrower or lower than ``min_box_size`` pixels is absent from that
    view. Every view keeps each instance's id (``gt_instances_ids``: 0..n-1
    in annotation order unless already set), so the head groups the views
    by instance as it groups the frames of a clip.

    Put it after the image's loading and shared augmentation (resize, one
    flip per clip) and before ``PackTrackInputs``. The output is a clip as
    ``ClipFrameSample`` and ``TransformBroadcaster`` give one: every key a
    list with one entry per view, plus ``frame_id`` (the view index),
    ``video_id`` (the image id), ``video_length`` and ``ori_video_length``
    (``num_frames``) and ``key_frame_flags`` (the first view). Each view's
    ``homography_matrix`` is its map times the image's, as mmdet's
    geometric transforms record it.

    Pseudo-clips carry boxes only: load annotations with ``with_mask=False``
    (the box-supervision mixins do).

    Args:
        num_frames (int): views per clip, T. Defaults to 3 (the published
            COCO-joint clip length).
        scale_range (tuple[float, float]): zoom factors, drawn uniformly.
            Defaults to (0.8, 1.25).
        max_translate_ratio (float): largest shift, as a fraction of the
            width (x) and height (y). Defaults to 0.1.
        min_box_size (float): pixels a clipped box needs in width and in
            height for its instance to be present. Defaults to 1.
        pad_val (float): value of the pixels outside the image. Defaults
            to 0, the padding value of the data preprocessors.
    """

    def __init__(self,
                 num_frames: int = 3,
                 scale_range: Tuple[float, float] = (0.8, 1.25),
                 max_translate_ratio: float = 0.1,
                 min_box_size: float = 1.0,
                 pad_val: float = 0) -> None:
        if num_frames < 1:
            raise ValueError(f'num_frames must be >= 1, got {num_frames}')
        if not 0 < scale_range[0] <= scale_range[1]:
            raise ValueError('scale_range must be (low, high) with 0 < low '
                             f'<= high, got {scale_range}')
        if not 0 <= max_translate_ratio <= 1:
            raise ValueError('max_translate_ratio must be in [0, 1], got '
                             f'{max_translate_ratio}')
        self.num_frames = num_frames
        self.scale_range = tuple(scale_range)
        self.max_translate_ratio = max_translate_ratio
        self.min_box_size = min_box_size
        self.pad_val = pad_val

    def _random_view_matrix(self, height: int, width: int) -> np.ndarray:
        """(3, 3) map from image to view, continuous pixel coordinates:
        zoom about the centre, then shift."""
        scale = np.random.uniform(*self.scale_range)
        shift = np.random.uniform(-1, 1, size=2) * self.max_translate_ratio
        centre = np.array([width, height]) / 2
        offset = centre * (1 - scale) + shift * np.array([width, height])
        return np.array([[scale, 0, offset[0]], [0, scale, offset[1]],
                         [0, 0, 1]])

    def _view(self, results: dict, boxes: HorizontalBoxes,
              instance_ids: np.ndarray) -> dict:
        """One randomly augmented view of the image and its boxes."""
        height, width = results['img'].shape[:2]
        matrix = self._random_view_matrix(height, width)
        image = cv2.warpAffine(
            results['img'],
            _pixel_grid_matrix(matrix)[:2],
            dsize=(width, height),
            flags=cv2.INTER_LINEAR,
            borderMode=cv2.BORDER_CONSTANT,
            borderValue=(self.pad_val, ) * 3)
        view_boxes = boxes.clone()
        view_boxes.project_(matrix)
        view_boxes.clip_((height, width))
        present = ((view_boxes.widths >= self.min_box_size) &
                   (view_boxes.heights >= self.min_box_size)).numpy()
        image_to_view = matrix.astype(np.float32)
        previous = results.get('homography_matrix')
        view = dict(
            img=image,
            img_shape=image.shape[:2],
            # PackTrackInputs packs arrays, not box structures
            gt_bboxes=view_boxes[present].numpy(),
            gt_instances_ids=instance_ids[present],
            homography_matrix=image_to_view
            if previous is None else image_to_view @ previous)
        for key in ('gt_bboxes_labels', 'gt_ignore_flags'):
            if key in results:
                view[key] = results[key][present]
        return view

    def transform(self, results: dict) -> dict:
        """Turn an image sample into a clip of views.

        Args:
            results (dict): one image: ``img`` (H, W, 3) and ``gt_bboxes``
                (n, 4) x1, y1, x2, y2 pixels (boxes or an array), with
                optional ``gt_bboxes_labels``, ``gt_ignore_flags``,
                ``gt_instances_ids`` (n, ) and ``homography_matrix``.

        Returns:
            dict: every key a list of ``num_frames`` entries, one per view;
            ``gt_bboxes`` as (n_t, 4) float32 arrays.
        """
        if 'gt_masks' in results:
            raise ValueError(
                'ImageToPseudoClip moves boxes only: load the annotations '
                'with with_mask=False')
        boxes = results['gt_bboxes']
        if not isinstance(boxes, HorizontalBoxes):
            boxes = HorizontalBoxes(np.asarray(boxes, dtype=np.float32))
        instance_ids = results.get('gt_instances_ids')
        if instance_ids is None:
            instance_ids = np.arange(len(boxes), dtype=np.int32)
        views = [
            self._view(results, boxes, instance_ids)
            for _ in range(self.num_frames)
        ]
        shared = {
            key: value
            for key, value in results.items() if key not in VIEW_KEYS
        }
        clip = {
            key: [value] * self.num_frames
            for key, value in shared.items()
        }
        clip.update({key: [view[key] for view in views] for key in views[0]})
        clip.update(
            frame_id=list(range(self.num_frames)),
            video_id=[results.get('img_id')] * self.num_frames,
            video_length=[self.num_frames] * self.num_frames,
            ori_video_length=[self.num_frames] * self.num_frames,
            key_frame_flags=[index == 0 for index in range(self.num_frames)])
        return clip

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(num_frames={self.num_frames}, '
                f'scale_range={self.scale_range}, '
                f'max_translate_ratio={self.max_translate_ratio}, '
                f'min_box_size={self.min_box_size}, pad_val={self.pad_val})')
