"""Local files written whole or not at all."""
import os
import os.path as osp
import secrets
from pathlib import Path
from typing import BinaryIO, Iterable, Union

from mmengine.fileio import LocalBackend, register_backend

__all__ = [
    'INCOMPLETE_SUFFIX', 'AtomicLocalBackend', 'sync_folder',
    'write_file_atomically'
]

# Names a file still being written: '.<name>.<pid>.<token>.incomplete'.
INCOMPLETE_SUFFIX = '.incomplete'


def _write_synced(file: BinaryIO, data: Union[bytes, Iterable[bytes]]) -> None:
    """Write ``data`` (bytes, or chunks of them) and wait until it is on
    the disk."""
    for chunk in [data] if isinstance(data, bytes) else data:
        file.write(chunk)
    file.flush()
    os.fsync(file.fileno())


def sync_folder(folder: str) -> None:
    """Make the folder's entries (a rename into it) survive a crash."""
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def write_file_atomically(path: Union[str, Path],
                          data: Union[bytes, Iterable[bytes]]) -> None:
    """Write ``data`` to ``path`` so that ``path`` is never partly written.

    ``data`` may be an iterable of byte chunks, written as they come, so
    that a large file is never held whole in memory.

    The bytes go to a temporary file beside ``path`` (hidden, ending in
    :data:`INCOMPLETE_SUFFIX`), are synced to disk, and the file is then
    renamed to ``path`` with ``os.replace``, which is atomic on POSIX: a
    process killed at any point leaves either the old ``path`` (or none)
    or the new one complete, plus at most a stray temporary file. The
    folder is synced last so that the rename survives a power loss.
    """
    path = osp.abspath(path)
    folder = osp.dirname(path)
    os.makedirs(folder, exist_ok=True)
    temporary = osp.join(
        folder, f'.{osp.basename(path)}.{os.getpid()}.'
        f'{secrets.token_hex(4)}{INCOMPLETE_SUFFIX}')
    try:
        # os.open with mode 0o666 keeps the usual umask-given permissions
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL,
                             0o666)
        with os.fdopen(descriptor, 'wb') as file:
            _write_synced(file, data)
        os.replace(temporary, path)
    except BaseException:
        if osp.exists(temporary):
            os.remove(temporary)
        raise
    sync_folder(folder)


@register_backend('atomic_local')
class AtomicLocalBackend(LocalBackend):
    """mmengine's local file backend, writing with
    :func:`write_file_atomically`.

    Used by :class:`AtomicCheckpointHook` for checkpoints, through
    ``backend_args=dict(backend='atomic_local')``.
    """

    def put(self, obj: bytes, filepath: Union[str, Path]) -> None:
        write_file_atomically(filepath, obj)

    def put_text(self,
                 obj: str,
                 filepath: Union[str, Path],
                 encoding: str = 'utf-8') -> None:
        write_file_atomically(filepath, obj.encode(encoding))
