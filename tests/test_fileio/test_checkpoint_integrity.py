import os
import zipfile

import torch

from mmfvis.fileio import checkpoint_problem, newest_complete_checkpoint


def save(path, step):
    torch.save(dict(meta=dict(iter=step), state_dict=torch.ones(100)), path)


def test_a_saved_checkpoint_is_complete(tmp_path):
    save(tmp_path / 'iter_4.pth', 4)
    assert checkpoint_problem(str(tmp_path / 'iter_4.pth')) is None


def test_truncated_empty_missing_and_foreign_files_are_named(tmp_path):
    save(tmp_path / 'full.pth', 4)
    data = (tmp_path / 'full.pth').read_bytes()
    for cut in (len(data) - 1, len(data) // 2, 10):
        (tmp_path / 'cut.pth').write_bytes(data[:cut])
        assert checkpoint_problem(
            str(tmp_path /
                'cut.pth')).startswith('incomplete (truncated or corrupt')
    (tmp_path / 'empty.pth').write_bytes(b'')
    assert checkpoint_problem(str(tmp_path / 'empty.pth')) == 'empty'
    assert checkpoint_problem(str(tmp_path / 'none.pth')) == 'missing'
    with zipfile.ZipFile(tmp_path / 'other.pth', 'w') as archive:
        archive.writestr('readme.txt', 'hello')
    assert 'no data.pkl' in checkpoint_problem(str(tmp_path / 'other.pth'))


def test_newest_complete_checkpoint_passes_over_a_truncated_newer_one(
        tmp_path):
    for step in (4, 8, 12):
        save(tmp_path / f'iter_{step}.pth', step)
    data = (tmp_path / 'iter_12.pth').read_bytes()
    (tmp_path / 'iter_12.pth').write_bytes(data[:len(data) // 3])
    (tmp_path / 'best_iter_20.pth').write_bytes(data)  # not a step file
    assert newest_complete_checkpoint(str(tmp_path)) == str(tmp_path /
                                                            'iter_8.pth')
    assert newest_complete_checkpoint(str(tmp_path), 'epoch_{}.pth') is None
    os.remove(tmp_path / 'iter_4.pth')
    os.remove(tmp_path / 'iter_8.pth')
    assert newest_complete_checkpoint(str(tmp_path)) is None
    assert newest_complete_checkpoint(str(tmp_path / 'no_such_dir')) is None
