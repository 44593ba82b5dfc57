"""Fixes for the pinned OpenMMLab stack on current torch and NumPy.

Applied once, on ``import mmfvis``; each is scoped to the code it mends.

- torch >= 2.6 loads checkpoints with ``weights_only=True``, which refuses
  the mmengine objects inside mmengine's own checkpoints (the message hub's
  ``HistoryBuffer``, NumPy arrays): resume and ``load_from`` failed. Local
  checkpoints now load with torch's safe unpickler and exactly those types
  allowed, no more.
- mmdet 3.3's YouTube-VIS evaluator calls ``np.float``, removed in NumPy
  1.24: that module alone sees a NumPy whose ``float`` is the builtin, which
  is what the alias always was.
"""
import os.path as osp
import pickle
import types

import numpy as np
import torch
from mmengine.logging import HistoryBuffer
from mmengine.runner import CheckpointLoader

__all__ = ['load_local_checkpoint', 'mmengine_checkpoint_globals']


def _numpy_multiarray():
    return getattr(np, '_core', None) or np.core


def mmengine_checkpoint_globals() -> list:
    """The non-tensor types that mmengine writes into its checkpoints.

    ``getattr`` is there because a ``HistoryBuffer`` pickles its table of
    statistics methods as ``getattr(HistoryBuffer, name)``. NumPy's array
    helpers are listed under both module names (``numpy.core`` before 2.0,
    ``numpy._core`` since) so checkpoints written with either load.
    """
    multiarray = _numpy_multiarray().multiarray
    dtype_classes = {type(np.dtype(t)) for t in np.sctypeDict.values()}
    aliased = []
    for name in ('_reconstruct', 'scalar'):
        function = getattr(multiarray, name)
        aliased += [(function, f'numpy.core.multiarray.{name}'),
                    (function, f'numpy._core.multiarray.{name}')]
    return [
        HistoryBuffer, getattr, np.ndarray, np.dtype, *dtype_classes, *aliased
    ]


def load_local_checkpoint(filename: str, map_location=None) -> dict:
    """Load a local checkpoint with torch's weights-only unpickler.

    Raises:
        FileNotFoundError: no file at ``filename``.
        pickle.UnpicklingError: the file holds a type that is not among
            :func:`mmengine_checkpoint_globals`; the message names the file.
    """
    if not osp.isfile(filename):
        raise FileNotFoundError(f'{filename} can not be found.')
    with torch.serialization.safe_globals(mmengine_checkpoint_globals()):
        try:
            return torch.load(
                filename, map_location=map_location, weights_only=True)
        except pickle.UnpicklingError as error:
            raise pickle.UnpicklingError(
                f'{filename} holds objects outside the types mmengine '
                'writes. If you trust this file, allow them with '
                'torch.serialization.add_safe_globals([...]) before '
                f'loading it. torch said: {error}') from error


def _patch_checkpoint_loading() -> None:
    # torch < 2.6 still unpickles everything by default: nothing to mend.
    if not hasattr(torch.serialization, 'safe_globals'):
        return
    CheckpointLoader.register_scheme(
        prefixes='', loader=load_local_checkpoint, force=True)


class _NumpyWithFloatAlias(types.ModuleType):
    """NumPy, plus the ``np.float`` alias of the builtin ``float``."""
    float = float

    def __init__(self):
        super().__init__('numpy')

    def __getattr__(self, name):
        return getattr(np, name)


def _patch_youtube_vis_eval() -> None:
    from mmdet.evaluation.functional import ytviseval
    if not hasattr(np, 'float'):
        ytviseval.np = _NumpyWithFloatAlias()


_patch_checkpoint_loading()
_patch_youtube_vis_eval()
