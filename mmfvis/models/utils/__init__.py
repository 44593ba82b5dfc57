from .affinity import (cyclic_frame_pairs, grid_offsets, inside_frame_mask,
                       keep_top_candidates, knn_patch_candidates,
                       neighbour_color_similarity, patch_candidate_similarity,
                       shift_with_zero_fill, similar_neighbours)
from .clip_shapes import check_clip_shapes, compute_dtype
from .color import (lab_at_logit_resolution, pool_to_logit_resolution,
                    rgb_to_lab)
from .finite_losses import NonFiniteLossError, check_finite_losses
from .logit_pairs import (ClipsInput, LogitPairs, LogitsInput, pairs_for_clips,
                          pairs_or_precompute)
from .pair_term import same_label_nll, segmented_pair_term_sums
from .roi_grid import box_masks_on_roi_grid, lab_on_roi_grid
from .warmup import LinearWarmupMixin

__all__ = [
    'LinearWarmupMixin', 'rgb_to_lab', 'pool_to_logit_resolution',
    'lab_at_logit_resolution', 'same_label_nll', 'segmented_pair_term_sums',
    'LogitPairs', 'LogitsInput', 'ClipsInput', 'pairs_for_clips',
    'pairs_or_precompute', 'check_clip_shapes', 'compute_dtype',
    'grid_offsets', 'shift_with_zero_fill', 'inside_frame_mask',
    'neighbour_color_similarity', 'similar_neighbours',
    'patch_candidate_similarity', 'keep_top_candidates', 'cyclic_frame_pairs',
    'knn_patch_candidates', 'NonFiniteLossError', 'check_finite_losses',
    'box_masks_on_roi_grid', 'lab_on_roi_grid'
]
