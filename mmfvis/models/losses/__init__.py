from .box_projection_loss import (BoxProjectionLoss, box_projection_dice_sum,
                                  box_projection_loss)
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
    'temporal_knn_patch_pairs', 'TemporalKNNPatchLoss'
]
