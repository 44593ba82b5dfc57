"""One run, in its own process: train and/or test, write metrics.json."""
import json
import os.path as osp
import time
from typing import Dict, List, Tuple

from .overrides import with_mask_quality
from .records import dump_json
from .specs import RunSpec


def loss_curves(log_dir: str) -> Dict[str, List[Tuple[int, float]]]:
    """The last decoder layer's logged loss terms (``loss_*``), as
    (iteration, value) lists, from mmengine's ``vis_data/scalars.json``."""
    scalars = osp.join(log_dir, 'vis_data', 'scalars.json')
    curves: Dict[str, list] = {}
    if not osp.isfile(scalars):
        return curves
    with open(scalars) as f:
        for line in f:
            entry = json.loads(line)
            if 'loss' not in entry:  # a test-time entry
                continue
            for key, value in entry.items():
                if key.startswith('loss_'):
                    curves.setdefault(key, []).append((entry['iter'], value))
    return curves


def count_masks(dataset) -> int:
    """Annotations holding a mask in a loaded mmdet video dataset."""
    return sum('mask' in instance for index in range(len(dataset))
               for frame in dataset.get_data_info(index)['images']
               for instance in frame['instances'])


def _timed(step) -> tuple:
    """(what ``step()`` returns, wall seconds, CPU seconds)."""
    start, cpu = time.perf_counter(), time.process_time()
    result = step()
    return result, time.perf_counter() - start, time.process_time() - cpu


def work(config: str, spec: RunSpec, out_dir: str, threads: int) -> None:
    """One run, in this process: train and/or test, write metrics.json.

    The test evaluates the config's metric and DAVIS J, F and J&F per
    track (:func:`with_mask_quality`). Besides the metrics, it records the
    seconds spent (wall and CPU: on a machine shared with other work the
    wall time grows, the CPU time much less), the logged loss curves, and
    how many of the training annotations hold a mask (0 for a run that
    learns from boxes only).
    """
    import torch
    from mmengine.registry import RUNNERS

    import mmfvis  # noqa: F401
    from mmfvis.utils import load_runner_config
    torch.set_num_threads(threads)
    cfg = load_runner_config(
        config, dict(spec.options, randomness=dict(seed=spec.seed)), out_dir)
    # evaluated once, by runner.test() below
    cfg.val_cfg = cfg.val_dataloader = cfg.val_evaluator = None
    cfg.test_evaluator = with_mask_quality(cfg.test_evaluator)
    runner = RUNNERS.build(cfg)
    metrics = dict(seed=spec.seed, threads=threads)
    if spec.train:
        dataset = runner.train_loop.dataloader.dataset
        metrics.update(
            train_videos=len(dataset),
            train_annotations_with_mask=count_masks(dataset),
            iters=runner.max_iters)
        _, metrics['train_seconds'], metrics['train_cpu_seconds'] = _timed(
            runner.train)
        metrics['curves'] = loss_curves(runner.log_dir)
    if spec.test:
        results, metrics['test_seconds'], metrics['test_cpu_seconds'] = \
            _timed(runner.test)
        metrics.update({k.split('/')[-1]: v for k, v in results.items()})
        dataset = runner.test_loop.dataloader.dataset
        metrics['test_videos'] = len(dataset)
        metrics['test_frames'] = sum(
            dataset.get_data_info(i)['video_length']
            for i in range(len(dataset)))
    dump_json(metrics, osp.join(out_dir, 'metrics.json'))
