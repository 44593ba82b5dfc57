"""mmfvis works from a fresh interpreter, as mmdet's tools would load it."""
import json
import os.path as osp
import re
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


# Every registered module of mmfvis, by registry: what `import mmfvis`
# alone must make buildable by name.
REGISTERED = {
    'mmdet.registry.MODELS': [
        'BoxSupervisedMask2FormerTrackHead', 'BoxSupervisedMask2FormerHead',
        'BoxVISDataPreprocessor', 'BoxDetDataPreprocessor',
        'BoxProjectionLoss', 'PairwiseAffinityLoss', 'TemporalKNNPatchLoss'
    ],
    'mmdet.registry.DATASETS': [
        'CheckedVideoDataset', 'CheckedYouTubeVISDataset', 'ShapesVISDataset',
        'ShapesCocoDataset'
    ],
    'mmdet.registry.TRANSFORMS':
    ['ClipFrameSample', 'ImageToPseudoClip', 'LoadFrameFromFile'],
    'mmdet.registry.METRICS': ['YouTubeVISMaskMetric'],
    'mmdet.registry.HOOKS': ['VISVisualizationHook'],
    'mmdet.registry.VISUALIZERS': ['VISLocalVisualizer'],
    'mmengine.registry.HOOKS':
    ['AtomicCheckpointHook', 'TrainProgressBarHook'],
    'mmengine.registry.RUNNERS': ['BoxSupervisedRunner'],
}

IMPORT_ONLY = f"""
import importlib, json
import mmfvis
from mmengine.fileio import get_file_backend
found = {{}}
for path, names in {REGISTERED!r}.items():
    module, registry = path.rsplit('.', 1)
    registry = getattr(importlib.import_module(module), registry)
    found[path] = [getattr(registry.get(name), '__module__', None)
                   for name in names]
backend = get_file_backend(backend_args=dict(backend='atomic_local'))
print(json.dumps(dict(version=mmfvis.__version__, modules=found,
                      backend=type(backend).__name__)))
"""


def test_import_registers_every_module_and_reports_the_version():
    result = subprocess.run([sys.executable, '-c', IMPORT_ONLY],
                            cwd=REPO_ROOT,
                            capture_output=True,
                            text=True,
                            timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    reported = json.loads(result.stdout.splitlines()[-1])
    for path, modules in reported['modules'].items():
        unregistered = [
            name for name, module in zip(REGISTERED[path], modules)
            if not (module or '').startswith('mmfvis.')
        ]
        assert not unregistered, f'{path}: {unregistered}'
    assert reported['backend'] == 'AtomicLocalBackend'
    with open(osp.join(REPO_ROOT, 'mmfvis', 'version.py')) as file:
        written = re.fullmatch(r"__version__ = '([^']+)'\n", file.read())
    assert reported['version'] == written.group(1)
    assert re.fullmatch(r'\d+\.\d+\.\d+', reported['version'])
