import os

import pytest
from mmengine.fileio import get_file_backend

from mmfvis.fileio import (AtomicLocalBackend, atomic_local_backend,
                           write_file_atomically)


def test_writes_and_replaces_whole_files(tmp_path):
    path = tmp_path / 'sub' / 'file.bin'
    write_file_atomically(path, b'first')
    write_file_atomically(path, b'second')
    assert path.read_bytes() == b'second'
    assert os.listdir(tmp_path / 'sub') == ['file.bin']


def test_permissions_follow_the_umask(tmp_path):
    path = tmp_path / 'file.bin'
    write_file_atomically(path, b'x')
    umask = os.umask(0)
    os.umask(umask)
    assert path.stat().st_mode & 0o777 == 0o666 & ~umask


def test_a_write_cut_short_leaves_the_old_file_and_no_temporary(
        tmp_path, monkeypatch):
    path = tmp_path / 'iter_8.pth'
    write_file_atomically(path, b'complete old checkpoint')

    def write_half_then_fail(file, data):
        file.write(data[:len(data) // 2])
        raise OSError('disk full')

    monkeypatch.setattr(atomic_local_backend, '_write_synced',
                        write_half_then_fail)
    with pytest.raises(OSError, match='disk full'):
        write_file_atomically(path, b'new checkpoint, never complete')
    assert path.read_bytes() == b'complete old checkpoint'
    assert os.listdir(tmp_path) == ['iter_8.pth']


def test_backend_is_found_by_name_and_writes_atomically(tmp_path):
    backend = get_file_backend(
        str(tmp_path), backend_args=dict(backend='atomic_local'))
    assert isinstance(backend, AtomicLocalBackend)
    backend.put(b'bytes', tmp_path / 'a.bin')
    backend.put_text('text', tmp_path / 'b.txt')
    assert backend.get(tmp_path / 'a.bin') == b'bytes'
    assert backend.get_text(tmp_path / 'b.txt') == 'text'
