"""Is a checkpoint file complete? Which is the newest complete one?"""
import os
import os.path as osp
import re
import zipfile
from typing import Optional

__all__ = ['checkpoint_problem', 'newest_complete_checkpoint']


def checkpoint_problem(path: str) -> Optional[str]:
    """Why ``path`` is not a complete checkpoint, or None when it is.

    ``torch.save`` writes a zip archive whose directory is at its very end:
    a file cut short at any point has none. Reads only that directory, not
    the tensors.
    """
    if not osp.isfile(path):
        return 'missing'
    if osp.getsize(path) == 0:
        return 'empty'
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError) as error:
        return f'incomplete (truncated or corrupt: {error})'
    if not any(name.split('/')[-1] == 'data.pkl' for name in names):
        return 'not a torch checkpoint (no data.pkl in the archive)'
    return None


def newest_complete_checkpoint(folder: str,
                               filename_tmpl: str = 'iter_{}.pth'
                               ) -> Optional[str]:
    """The complete checkpoint of the highest step in ``folder``.

    Args:
        folder (str): where the checkpoints are.
        filename_tmpl (str): their names, ``{}`` standing for the step
            (mmengine's ``CheckpointHook.filename_tmpl``).

    Returns:
        str | None: its path, or None without any complete one.
    """
    if not osp.isdir(folder):
        return None
    pattern = re.compile(
        re.escape(filename_tmpl).replace(re.escape('{}'), r'(\d+)') + '$')
    steps = sorted(((int(match.group(1)), name) for name in os.listdir(folder)
                    for match in [pattern.match(name)] if match),
                   reverse=True)
    for _, name in steps:
        path = osp.join(folder, name)
        if checkpoint_problem(path) is None:
            return path
    return None
