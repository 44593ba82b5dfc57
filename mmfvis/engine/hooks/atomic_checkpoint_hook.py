"""Checkpoints that a killed or crashed training never leaves half-written.
"""
import logging
import os
import os.path as osp
import shutil
import tempfile
from typing import Optional

from mmengine.dist import barrier, is_main_process
from mmengine.hooks import CheckpointHook
from mmengine.logging import print_log
from mmengine.registry import HOOKS

from ...fileio import (INCOMPLETE_SUFFIX, checkpoint_problem,
                       newest_complete_checkpoint, sync_folder,
                       write_file_atomically)

__all__ = ['AtomicCheckpointHook']

POINTER = 'last_checkpoint'  # mmengine's file naming the latest checkpoint


class _RunnerWithWorkDir:
    """The runner, seen with another ``work_dir``.

    mmengine's ``CheckpointHook`` writes ``<work_dir>/last_checkpoint``
    with a plain ``open``: a process killed during that write leaves the
    pointer empty. Handed this view, the hook writes it into a staging
    folder instead, from which it is moved into place atomically.
    """

    def __init__(self, runner, work_dir: str):
        self._runner = runner
        self.work_dir = work_dir

    def __getattr__(self, name):
        return getattr(self._runner, name)


def _is_local(path: str) -> bool:
    return '://' not in path


@HOOKS.register_module()
class AtomicCheckpointHook(CheckpointHook):
    """mmengine's ``CheckpointHook``, safe against kills and crashes.

    - Each checkpoint and the ``last_checkpoint`` pointer are written to a
      temporary file, synced to disk and renamed into place
      (``os.replace``): whenever the process dies, the newest checkpoint
      the pointer names is complete. Applies to a local ``out_dir`` when
      no ``backend_args`` / ``file_client_args`` are given.
    - ``max_keep_ckpts`` removes the oldest checkpoint after the new one
      is written, not before as mmengine does: a save cut short never
      leaves fewer complete checkpoints than were kept.
    - When training resumes automatically (``--resume`` without a path),
      the checkpoint the pointer names is checked first (see
      :func:`checkpoint_problem`). If it is incomplete or missing, or the
      pointer is missing or empty while checkpoints exist, the pointer is
      set to the newest complete checkpoint, with a warning naming the
      file passed over. Leftover temporary files are removed.

    ``tools/train.py`` and ``tools/test.py`` use it in place of
    ``CheckpointHook``; a config can name it in ``default_hooks``.

    Args:
        max_keep_ckpts (int): as ``CheckpointHook``'s.
        **kwargs: the other arguments of ``CheckpointHook``.
    """

    def __init__(self, *args, max_keep_ckpts: int = -1, **kwargs):
        # mmengine deletes the oldest checkpoint before writing a new one
        # once it holds max_keep_ckpts; allowed one more, it never does, and
        # _remove_surplus_checkpoints deletes after the write instead
        allowed = max_keep_ckpts + 1 if max_keep_ckpts > 0 else max_keep_ckpts
        super().__init__(*args, max_keep_ckpts=allowed, **kwargs)
        self.checkpoints_to_keep = max_keep_ckpts

    def _checkpoint_folder(self, runner) -> str:
        """``out_dir`` as mmengine's hook resolves it in ``before_train``.
        """
        if self.out_dir is None or self.out_dir == runner.work_dir:
            return runner.work_dir
        return osp.join(self.out_dir,
                        osp.basename(runner.work_dir.rstrip(osp.sep)))

    def before_run(self, runner) -> None:
        super().before_run(runner)
        # the runner's own flags: resume set, no checkpoint path given
        if getattr(runner, '_resume', False) and getattr(
                runner, '_load_from', None) is None:
            if is_main_process():
                self._repair_pointer(runner)
            barrier()

    def _repair_pointer(self, runner) -> None:
        """Point ``last_checkpoint`` at the newest complete checkpoint."""
        folder = self._checkpoint_folder(runner)
        pointer = osp.join(runner.work_dir, POINTER)
        if not _is_local(folder):
            return
        named = _read_pointer(pointer)
        problem = 'missing' if named is None else checkpoint_problem(named)
        if named is not None and problem is None:
            return
        newest = newest_complete_checkpoint(folder, self.filename_tmpl)
        passed_over = f'{pointer} names {named!r}, which is {problem}' \
            if named is not None else f'{pointer} is missing or empty'
        if newest is None:
            if named is None:
                return  # nothing to resume: mmengine starts afresh
            raise FileNotFoundError(
                f'cannot resume: {passed_over}, and {folder} holds no '
                'complete checkpoint; train without --resume to start afresh')
        write_file_atomically(pointer, newest.encode())
        print_log(
            f'{passed_over}: resuming from {newest}, the newest complete '
            'checkpoint',
            logger='current',
            level=logging.WARNING)

    def before_train(self, runner) -> None:
        folder = self._checkpoint_folder(runner)
        if self.backend_args is None and self.file_client_args is None \
                and _is_local(folder):
            self.backend_args = dict(backend='atomic_local')
        super().before_train(runner)
        if is_main_process() and _is_local(folder):
            _remove_leftovers(folder, runner.work_dir)

    def _save_checkpoint_with_step(self, runner, step, meta) -> None:
        if not is_main_process():
            super()._save_checkpoint_with_step(runner, step, meta)
            return
        staging = tempfile.mkdtemp(
            prefix=f'.{POINTER}.',
            suffix=INCOMPLETE_SUFFIX,
            dir=runner.work_dir)
        try:
            super()._save_checkpoint_with_step(
                _RunnerWithWorkDir(runner, staging), step, meta)
            _move_into_place(
                osp.join(staging, POINTER), osp.join(runner.work_dir, POINTER))
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        self._remove_surplus_checkpoints(runner)

    def _remove_surplus_checkpoints(self, runner) -> None:
        """Delete the oldest checkpoints beyond ``checkpoints_to_keep``."""
        if self.checkpoints_to_keep <= 0:
            return
        while len(self.keep_ckpt_ids) > self.checkpoints_to_keep:
            step = self.keep_ckpt_ids.popleft()
            path = self.file_backend.join_path(self.out_dir,
                                               self.filename_tmpl.format(step))
            if self.file_backend.isfile(path):
                self.file_backend.remove(path)
        runner.message_hub.update_info('keep_ckpt_ids',
                                       list(self.keep_ckpt_ids))


def _read_pointer(pointer: str) -> Optional[str]:
    if not osp.isfile(pointer):
        return None
    with open(pointer) as file:
        return file.read().strip() or None


def _move_into_place(staged: str, final: str) -> None:
    """Rename a written file over ``final``, synced, if it was written."""
    if not osp.isfile(staged):
        return
    with open(staged, 'rb') as file:
        os.fsync(file.fileno())
    os.replace(staged, final)
    sync_folder(osp.dirname(final))


def _remove_leftovers(*folders: str) -> None:
    """Delete temporary files of writes a killed process left behind."""
    for folder in dict.fromkeys(folders):
        if not osp.isdir(folder):
            continue
        for name in os.listdir(folder):
            if name.startswith('.') and name.endswith(INCOMPLETE_SUFFIX):
                path = osp.join(folder, name)
                if osp.isdir(path):
                    shutil.rmtree(path, ignore_errors=True)
                else:
                    os.remove(path)
                print_log(
                    f'removed {path}, left by a write that did not finish',
                    logger='current')
