"""The compatibility fixes of mmfvis.compat, each against its failure."""
import os
import pickle

import numpy as np
import pytest
import torch
from mmengine.logging import MessageHub
from mmengine.runner.checkpoint import _load_checkpoint

import mmfvis  # noqa: F401  applies the fixes


def _save_mmengine_style_checkpoint(path):
    """What mmengine's Runner writes: a message hub with history buffers
    and NumPy values beside the weights."""
    hub = MessageHub.get_instance('test_compat')
    for value in (1.5, 2.5):
        hub.update_scalar('train/loss', value)
    hub.update_info('iter', np.int64(7))
    checkpoint = dict(
        meta=dict(iter=7, seed=np.int64(3)),
        state_dict=dict(weight=torch.arange(4.)),
        message_hub=hub.state_dict())
    torch.save(checkpoint, path)


def test_mmengine_checkpoint_needs_the_fix(tmp_path):
    path = str(tmp_path / 'iter_7.pth')
    _save_mmengine_style_checkpoint(path)
    # torch >= 2.6 alone refuses mmengine's objects...
    with pytest.raises(pickle.UnpicklingError):
        torch.load(path)
    # ...mmengine's loader, as mmfvis patches it, reads them back.
    checkpoint = _load_checkpoint(path, map_location='cpu')
    assert checkpoint['meta']['iter'] == 7
    assert torch.equal(checkpoint['state_dict']['weight'], torch.arange(4.))
    hub = MessageHub.get_instance('test_compat_resumed')
    hub.load_state_dict(checkpoint['message_hub'])
    assert hub.get_scalar('train/loss').current() == 2.5
    assert hub.get_info('iter') == 7


class _RunsCode:

    def __reduce__(self):
        return (os.system, ('true', ))


def test_checkpoint_with_foreign_objects_is_refused(tmp_path):
    path = str(tmp_path / 'evil.pth')
    torch.save(dict(state_dict={}, payload=_RunsCode()), path)
    with pytest.raises(pickle.UnpicklingError, match='evil.pth'):
        _load_checkpoint(path, map_location='cpu')


def test_missing_checkpoint_names_the_file(tmp_path):
    with pytest.raises(FileNotFoundError, match='nothing.pth'):
        _load_checkpoint(str(tmp_path / 'nothing.pth'))


def _one_video_ytvis(masks_by_frame):
    from pycocotools import mask as mask_utils
    segmentations = []
    for mask in masks_by_frame:
        rle = mask_utils.encode(np.asfortranarray(mask.astype(np.uint8)))
        rle['counts'] = rle['counts'].decode()
        segmentations.append(rle)
    return segmentations


def test_youtube_vis_eval_runs_on_numpy_without_float_alias():
    from mmdet.evaluation.functional import YTVIS, YTVISeval
    assert not hasattr(np, 'float'), 'this NumPy still has np.float'
    masks = [np.zeros((20, 30), bool) for _ in range(2)]
    masks[0][2:10, 3:12] = True
    masks[1][4:12, 5:14] = True
    segmentations = _one_video_ytvis(masks)
    gt = dict(
        videos=[dict(id=1, width=30, height=20, length=2)],
        categories=[dict(id=1, name='thing')],
        annotations=[
            dict(
                id=1,
                video_id=1,
                category_id=1,
                iscrowd=0,
                segmentations=segmentations,
                areas=[72, 72],
                bboxes=[[3, 2, 9, 8], [5, 4, 9, 8]],
                width=30,
                height=20)
        ])
    predictions = [
        dict(
            video_id=1, category_id=1, score=0.9, segmentations=segmentations)
    ]
    ytvis = YTVIS(gt)
    evaluator = YTVISeval(ytvis, ytvis.loadRes(predictions), 'segm')
    evaluator.evaluate()
    evaluator.accumulate()
    evaluator.summarize()
    assert evaluator.stats[0] == pytest.approx(1.0)
