from .track_region_boundary import (J_RECALL_IOU, assign_tracks,
                                    boundary_f_measure, boundary_map,
                                    region_similarity, tolerance_radius,
                                    video_track_scores)

__all__ = [
    'J_RECALL_IOU', 'assign_tracks', 'boundary_f_measure', 'boundary_map',
    'region_similarity', 'tolerance_radius', 'video_track_scores'
]
