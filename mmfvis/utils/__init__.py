from .runner_config import (DictAction, add_cfg_options_argument,
                            add_runner_arguments, end_process_group,
                            load_runner_config, use_atomic_checkpoints)

__all__ = [
    'DictAction', 'add_cfg_options_argument', 'add_runner_arguments',
    'end_process_group', 'load_runner_config', 'use_atomic_checkpoints'
]
