from .ground_truth_predictions import (evaluate_filled_boxes, filled_box_mask,
                                       predicted_video_sample,
                                       video_sample_from_ground_truth)
from .metrics import TrackJFMetric, YouTubeVISMaskMetric

__all__ = [
    'TrackJFMetric', 'YouTubeVISMaskMetric', 'evaluate_filled_boxes',
    'filled_box_mask', 'predicted_video_sample',
    'video_sample_from_ground_truth'
]
