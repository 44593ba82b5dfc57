"""The box terms at a model's masks against the true masks: does the loss
prefer the truth to what the model predicts?"""
from typing import Dict, List, Sequence

from .colour_pairs import frame_at_logits, masks_at_logits, pair_grid

# logits of a 0/1 mask: the terms at a mask, as if predicted with certainty
HARD_LOGIT = 20.0


def ground_truth_tracks(infos: Sequence[dict]) -> Dict[int, List]:
    """instance id -> T per-frame compressed RLEs (None where absent) of
    one video's frame infos (``height``, ``width``, ``instances`` with
    ``instance_id`` and ``mask``)."""
    from mmfvis.evaluation.metrics.youtube_vis_mask_metric import \
        compressed_rle
    tracks: Dict[int, List] = {}
    for frame, info in enumerate(infos):
        for instance in info['instances']:
            track = tracks.setdefault(instance['instance_id'],
                                      [None] * len(infos))
            track[frame] = compressed_rle(instance['mask'], info['height'],
                                          info['width'])
    return tracks


def assigned_predictions(infos: Sequence[dict], prediction) -> Dict[int, List]:
    """instance id -> T per-frame RLEs of the predicted track assigned to
    it, one to one by summed mask IoU as DAVIS scores (None: absent)."""
    from mmfvis.evaluation.functional.track_region_boundary import \
        assign_tracks
    gt = ground_truth_tracks(infos)
    predicted = [[
        track.segmentations.get(frame) for frame in range(len(infos))
    ] for track in prediction.tracks]
    assigned = assign_tracks(list(gt.values()), predicted)
    return {
        instance_id:
        (predicted[index] if index is not None else [None] * len(infos))
        for instance_id, index in zip(gt, assigned)
    }


class TermSums:
    """Sums of the terms at one kind of mask over object-frames: the
    projection dice (x plus y, 0 to 2) and the pairwise term's cut and
    scored pairs."""

    def __init__(self):
        self.projection = 0.0
        self.cut = self.scored = self.empty = self.count = 0

    def add(self, lab, boxes, masks, grid: dict) -> None:
        """One frame: (3, h, w) LAB, (N, h, w) boxes and masks, 0/1."""
        from mmfvis.models.losses import (box_projection_dice_sum,
                                          scored_pairs_cut)
        logits = (2 * masks - 1) * HARD_LOGIT
        self.projection += float(
            box_projection_dice_sum(logits[:, None], boxes[:, None])[0])
        scored, cut = scored_pairs_cut(lab[None], boxes[:, None],
                                       masks[:, None], **grid)
        self.cut += int(cut.sum())
        self.scored += int(scored.sum())
        self.empty += int((masks.flatten(1).sum(1) == 0).sum())
        self.count += masks.shape[0]

    def figures(self) -> dict:
        """Mean projection dice, pooled cut share, share of empty masks and
        the object-frames counted."""
        return dict(
            projection_dice=self.projection / max(self.count, 1),
            cut_share=self.cut / max(self.scored, 1),
            empty_share=self.empty / max(self.count, 1),
            object_frames=self.count)


def box_terms_at_masks(model,
                       dataset,
                       scale: Sequence[int],
                       loss_pair: dict,
                       stride: int = 4,
                       progress=None) -> dict:
    """The projection and pairwise terms at the model's masks (each
    ground-truth object's assigned track) and at the true masks, over the
    dataset's object-frames, at logit resolution.

    Args:
        model: from :func:`mmfvis.apis.init_vis_model`.
        dataset: an mmdet video dataset with masks, built.
        scale (tuple[int, int]): the (w, h) frames are resized to fit, as
            the training pipeline does.
        loss_pair (dict): the pairwise term's config.
        progress: advanced by one per video.

    Returns:
        dict: ``model`` and ``truth``, each ``projection_dice`` (mean over
        object-frames), ``cut_share`` (cut / scored pairs, pooled),
        ``empty_share`` and ``object_frames``.
    """
    from mmfvis.apis import inference_vis_video, read_dataset_frames
    grid = pair_grid(loss_pair)
    sums = dict(model=TermSums(), truth=TermSums())
    for index in range(len(dataset)):
        infos = dataset.get_data_info(index)['images']
        prediction = inference_vis_video(
            model, read_dataset_frames(infos), window=None)
        predicted = assigned_predictions(infos, prediction)
        for frame, info in enumerate(infos):
            if not info['instances']:
                continue
            lab, boxes, resized = frame_at_logits(info, scale, stride)
            ids = [instance['instance_id'] for instance in info['instances']]
            kinds = dict(
                truth=[instance['mask'] for instance in info['instances']],
                model=[predicted[i][frame] for i in ids])
            for kind, segmentations in kinds.items():
                masks = masks_at_logits(segmentations, info['height'],
                                        info['width'], resized, lab.shape[-2:],
                                        stride)
                sums[kind].add(lab, boxes, masks, grid)
        if progress is not None:
            progress.update()
    return {kind: total.figures() for kind, total in sums.items()}


def format_box_terms(figures: dict) -> str:
    """One markdown line of :func:`box_terms_at_masks`' figures."""
    model, truth = figures['model'], figures['truth']
    return (f'projection dice {model["projection_dice"]:.3f} at the model\'s '
            f'masks, {truth["projection_dice"]:.3f} at the truth; pairwise '
            f'pairs cut {100 * model["cut_share"]:.1f}% against '
            f'{100 * truth["cut_share"]:.1f}%; no mask in '
            f'{100 * model["empty_share"]:.0f}% of '
            f'{model["object_frames"]} object-frames')
