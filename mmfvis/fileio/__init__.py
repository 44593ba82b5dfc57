from .atomic_local_backend import (INCOMPLETE_SUFFIX, AtomicLocalBackend,
                                   sync_folder, write_file_atomically)
from .checkpoint_integrity import (checkpoint_problem,
                                   newest_complete_checkpoint)
from .json_files import dump_json_atomically, json_chunks

__all__ = [
    'INCOMPLETE_SUFFIX', 'AtomicLocalBackend', 'checkpoint_problem',
    'dump_json_atomically', 'json_chunks', 'newest_complete_checkpoint',
    'sync_folder', 'write_file_atomically'
]
