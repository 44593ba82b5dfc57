"""Drawing of video instance segmentation: tracks, clips, box-only labels."""
import colorsys
from typing import List, Optional, Sequence, Tuple

import numpy as np
import torch
from mmdet.registry import VISUALIZERS
from mmdet.structures.mask import BaseInstanceMasks, mask2bbox
from mmdet.visualization import TrackLocalVisualizer
from mmengine.structures import InstanceData

__all__ = ['VISLocalVisualizer', 'track_color']

# Hue step between consecutive track ids: the golden ratio spreads any
# number of ids around the colour wheel without repeating.
_GOLDEN_HUE_STEP = 0.618033988749895


def track_color(track_id: int) -> Tuple[int, int, int]:
    """The RGB colour (0..255) of one track id, the same on every frame."""
    hue = (int(track_id) * _GOLDEN_HUE_STEP) % 1.0
    red, green, blue = colorsys.hsv_to_rgb(hue, 0.75, 0.95)
    return int(red * 255), int(green * 255), int(blue * 255)


def _numpy(values) -> np.ndarray:
    if isinstance(values, torch.Tensor):
        return values.detach().cpu().numpy()
    if isinstance(values, BaseInstanceMasks):
        return values.to_ndarray()
    return np.asarray(values)


def _track_ids(instances: InstanceData) -> np.ndarray:
    # Predictions name them instances_id, packed ground truth instances_ids.
    for key in ('instances_id', 'instances_ids'):
        if key in instances:
            return _numpy(instances.get(key)).astype(int)
    return np.arange(len(instances))


@VISUALIZERS.register_module()
class VISLocalVisualizer(TrackLocalVisualizer):
    """mmdet's tracking visualiser, for video instance segmentation.

    Draws masks, boxes, class names, track ids and scores, one colour per
    track id (the same on every frame, distinct between ids). Unlike
    mmdet's, it draws ground truth as the pipeline packs it
    (``instances_ids``, ``BitmapMasks``), box-only annotations (no masks),
    predictions without boxes (boxes from the masks), and whole clips
    (:meth:`draw_clip`); it needs no seaborn.

    Instances must be in the drawn image's pixel coordinates. Args as
    mmdet's ``TrackLocalVisualizer``; ``alpha`` is the masks' opacity.
    """

    def __init__(self,
                 name: str = 'visualizer',
                 image: Optional[np.ndarray] = None,
                 vis_backends: Optional[List[dict]] = None,
                 save_dir: Optional[str] = None,
                 line_width: float = 2,
                 alpha: float = 0.5) -> None:
        super().__init__(name, image, vis_backends, save_dir, line_width,
                         alpha)

    def draw_instances(self, image: np.ndarray,
                       instances: InstanceData) -> np.ndarray:
        """Draw instances on one frame.

        Args:
            image (np.ndarray): (H, W, 3) uint8 RGB frame.
            instances (InstanceData): ``labels`` (N,), and any of
                ``masks`` (N, H, W), ``bboxes`` (N, 4) x1, y1, x2, y2
                pixels, ``scores`` (N,), ``instances_id`` or
                ``instances_ids`` (N,). Instances whose mask is empty are
                absent from this frame and not drawn.

        Returns:
            np.ndarray: (H, W, 3) uint8 RGB drawing.
        """
        masks = _numpy(instances.masks).astype(bool) \
            if 'masks' in instances else None
        present = np.ones(len(instances), bool) if masks is None \
            else masks.any(axis=(1, 2))
        if not present.any():
            self.set_image(image)
            return self.get_image()
        colors = [track_color(i) for i in _track_ids(instances)[present]]
        if masks is not None:
            masks = masks[present]
            image = self._blend_masks(image, masks, colors)
        self.set_image(image)
        boxes = _numpy(instances.bboxes)[present] if 'bboxes' in instances \
            else mask2bbox(torch.from_numpy(masks)).numpy()
        # mmengine warns about boxes reaching the last pixel row or column.
        height, width = image.shape[:2]
        boxes = np.stack([
            boxes[:, 0].clip(0, width - 1), boxes[:, 1].clip(0, height - 1),
            boxes[:, 2].clip(0, width - 1), boxes[:, 3].clip(0, height - 1)
        ],
                         axis=1)
        self.draw_bboxes(
            boxes, edge_colors=colors, line_widths=self.line_width, alpha=1.0)
        self._draw_labels(instances, present, boxes, colors, image.shape[0])
        return self.get_image()

    def _blend_masks(self, image: np.ndarray, masks: np.ndarray,
                     colors: Sequence[tuple]) -> np.ndarray:
        """Masks (N, H, W) blended into the image with opacity ``alpha``.

        Done on the pixels here rather than with mmengine's
        ``draw_binary_masks``, which composes whole-frame layers per mask
        and takes about a second on a 1080p frame with ten masks.
        """
        blended = image.astype(np.float32)
        for mask, color in zip(masks, colors):
            blended[mask] = (1 - self.alpha) * blended[mask] + \
                self.alpha * np.asarray(color, np.float32)
        return blended.round().astype(np.uint8)

    def _draw_labels(self, instances: InstanceData, present: np.ndarray,
                     boxes: np.ndarray, colors: Sequence[tuple],
                     image_height: int) -> None:
        """'class #id score' inside each box's top-left corner, on the
        track's colour."""
        classes = self.dataset_meta.get('classes')
        labels = _numpy(instances.labels).astype(int)[present]
        scores = _numpy(instances.scores)[present] \
            if 'scores' in instances else [None] * len(labels)
        track_ids = _track_ids(instances)[present]
        texts = []
        for label, track_id, score in zip(labels, track_ids, scores):
            name = classes[label] if classes else f'class {label}'
            score_text = '' if score is None else f' {float(score):.2f}'
            texts.append(f'{name} #{track_id}{score_text}')
        self.draw_texts(
            texts,
            boxes[:, :2] + self.line_width,
            font_sizes=max(8, round(image_height / 40)),
            colors='white',
            bboxes=[
                dict(
                    facecolor=np.array(color) / 255,
                    alpha=0.8,
                    pad=0.5,
                    edgecolor='none') for color in colors
            ])

    def _draw_instances(self, image: np.ndarray,
                        instances: InstanceData) -> np.ndarray:
        # mmdet's add_datasample draws ground truth and predictions here.
        return self.draw_instances(image, instances)

    def draw_clip(self,
                  frames: Sequence[np.ndarray],
                  data_samples: Sequence,
                  draw_gt: bool = True,
                  draw_pred: bool = False,
                  pred_score_thr: float = 0.3) -> np.ndarray:
        """Draw the frames of a clip side by side.

        Args:
            frames: T (H, W, 3) uint8 RGB frames.
            data_samples: T frame data samples with ``gt_instances``
                and/or ``pred_track_instances`` in the frames' coordinates.
            draw_gt (bool): a row with the ground truth.
            draw_pred (bool): a row with the predictions whose score
                exceeds ``pred_score_thr``.

        Returns:
            np.ndarray: (rows * H, T * W, 3) uint8 RGB image.
        """
        rows = []
        if draw_gt:
            rows.append([
                self.draw_instances(frame, sample.gt_instances)
                for frame, sample in zip(frames, data_samples)
            ])
        if draw_pred:
            rows.append([
                self.draw_instances(
                    frame, sample.pred_track_instances[
                        sample.pred_track_instances.scores > pred_score_thr])
                for frame, sample in zip(frames, data_samples)
            ])
        if not rows:
            raise ValueError('draw_clip needs draw_gt or draw_pred')
        return np.concatenate([np.concatenate(row, axis=1) for row in rows],
                              axis=0)
