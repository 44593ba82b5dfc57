"""DAVIS region similarity J and boundary accuracy F of mask tracks.

The two measures of the DAVIS benchmark (Perazzi et al., CVPR 2016),
applied to the tracks of video instance segmentation. A track is given
as a sequence of T per-frame masks, each a compressed RLE (pycocotools'
``dict(size=[H, W], counts=...)``) or None where the track is absent:
the ``segmentations`` of :func:`ground_truth_tracks` and
:func:`predicted_tracks` in
:mod:`mmfvis.evaluation.metrics.youtube_vis_mask_metric`.

Definitions, per video:

- Assignment: predicted tracks are assigned one-to-one to ground-truth
  tracks by maximising the summed per-frame mask IoU over the video
  (Hungarian assignment on the (G, P) matrix of summed IoUs); class
  labels are ignored. A ground-truth track without a prediction, or
  assigned one of zero total IoU, is scored against an empty prediction.
  Predicted tracks left unassigned do not enter the scores.
- Scored frames of a ground-truth track: those where it is present
  (its RLE is not None) or its assigned prediction has a non-empty mask.
  A frame where exactly one of the two masks is empty scores J = F = 0;
  both empty (a present ground truth of zero area) scores J = F = 1.
- J: the mean over the scored frames of the mask IoU
  (:func:`region_similarity`); J recall: the fraction of scored frames of
  IoU > 0.5; F: the mean of the boundary F-measure
  (:func:`boundary_f_measure`).
"""
import math
from typing import List, Optional, Sequence, Tuple

import cv2
import numpy as np
from pycocotools import mask as mask_utils
from scipy.optimize import linear_sum_assignment

__all__ = [
    'J_RECALL_IOU', 'assign_tracks', 'boundary_f_measure', 'boundary_map',
    'region_similarity', 'tolerance_radius', 'video_track_scores'
]

# A track: per frame, the compressed RLE of its mask, None where absent.
TrackMasks = Sequence[Optional[dict]]

# A scored frame counts towards the J recall when its IoU is above this.
J_RECALL_IOU = 0.5


def region_similarity(pred: np.ndarray, gt: np.ndarray) -> float:
    """Region similarity J of one frame: the IoU of two binary masks.

    Args:
        pred (np.ndarray): (H, W) bool, the predicted mask.
        gt (np.ndarray): (H, W) bool, the ground-truth mask.

    Returns:
        float: |pred AND gt| / |pred OR gt|, in [0, 1]; 1 when both masks
        are empty (the DAVIS convention).
    """
    union = np.logical_or(pred, gt).sum()
    if union == 0:
        return 1.0
    return float(np.logical_and(pred, gt).sum() / union)


def boundary_map(mask: np.ndarray) -> np.ndarray:
    """The boundary pixels of a binary mask, as DAVIS defines them.

    A pixel is on the boundary when its value differs from that of its
    right, bottom or bottom-right neighbour. Beyond the last row and
    column the image is taken to continue with the values of its edge, so
    the image border is no boundary (a mask filling the frame has none).
    The boundary of a square thus lies on its last row and column inside
    and on the row above and the column left of it outside.

    Args:
        mask (np.ndarray): (H, W) bool.

    Returns:
        np.ndarray: (H, W) bool, True on the boundary.
    """
    mask = np.asarray(mask, bool)
    extended = np.pad(mask, ((0, 1), (0, 1)), mode='edge')
    right = extended[:-1, 1:]
    below = extended[1:, :-1]
    below_right = extended[1:, 1:]
    return (mask != right) | (mask != below) | (mask != below_right)


def tolerance_radius(height: int, width: int, bound_th: float) -> int:
    """The boundary tolerance in pixels: ``ceil(bound_th * diagonal)``,
    the diagonal of the (height, width) image in pixels."""
    return math.ceil(bound_th * math.hypot(height, width))


def _near(boundary: np.ndarray, radius: int) -> np.ndarray:
    """(H, W) bool: the pixels within Euclidean distance ``radius``
    (pixels) of a True pixel of the (H, W) bool ``boundary``."""
    offsets = np.arange(-radius, radius + 1)
    disk = offsets[:, None]**2 + offsets[None, :]**2 <= radius**2
    return cv2.dilate(boundary.astype(np.uint8),
                      disk.astype(np.uint8)).astype(bool)


def _bounding_box(mask: np.ndarray) -> Tuple[slice, slice]:
    """The rows and columns of the smallest box holding every True pixel
    of an (H, W) bool mask that has one."""
    rows = np.flatnonzero(mask.any(axis=1))
    columns = np.flatnonzero(mask.any(axis=0))
    return (slice(rows[0], rows[-1] + 1), slice(columns[0], columns[-1] + 1))


def boundary_f_measure(pred: np.ndarray,
                       gt: np.ndarray,
                       bound_th: float = 0.008) -> float:
    """Boundary accuracy F of one frame: the F-measure of the boundaries.

    Precision is the fraction of the predicted boundary pixels
    (:func:`boundary_map`) within the tolerance (Euclidean distance
    ``tolerance_radius``) of a ground-truth boundary pixel; recall the
    fraction of ground-truth boundary pixels within the tolerance of a
    predicted one.

    Args:
        pred (np.ndarray): (H, W) bool, the predicted mask.
        gt (np.ndarray): (H, W) bool, the ground-truth mask.
        bound_th (float): the tolerance as a fraction of the image
            diagonal, rounded up to whole pixels (DAVIS: 0.008).

    Returns:
        float: 2PR / (P + R) in [0, 1]; 0 when P + R = 0; 1 when neither
        mask has a boundary, 0 when only one has none.
    """
    pred_boundary = boundary_map(pred)
    gt_boundary = boundary_map(gt)
    num_pred, num_gt = pred_boundary.sum(), gt_boundary.sum()
    if num_pred == 0 or num_gt == 0:
        return float(num_pred == num_gt)
    radius = tolerance_radius(*gt_boundary.shape, bound_th)
    # Matching within the box of both boundaries is exact, and faster.
    window = _bounding_box(pred_boundary | gt_boundary)
    pred_boundary, gt_boundary = pred_boundary[window], gt_boundary[window]
    precision = (pred_boundary & _near(gt_boundary, radius)).sum() / num_pred
    recall = (gt_boundary & _near(pred_boundary, radius)).sum() / num_gt
    if precision + recall == 0:
        return 0.0
    return float(2 * precision * recall / (precision + recall))


def _summed_iou(gt_tracks_masks: Sequence[TrackMasks],
                pred_tracks_masks: Sequence[TrackMasks]) -> np.ndarray:
    """The per-frame mask IoUs of every pair of tracks, summed over the
    frames.

    Args:
        gt_tracks_masks: G ground-truth tracks of T frames each.
        pred_tracks_masks: P predicted tracks of the same T frames.

    Returns:
        np.ndarray: (G, P) float, in [0, T]; a frame where either track is
        absent adds 0.
    """
    totals = np.zeros((len(gt_tracks_masks), len(pred_tracks_masks)))
    if totals.size == 0:
        return totals
    for frame in range(len(gt_tracks_masks[0])):
        gt_present = [
            index for index, track in enumerate(gt_tracks_masks)
            if track[frame] is not None
        ]
        pred_present = [
            index for index, track in enumerate(pred_tracks_masks)
            if track[frame] is not None
        ]
        if gt_present and pred_present:
            pred_rles = [pred_tracks_masks[i][frame] for i in pred_present]
            gt_rles = [gt_tracks_masks[i][frame] for i in gt_present]
            # (len(pred_rles), len(gt_rles)): predictions first
            ious = mask_utils.iou(pred_rles, gt_rles, [0] * len(gt_rles))
            totals[np.ix_(gt_present, pred_present)] += np.asarray(ious).T
    return totals


def assign_tracks(
        gt_tracks_masks: Sequence[TrackMasks],
        pred_tracks_masks: Sequence[TrackMasks]) -> List[Optional[int]]:
    """One-to-one assignment of predicted to ground-truth tracks that
    maximises the summed per-frame mask IoU (class labels ignored).

    Args:
        gt_tracks_masks: G ground-truth tracks, each T per-frame
            compressed RLEs or None.
        pred_tracks_masks: P predicted tracks of the same T frames.

    Returns:
        list[int | None]: G entries, the index in ``pred_tracks_masks`` of
        each ground-truth track's prediction; None where it has none or
        only one of zero summed IoU.
    """
    totals = _summed_iou(gt_tracks_masks, pred_tracks_masks)
    assigned = [None] * len(gt_tracks_masks)
    for gt_index, pred_index in zip(
            *linear_sum_assignment(totals, maximize=True)):
        if totals[gt_index, pred_index] > 0:
            assigned[gt_index] = int(pred_index)
    return assigned


def _decode(rle: Optional[dict], height: int, width: int) -> np.ndarray:
    """(H, W) bool: the mask of a compressed RLE; empty for None."""
    if rle is None:
        return np.zeros((height, width), bool)
    return mask_utils.decode(rle).astype(bool)


def _frame_scores(pred: np.ndarray, gt: np.ndarray) -> Tuple[float, float]:
    """(J, F) of one frame of (H, W) bool masks; 0, 0 when exactly one
    of them is empty."""
    if pred.any() != gt.any():
        return 0.0, 0.0
    return region_similarity(pred, gt), boundary_f_measure(pred, gt)


def _track_scores(gt_track: TrackMasks, pred_track: TrackMasks, height: int,
                  width: int) -> dict:
    """J, F, J recall and the number of scored frames of one ground-truth
    track against one predicted track (T frames each, None: absent)."""
    ious, boundary_scores = [], []
    for gt_rle, pred_rle in zip(gt_track, pred_track):
        pred = _decode(pred_rle, height, width)
        if gt_rle is None and not pred.any():
            continue
        iou, boundary_score = _frame_scores(pred,
                                            _decode(gt_rle, height, width))
        ious.append(iou)
        boundary_scores.append(boundary_score)
    if not ious:
        raise ValueError('a ground-truth track is absent from every frame')
    return dict(
        J=float(np.mean(ious)),
        F=float(np.mean(boundary_scores)),
        J_recall=float(np.mean(np.asarray(ious) > J_RECALL_IOU)),
        num_scored_frames=len(ious))


def video_track_scores(gt_tracks: Sequence[TrackMasks],
                       pred_tracks: Sequence[TrackMasks], height: int,
                       width: int) -> List[dict]:
    """The DAVIS scores of every ground-truth track of one video.

    Args:
        gt_tracks: G ground-truth tracks, each T per-frame compressed RLEs
            or None (absent); each present in at least one frame.
        pred_tracks: P predicted tracks of the same T frames.
        height (int): H of the frames, pixels.
        width (int): W of the frames, pixels.

    Returns:
        list[dict]: G dicts, in the order of ``gt_tracks``: ``J``, ``F``
        and ``J_recall`` (in [0, 1], means over the scored frames),
        ``num_scored_frames`` and ``assigned_prediction`` (index in
        ``pred_tracks``, or None: scored against an empty prediction).
    """
    scores = []
    for gt_track, assigned in zip(gt_tracks,
                                  assign_tracks(gt_tracks, pred_tracks)):
        pred_track = ([None] * len(gt_track)
                      if assigned is None else pred_tracks[assigned])
        scores.append(
            dict(
                _track_scores(gt_track, pred_track, height, width),
                assigned_prediction=assigned))
    return scores
