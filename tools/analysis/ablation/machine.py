"""What a benchmark ran on, in words."""
import os
import os.path as osp
import platform


def cpu_model() -> str:
    """The CPU's model name (``/proc/cpuinfo``), else the platform's."""
    model = platform.processor() or platform.machine()
    if osp.isfile('/proc/cpuinfo'):
        with open('/proc/cpuinfo') as f:
            names = [
                line.split(':', 1)[1].strip() for line in f
                if line.startswith('model name')
            ]
        model = names[0] if names else model
    return model


def machine() -> str:
    """CPU model and count, torch version, and the GPU the runs take."""
    import torch
    gpu = (f', GPU {torch.cuda.get_device_name()}'
           if torch.cuda.is_available() else '')
    return (f'{os.cpu_count()} CPU cores ({cpu_model()}), Python '
            f'{platform.python_version()}, torch {torch.__version__}{gpu}')
