"""What a box-supervised head's loss terms should be, recomputed outside
the head: its inputs and its matching recorded, each sample's unpadded area
cropped by hand, the LAB frames converted again from the network's input,
and the plain loss functions of ``mmfvis.models.losses`` pooled over the
batch by hand."""
import pytest
import torch
import torch.nn.functional as F
from kornia.color import rgb_to_lab

from mmfvis.models.losses import (box_projection_loss, pairwise_affinity_loss,
                                  pairwise_affinity_pairs,
                                  temporal_knn_patch_loss,
                                  temporal_knn_patch_pairs)

STRIDE = 4  # input pixels per mask-logit cell


class HeadRecorder:
    """Wraps a head's forward and its assigner: the mask logits of every
    decoder layer, and mmdet's assignment of every (layer, sample), in the
    order the head makes them (layer after layer, sample after sample)."""

    def __init__(self, head):
        self.mask_preds = None
        self.assignments = []
        forward, assign = head.forward, head.assigner.assign

        def recorded_forward(*args, **kwargs):
            outputs = forward(*args, **kwargs)
            self.mask_preds = [pred.detach() for pred in outputs[1]]
            return outputs

        def recorded_assign(*args, **kwargs):
            result = assign(*args, **kwargs)
            self.assignments.append(result.gt_inds.clone())
            return result

        head.forward = recorded_forward
        head.assigner.assign = recorded_assign

    def matched_queries(self, layer, sample, num_samples):
        """(N,) the query mmdet's assigner matched to each ground-truth
        instance of ``sample`` at decoder ``layer``, in ground-truth order.
        """
        gt_inds = self.assignments[layer * num_samples + sample]
        num_gts = int(gt_inds.max())
        return torch.stack([(gt_inds == gt + 1).nonzero()[0, 0]
                            for gt in range(num_gts)])

    def matched_logits(self, layer, grids):
        """The logits of the queries matched at decoder ``layer``, per
        sample: (N, ..., h, w) cropped to the sample's unpadded ``grids``
        (h, w), in ground-truth order; and how many samples' matched
        queries were not in increasing order."""
        logits, unordered = [], 0
        for sample, (pred,
                     (height,
                      width)) in enumerate(zip(self.mask_preds[layer], grids)):
            queries = self.matched_queries(layer, sample, len(grids))
            unordered += int(not bool((queries.diff() > 0).all()))
            logits.append(pred[queries][..., :height, :width])
        return logits, unordered


def box_tensor(gt_instances):
    """(n, 4) x1, y1, x2, y2 boxes, whether packed as a tensor or as
    mmdet's box type."""
    boxes = gt_instances.bboxes
    return getattr(boxes, 'tensor', boxes)


def logit_grid(img_shape):
    """(h, w) cells of the mask logits over an unpadded (H, W) input."""
    return -(-img_shape[0] // STRIDE), -(-img_shape[1] // STRIDE)


def lab_of_input(frames, img_shape, preprocessor):
    """(T, 3, h, w) LAB of a sample's network input, pooled to the logit
    cells of its unpadded area.

    Args:
        frames (Tensor): (T, 3, H, W) normalised RGB input, padded.
        img_shape (tuple): unpadded (H, W).
        preprocessor: the model's data preprocessor (mean, std in RGB).
    """
    rgb = (frames * preprocessor.std + preprocessor.mean) / 255.0
    rgb = rgb[:, :, :img_shape[0], :img_shape[1]]
    pooled = F.avg_pool2d(rgb, STRIDE, STRIDE, ceil_mode=True)
    return rgb_to_lab(pooled.clamp(0.0, 1.0))


def pooled_projection(logits, box_masks):
    """Projection loss pooled over the samples' masks: each sample's plain
    loss weighed by its number of (instance, frame) masks."""
    counts = [box.shape[0] * box.shape[1] for box in box_masks]
    losses = [
        box_projection_loss(clip, box) for clip, box in zip(logits, box_masks)
    ]
    return sum(loss * count
               for loss, count in zip(losses, counts)) / sum(counts)


def _pooled_pair_term(pair_builder, plain_loss, logits, images_lab, box_masks):
    """sum over segments of the batch's numerator / the batch's weights.

    Each sample's pairs come from the plain builder; their per-segment sums
    must give the plain loss of that sample."""
    numerators, denominators = [], []
    for clip, lab, box in zip(logits, images_lab, box_masks):
        pairs = pair_builder(lab, box)
        numerator = pairs.numerators(clip)
        denominator = pairs.denominators.to(numerator.dtype)
        assert torch.allclose(
            (numerator / denominator.clamp(min=1)).sum(),
            plain_loss(clip, lab, box),
            rtol=1e-6)
        numerators.append(numerator)
        denominators.append(denominator)
    return (sum(numerators) / sum(denominators).clamp(min=1)).sum()


def pooled_pairwise(logits, images_lab, box_masks):
    return _pooled_pair_term(pairwise_affinity_pairs, pairwise_affinity_loss,
                             logits, images_lab, box_masks)


def pooled_temporal(logits, images_lab, box_masks):
    return _pooled_pair_term(temporal_knn_patch_pairs, temporal_knn_patch_loss,
                             logits, images_lab, box_masks)


def layer_name(layer, num_layers, term):
    """mmdet's name of a decoder layer's loss term."""
    return term if layer == num_layers - 1 else f'd{layer}.{term}'


def assert_layer_losses(losses, layer, num_layers, expected):
    """The head's ``losses`` of decoder ``layer`` are ``expected`` (term ->
    value), to a relative 1e-6."""
    for term, value in expected.items():
        name = layer_name(layer, num_layers, term)
        assert losses[name].item() == pytest.approx(
            value.item(), rel=1e-6), name
