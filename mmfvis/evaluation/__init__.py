from .frame_by_frame_masks import (encode_masks, predict_frame_by_frame,
                                   use_frame_by_frame)
from .ground_truth_predictions import (evaluate_filled_boxes, filled_box_mask,
                                       predicted_video_sample,
                                       video_sample_from_ground_truth)
from .metrics import TrackJFMetric, YouTubeVISMaskMetric

__all__ = [
    'TrackJFMetric', 'YouTubeVISMaskMetric', 'encode_masks',
    'evaluate_filled_boxes', 'filled_box_mask', 'predict_frame_by_frame',
    'predicted_video_sample', 'use_frame_by_frame',
    'video_sample_from_ground_truth'
]
