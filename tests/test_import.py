"""mmfvis works from a fresh interpreter, as mmdet's tools would load it."""
import subprocess
import sys

from .paths import REPO_ROOT, TINY_CONFIG

FRESH_BUILD = f"""
from mmengine.config import Config
cfg = Config.fromfile({TINY_CONFIG!r})  # imports mmfvis via custom_imports
from mmdet.registry import DATASETS, MODELS
from mmdet.utils import register_all_modules
register_all_modules()
model = MODELS.build(cfg.model)
dataset_cls = DATASETS.get(cfg.train_dataloader.dataset.type)
print(type(model).__name__, type(model.track_head).__name__,
      dataset_cls.__module__)
"""


def test_config_naming_mmfvis_modules_builds_in_fresh_interpreter():
    result = subprocess.run([sys.executable, '-c', FRESH_BUILD],
                            cwd=REPO_ROOT,
                            capture_output=True,
                            text=True,
                            timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    model, head, dataset_module = result.stdout.split()[-3:]
    assert model == 'Mask2FormerVideo'
    assert dataset_module.startswith('mmfvis.')


def test_import_registers_and_reports_version():
    result = subprocess.run(
        [sys.executable, '-c', 'import mmfvis; print(mmfvis.__version__)'],
        capture_output=True,
        text=True,
        timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip() == __import__('mmfvis').__version__
