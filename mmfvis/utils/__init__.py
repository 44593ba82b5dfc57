from .runner_config import (DictAction, load_runner_config,
                            use_atomic_checkpoints)

__all__ = ['DictAction', 'load_runner_config', 'use_atomic_checkpoints']
