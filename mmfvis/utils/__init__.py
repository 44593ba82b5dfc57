from .runner_config import DictAction, load_runner_config

__all__ = ['DictAction', 'load_runner_config']
