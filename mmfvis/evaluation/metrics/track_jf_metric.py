"""DAVIS J, F and J&F of the tracks: mask quality apart from detection."""
from typing import Dict, List, Sequence

import numpy as np
from mmdet.evaluation.metrics.base_video_metric import BaseVideoMetric
from mmdet.registry import METRICS
from mmengine.logging import MMLogger

from ..functional import video_track_scores
from .youtube_vis_mask_metric import ground_truth_tracks, predicted_tracks

__all__ = ['METRIC_NAMES', 'TrackJFMetric']

# The reported numbers, before the prefix.
METRIC_NAMES = ('J', 'F', 'J&F', 'J_recall')


@METRICS.register_module()
class TrackJFMetric(BaseVideoMetric):
    """DAVIS region similarity J, boundary accuracy F and J&F per track.

    Mask AP mixes detection, classification and mask quality; these
    numbers score the masks of the tracks alone, as DAVIS does:

    - Per video, the ground-truth tracks and the predicted tracks (the
      predictions sharing an instance id over the video's frames).
    - Predicted tracks are assigned one-to-one to ground-truth tracks by
      maximising the summed per-frame mask IoU over the video
      (``scipy.optimize.linear_sum_assignment`` on the (G, P) matrix of
      summed IoUs); class labels are ignored. A ground-truth track with no
      assigned prediction, or one of zero summed IoU, is scored against an
      empty prediction. Unassigned predicted tracks (false positives) do
      not change the scores: that is AP's business.
    - The frames scored for a ground-truth track are those where it is
      present or its assigned prediction has a non-empty mask. A frame
      where one mask is empty and the other not scores J = F = 0 (both
      empty, a present ground truth of zero area: J = F = 1).
    - J: the mean over the scored frames of the mask IoU. J recall: the
      fraction of scored frames of IoU > 0.5.
    - F: the mean over the scored frames of the boundary F-measure. The
      boundary of a mask: the pixels whose value differs from their right,
      bottom or bottom-right neighbour (the image border is no boundary).
      Tolerance: ``ceil(0.008 * image diagonal)`` pixels (Euclidean
      distance). Precision: the fraction of predicted boundary pixels
      within the tolerance of a ground-truth boundary pixel; recall the
      converse; F = 2PR / (P + R), 0 when P + R = 0; 1 when neither mask
      has a boundary, 0 when only one has none.

    Reported, as means over the ground-truth tracks of all videos (every
    track weighs the same, whatever its length): ``J``, ``F``,
    ``J&F`` = (J + F) / 2 and ``J_recall``, each prefixed
    (``davis/J&F``). Ground truth without masks (box-only annotations)
    gives {} and a warning; no ground-truth track at all gives -1
    (undefined, the COCO convention) and a warning. The first and last
    frames of a video are scored like the others (DAVIS's semi-supervised
    protocol leaves them out: there the first mask is given).

    The functions behind it are in
    :mod:`mmfvis.evaluation.functional.track_region_boundary`. Whole
    videos are evaluated: use a video-level sampler (``DefaultSampler``)
    and batch size 1. Works alone or beside ``YouTubeVISMaskMetric``::

        val_evaluator = [
            dict(type='YouTubeVISMaskMetric'),
            dict(type='TrackJFMetric'),
        ]

    Args:
        collect_device (str): ``'cpu'`` (mmdet gathers video results on
            the CPU only).
        prefix (str, optional): prefix of the reported names; default
            ``'davis'``.
    """

    default_prefix = 'davis'

    def process_video(self, data_samples: Sequence) -> None:
        """Score the ground-truth tracks of one video (nothing when some
        of its boxes have no mask) and keep the scores."""
        height, width = data_samples[0].metainfo['ori_shape'][:2]
        ground_truth = ground_truth_tracks(data_samples)
        boxes_without_mask = sum(track['frames_without_mask']
                                 for track in ground_truth)
        track_scores = []
        if not boxes_without_mask:
            track_scores = video_track_scores(
                [track['segmentations'] for track in ground_truth], [
                    track['segmentations']
                    for track in predicted_tracks(data_samples)
                ], height, width)
        self.results.append(
            dict(
                boxes_without_mask=boxes_without_mask,
                track_scores=track_scores))

    def process_image(self, data_samples, ori_video_len: int) -> None:
        raise NotImplementedError(
            f'{type(self).__name__} evaluates whole videos, but got '
            f'{len(data_samples)} of {ori_video_len} frames: use a '
            'video-level sampler (DefaultSampler), not TrackImgSampler')

    def compute_metrics(self, results: List[dict]) -> Dict[str, float]:
        """J, F, J&F and J recall, means over the ground-truth tracks."""
        logger = MMLogger.get_current_instance()
        boxes_without_mask = sum(result['boxes_without_mask']
                                 for result in results)
        if boxes_without_mask:
            logger.warning(
                f'{boxes_without_mask} ground-truth boxes have no mask: J '
                'and F are not computed (box-only annotations)')
            return dict()
        track_scores = [
            track for result in results for track in result['track_scores']
        ]
        if not track_scores:
            logger.warning('no ground-truth track in the evaluated videos: '
                           'J and F are -1 (undefined)')
            return dict.fromkeys(METRIC_NAMES, -1.0)
        region, boundary, recall = (
            float(np.mean([track[name] for track in track_scores]))
            for name in ('J', 'F', 'J_recall'))
        metrics = {
            'J': region,
            'F': boundary,
            'J&F': (region + boundary) / 2,
            'J_recall': recall
        }
        logger.info(f'DAVIS J&F {metrics["J&F"]:.4f}, J {region:.4f}, '
                    f'F {boundary:.4f}, J recall {recall:.4f} over '
                    f'{len(track_scores)} ground-truth tracks of '
                    f'{len(results)} videos')
        return metrics
