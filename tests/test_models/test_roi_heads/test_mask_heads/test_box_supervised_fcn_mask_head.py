import pytest
import torch
from mmdet.models.task_modules.assigners import AssignResult
from mmdet.models.task_modules.samplers import SamplingResult
from mmdet.registry import MODELS
from mmengine.config import ConfigDict
from mmengine.structures import InstanceData

from mmfvis.models.losses import box_projection_loss, pairwise_affinity_loss
from mmfvis.models.utils import NonFiniteLossError
from mmfvis.models.utils.box_masks import box_masks_at_stride

NUM_CLASSES = 3


def _head(**kwargs):
    return MODELS.build(
        dict(
            type='BoxSupervisedFCNMaskHead',
            num_convs=1,
            in_channels=8,
            conv_out_channels=8,
            num_classes=NUM_CLASSES,
            **kwargs))


def _sampling_result(rois, gt_boxes, assigned, gt_labels):
    """Every RoI positive, assigned to ground truth ``assigned``."""
    num = len(rois)
    assign = AssignResult(
        num_gts=len(gt_boxes),
        gt_inds=assigned + 1,
        max_overlaps=torch.ones(num),
        labels=gt_labels[assigned])
    return SamplingResult(
        pos_inds=torch.arange(num),
        neg_inds=torch.zeros(0, dtype=torch.long),
        priors=rois,
        gt_bboxes=gt_boxes,
        assign_result=assign,
        gt_flags=torch.zeros(num, dtype=torch.uint8))


def _ground_truth(boxes, labels, frame_lab, stride=4):
    gt = InstanceData(bboxes=boxes, labels=labels)
    gt.set_metainfo(dict(lab_frame=frame_lab, lab_stride=stride))
    return gt


def _losses(head, mask_preds, rois, gt, assigned, mask_size):
    result = _sampling_result(rois, gt.bboxes, assigned, gt.labels)
    return head.loss_and_target(mask_preds, [result], [gt],
                                ConfigDict(mask_size=mask_size))


def _pasted(roi_logits, top, left, grid):
    """RoI logits placed on an image-space logit grid, -inf elsewhere
    (sigmoid 0: nothing outside the RoI)."""
    canvas = torch.full(grid, float('-inf'))
    height, width = roi_logits.shape
    canvas[top:top + height, left:left + width] = roi_logits
    return canvas


@pytest.mark.parametrize(
    'roi, mask_size',
    [
        # the RoI is the ground-truth box: 112 px, 28 cells of 4 px
        ((16.0, 24.0, 128.0, 136.0), 28),
        # a RoI holding the box, 128 px in 32 cells of 4 px
        ((8.0, 16.0, 136.0, 144.0), 32),
    ])
def test_roi_projection_equals_the_image_space_projection(roi, mask_size):
    """When the RoI cells are stride-4 cells, the RoI loss is BoxInst's
    image-space projection loss of the mask pasted into the frame."""
    generator = torch.Generator().manual_seed(0)
    box = torch.tensor([[16.0, 24.0, 128.0, 136.0]])
    gt = _ground_truth(box, torch.tensor([1]), torch.zeros(3, 40, 40))
    # mostly background, so that the projections depend on where each
    # logit lands: a paste shifted by one cell changes the loss by 1e-2
    mask_preds = 3 * torch.randn(
        1, NUM_CLASSES, mask_size, mask_size, generator=generator) - 6
    head = _head()
    losses = _losses(head, mask_preds, torch.tensor([roi]), gt,
                     torch.tensor([0]), mask_size)
    image_logits = _pasted(mask_preds[0, 1],
                           int(roi[1]) // 4,
                           int(roi[0]) // 4, (40, 40))
    image_box = box_masks_at_stride(box, (40, 40), stride=4)
    expected = box_projection_loss(image_logits[None, None], image_box[None])
    torch.testing.assert_close(losses['loss_mask']['loss_proj'], expected)


def test_whole_frame_roi_pairwise_equals_the_image_space_pairwise():
    """A RoI over the whole frame with one cell per LAB cell reads the LAB
    frame itself: the RoI pairwise loss is the image-space one."""
    generator = torch.Generator().manual_seed(1)
    frame_lab = torch.randn(3, 28, 28, generator=generator) * 2
    frame_lab[0] += 50
    box = torch.tensor([[20.0, 12.0, 90.0, 70.0]])
    gt = _ground_truth(box, torch.tensor([2]), frame_lab)
    mask_preds = torch.randn(1, NUM_CLASSES, 28, 28, generator=generator)
    head = _head()
    losses = _losses(head, mask_preds, torch.tensor([[0.0, 0.0, 112.0,
                                                      112.0]]), gt,
                     torch.tensor([0]), 28)
    image_box = box_masks_at_stride(box, (28, 28), stride=4)
    expected = pairwise_affinity_loss(
        mask_preds[:1, 2:3], frame_lab[None], image_box[None], dilation=3)
    torch.testing.assert_close(losses['loss_mask']['loss_pair'], expected)
    assert expected > 0


def test_a_checkerboard_of_the_deconvolution_phases_costs():
    """mmdet's head upsamples by a stride-2 deconvolution: one phase (even
    rows, odd columns) off and the others on fits the box's projections.
    Neighbours 2 cells apart (the published dilation) share a phase and
    see nothing wrong; the head's 3-cell neighbours do."""
    box = torch.tensor([[0.0, 0.0, 112.0, 112.0]])
    gt = _ground_truth(box, torch.tensor([0]), torch.full((3, 28, 28), 50.0))
    mask_preds = torch.full((1, NUM_CLASSES, 28, 28), 20.0)
    mask_preds[0, 0, 0::2, 1::2] = -20.0
    dilated = _head(
        loss_pair=dict(
            type='PairwiseAffinityLoss', dilation=2, loss_weight=1.0))
    losses = [
        _losses(head, mask_preds, box, gt, torch.tensor([0]), 28)['loss_mask']
        for head in (dilated, _head())
    ]
    assert all(item['loss_proj'] < 1e-4 for item in losses)
    assert losses[0]['loss_pair'] < 1e-6
    # every neighbour of an off cell is on: 20 nats a pair, for about
    # half of the pairs
    assert losses[1]['loss_pair'] > 8


def test_losses_pool_over_the_rois_of_all_images():
    generator = torch.Generator().manual_seed(2)
    boxes = torch.tensor([[4.0, 4.0, 60.0, 40.0], [30.0, 10.0, 90.0, 80.0]])
    gt = _ground_truth(boxes, torch.tensor([0, 2]),
                       50 + torch.randn(3, 24, 24, generator=generator))
    rois = boxes + torch.tensor([[2.0, -3.0, 1.0, 4.0], [-5, 2, 3, 1]])
    assigned = torch.tensor([0, 1])
    mask_preds = torch.randn(2, NUM_CLASSES, 28, 28, generator=generator)
    head = _head(loss_pair=dict(type='PairwiseAffinityLoss', loss_weight=2.0))
    together = _losses(head, mask_preds, rois, gt, assigned, 28)['loss_mask']
    alone = [
        _losses(head, mask_preds[[i]], rois[[i]], gt, assigned[[i]],
                28)['loss_mask'] for i in range(2)
    ]
    # projection: the mean over RoIs
    torch.testing.assert_close(
        together['loss_proj'],
        (alone[0]['loss_proj'] + alone[1]['loss_proj']) / 2)
    # pairwise: pooled, between the two RoIs' values
    low, high = sorted(item['loss_pair'].item() for item in alone)
    assert low < together['loss_pair'].item() < high


def test_each_roi_is_scored_on_its_class_channel():
    head = _head()
    box = torch.tensor([[0.0, 0.0, 56.0, 56.0]])
    gt = _ground_truth(box, torch.tensor([2]), torch.zeros(3, 14, 14))
    mask_preds = torch.full((1, NUM_CLASSES, 28, 28), -20.0)
    mask_preds[0, 2] = 20.0  # the box, filled, in the class's channel
    losses = _losses(head, mask_preds, box, gt, torch.tensor([0]), 28)
    assert losses['loss_mask']['loss_proj'] < 1e-4
    agnostic = _head(class_agnostic=True)
    losses = _losses(agnostic, mask_preds[:, :1], box, gt, torch.tensor([0]),
                     28)
    assert losses['loss_mask']['loss_proj'] > 1.9


def test_targets_are_the_boxes_on_the_roi_grids():
    head = _head()
    box = torch.tensor([[0.0, 0.0, 56.0, 56.0]])
    gt = _ground_truth(box, torch.tensor([0]), torch.zeros(3, 28, 28))
    roi = torch.tensor([[0.0, 0.0, 112.0, 112.0]])
    targets = _losses(head, torch.zeros(1, NUM_CLASSES, 28, 28), roi, gt,
                      torch.tensor([0]), 28)['mask_targets']
    expected = torch.zeros(1, 28, 28)
    expected[0, :14, :14] = 1
    assert torch.equal(targets, expected)


def test_no_positive_roi_gives_zero_losses_in_the_graph():
    head = _head()
    gt = _ground_truth(
        torch.zeros(0, 4), torch.zeros(0, dtype=torch.long),
        torch.zeros(3, 8, 8))
    mask_preds = torch.zeros(0, NUM_CLASSES, 28, 28, requires_grad=True)
    losses = _losses(head, mask_preds, torch.zeros(0, 4), gt,
                     torch.zeros(0, dtype=torch.long), 28)['loss_mask']
    assert set(losses) == {'loss_proj', 'loss_pair'}
    for value in losses.values():
        assert value.item() == 0 and value.requires_grad


def test_mask_size_must_match_the_predictions():
    head = _head()
    box = torch.tensor([[0.0, 0.0, 56.0, 56.0]])
    gt = _ground_truth(box, torch.tensor([0]), torch.zeros(3, 14, 14))
    with pytest.raises(ValueError, match='mask_size is 14 but .* 28'):
        _losses(head, torch.zeros(1, NUM_CLASSES, 28, 28), box, gt,
                torch.tensor([0]), 14)


def test_without_the_lab_frame_the_error_names_the_preprocessor():
    head = _head()
    box = torch.tensor([[0.0, 0.0, 56.0, 56.0]])
    gt = InstanceData(bboxes=box, labels=torch.tensor([0]))
    result = _sampling_result(box, box, torch.tensor([0]), gt.labels)
    with pytest.raises(KeyError, match='BoxDetDataPreprocessor'):
        head.loss_and_target(
            torch.zeros(1, NUM_CLASSES, 28, 28), [result], [gt],
            ConfigDict(mask_size=28))


def test_non_finite_logits_stop_training():
    head = _head()
    box = torch.tensor([[0.0, 0.0, 56.0, 56.0]])
    gt = _ground_truth(box, torch.tensor([0]), torch.zeros(3, 14, 14))
    mask_preds = torch.full((1, NUM_CLASSES, 28, 28), float('nan'))
    with pytest.raises(NonFiniteLossError, match='1 positive RoIs'):
        _losses(head, mask_preds, box, gt, torch.tensor([0]), 28)
