from .affinity import (ColourPairCounts, colour_pair_share, cyclic_frame_pairs,
                       grid_offsets, inside_frame_mask, keep_top_candidates,
                       knn_patch_candidates, neighbour_color_similarity,
                       patch_candidate_similarity, scored_pairs_cut,
                       shift_with_zero_fill, similar_neighbours)
from .box_projection_loss import (BoxProjectionLoss, box_projection_dice_sum,
                                  box_projection_loss)
from .logit_pairs import (ClipsInput, LogitPairs, LogitsInput, pairs_for_clips,
                          pairs_or_precompute)
from .pair_term import same_label_nll, segmented_pair_term_sums
from .pairwise_affinity_loss import (PairwiseAffinityLoss,
                                     pairwise_affinity_loss,
                                     pairwise_affinity_pairs)
from .temporal_knn_patch_loss import (TemporalKNNPatchLoss,
                                      temporal_knn_patch_loss,
                                      temporal_knn_patch_pairs)

__all__ = [
    'box_projection_loss', 'box_projection_dice_sum', 'BoxProjectionLoss',
    'pairwise_affinity_loss', 'pairwise_affinity_pairs',
    'PairwiseAffinityLoss', 'temporal_knn_patch_loss',
    'temporal_knn_patch_pairs', 'TemporalKNNPatchLoss', 'same_label_nll',
    'segmented_pair_term_sums', 'LogitPairs', 'LogitsInput', 'ClipsInput',
    'pairs_for_clips', 'pairs_or_precompute', 'grid_offsets',
    'shift_with_zero_fill', 'inside_frame_mask', 'neighbour_color_similarity',
    'similar_neighbours', 'ColourPairCounts', 'colour_pair_share',
    'scored_pairs_cut', 'patch_candidate_similarity', 'keep_top_candidates',
    'cyclic_frame_pairs', 'knn_patch_candidates'
]
