"""What the loss-ablation tools share (``davis_benchmark.py``,
``blobs_benchmark.py``): runs in subprocesses, resumed, recorded,
summarised and reported.

A benchmark is a list of *waves* of runs; a run may start from what an
earlier wave made (a checkpoint). Each run is one process, the tool itself
with its own arguments and ``--worker <run>``, which trains and/or tests
one config and writes ``<work_dir>/<run>/metrics.json``. A run is skipped
when its metrics.json exists or when the results file records it under the
same settings, so an interrupted benchmark resumes where it stopped, and on
another machine too once the results file is committed. After every run
the results file (json) and its markdown section are rewritten from all
the runs done.
"""
import copy
import functools
import hashlib
import json
import os
import os.path as osp
import shlex
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from typing import Callable, Dict, List, Optional, Sequence, Tuple

import mmengine
import numpy as np

METRICS = ('segm_mAP', 'segm_mAP_50', 'segm_mAP_75')
FILLED = 'ground-truth boxes, filled'
# the loss weights each box row sets to 0
BOX_ROWS = {
    'projection': ('loss_pair', 'loss_temp'),
    'boxinst': ('loss_temp', ),
    'maskfreevis': (),
}
MASKS = 'masks'
LABELS = {
    'projection': 'projection',
    'boxinst': 'projection + pairwise (BoxInst)',
    'maskfreevis': 'projection + pairwise + TK (MaskFreeVIS)',
    MASKS: 'mask supervision (upper bound)',
}


@dataclass
class RunSpec:
    """One run of a benchmark.

    Attributes:
        name (str): ``<row>/seed<k>``: its folder under the work directory
            and its key in the results file.
        row (str): the table row it belongs to.
        seed (int): ``randomness.seed``.
        options (dict): config overrides.
        train (bool): train before testing.
        test (bool): evaluate (mask AP) after training.
        checkpoint (str, optional): the file a later wave starts from;
            such a run is done when that file exists, and runs only when a
            later run needs it.
    """
    name: str
    row: str
    seed: int
    options: dict = field(default_factory=dict)
    train: bool = True
    test: bool = True
    checkpoint: Optional[str] = None


def run_name(row: str, seed: int) -> str:
    return f'{row}/seed{seed}'


def atomic_dump(obj, path: str) -> None:
    """Write json so that a kill never leaves half a file."""
    mmengine.mkdir_or_exist(osp.dirname(osp.abspath(path)))
    temporary = f'{path}.tmp{os.getpid()}'
    with open(temporary, 'w') as f:
        json.dump(obj, f, indent=1)
    os.replace(temporary, path)


class Records:
    """The runs done, as the results file (``<results>.json``) keeps them
    beside the work directory's metrics files.

    Both are tied to ``settings`` (everything that changes a run's
    figures): a results file or work directory made under other settings is
    refused, never mixed in.

    Args:
        path (str): the results json.
        work_dir (str): the benchmark's work directory.
        settings (dict): json-ready settings of this benchmark.
    """

    def __init__(self, path: str, work_dir: str, settings: dict):
        self.path, self.work_dir = path, work_dir
        self.settings = json.loads(json.dumps(settings))
        self.runs: Dict[str, dict] = {}
        self.baselines: Dict[str, dict] = {}
        # the command lines that ran runs, in order
        self.commands: List[str] = []
        if osp.isfile(path):
            saved = mmengine.load(path)
            self._check(saved.get('settings'), path, 'results file')
            self.runs.update(saved.get('runs', {}))
            self.baselines.update(saved.get('baselines', {}))
            self.commands.extend(saved.get('commands', []))
        settings_file = osp.join(work_dir, 'settings.json')
        if osp.isfile(settings_file):
            self._check(
                mmengine.load(settings_file), settings_file, 'work directory')
        else:
            atomic_dump(self.settings, settings_file)
        self.lock = threading.Lock()

    def _check(self, saved: Optional[dict], path: str, what: str) -> None:
        if saved == self.settings:
            return
        keys = sorted(set(saved or {}) | set(self.settings))
        differ = [
            f'{key}: {(saved or {}).get(key)!r} there, '
            f'{self.settings.get(key)!r} now' for key in keys
            if (saved or {}).get(key) != self.settings.get(key)
        ]
        raise SystemExit(f'{path}: this {what} holds runs of other '
                         f"settings ({'; '.join(differ)}): give another "
                         'one or remove it')

    def metrics_file(self, spec: RunSpec) -> str:
        return osp.join(self.work_dir, spec.name, 'metrics.json')

    def done(self, spec: RunSpec) -> bool:
        if spec.checkpoint is not None:
            return osp.isfile(spec.checkpoint)
        return spec.name in self.runs or osp.isfile(self.metrics_file(spec))

    def collect(self, spec: RunSpec) -> Optional[dict]:
        """The run's metrics, read into the records if its file exists."""
        if osp.isfile(self.metrics_file(spec)):
            self.runs[spec.name] = mmengine.load(self.metrics_file(spec))
        return self.runs.get(spec.name)

    def save(self) -> None:
        atomic_dump(
            dict(
                settings=self.settings,
                baselines=self.baselines,
                commands=self.commands,
                runs=dict(sorted(self.runs.items()))), self.path)


@functools.lru_cache()
def base_config(config: str):
    """A config file as written, parsed once per process (read-only)."""
    from mmengine.config import Config
    return Config.fromfile(config)


def config_digest(config: str) -> str:
    """A short digest of a config's settings, bases included."""
    return hashlib.sha1(
        base_config(config).pretty_text.encode()).hexdigest()[:12]


def parse_overrides(strings: Sequence[str]) -> dict:
    """``KEY=VALUE`` strings to a dict, values parsed as by the tools'
    ``--cfg-options``."""
    import argparse

    from mmfvis.utils import DictAction
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument('options', nargs='*', action=DictAction)
    return parser.parse_args(list(strings)).options or {}


def pipeline_with(pipeline: list,
                  scale=None,
                  with_mask=None,
                  num_frames=None) -> list:
    """A copy of a pipeline with every Resize at ``scale`` (w, h), every
    LoadTrackAnnotations at ``with_mask`` and every frame sampler at
    ``num_frames`` frames a clip, where given; wrapped transforms too."""
    pipeline = copy.deepcopy(pipeline)
    for transform in pipeline:
        kind = str(transform.get('type', ''))
        if kind == 'Resize' and scale is not None:
            transform['scale'] = tuple(scale)
        if kind == 'LoadTrackAnnotations' and with_mask is not None:
            transform['with_mask'] = with_mask
        if kind.endswith('FrameSample') and num_frames is not None:
            transform['num_frames'] = num_frames
        if 'transforms' in transform:
            transform['transforms'] = pipeline_with(transform['transforms'],
                                                    scale, with_mask,
                                                    num_frames)
    return pipeline


def resize_scale(pipeline: list) -> tuple:
    """The (w, h) scale of a pipeline's first Resize (wrapped ones too)."""
    for transform in pipeline:
        if transform.get('type') == 'Resize':
            return tuple(transform['scale'])
        if 'transforms' in transform:
            try:
                return resize_scale(transform['transforms'])
            except ValueError:
                continue
    raise ValueError(f'no Resize in the pipeline {pipeline}')


def clip_length(pipeline: list) -> int:
    """Frames of the clips a training pipeline samples."""
    for transform in pipeline:
        if str(transform.get('type', '')).endswith('FrameSample'):
            return transform['num_frames']
    raise ValueError(f'no frame sampler in the pipeline {pipeline}')


def budget_options(iters: int) -> dict:
    """Overrides of a run of ``iters`` iterations: the learning rate drops
    at 4/5, one checkpoint (weights only) at the end, 40 log lines."""
    # the whole schedule, in place of the config's (a list in the demo's):
    # a list value replaces rather than merges
    schedule = dict(
        type='MultiStepLR',
        by_epoch=False,
        begin=0,
        end=iters,
        milestones=[iters * 4 // 5],
        gamma=0.1)
    return {
        'train_cfg.max_iters': iters,
        'train_cfg.val_interval': iters + 1,
        'param_scheduler': [schedule],
        'default_hooks.checkpoint.interval': iters,
        'default_hooks.checkpoint.save_optimizer': False,
        'default_hooks.logger.interval': max(iters // 40, 1),
    }


def row_options(row: str, train_pipeline: list, overrides: dict) -> dict:
    """Overrides of a box row (its loss weights at 0) or of mask
    supervision (mmdet's head, masks loaded), then ``overrides`` (but
    ``box_supervision.*`` ones, for mask supervision)."""
    masks = row not in BOX_ROWS
    options = {
        'train_dataloader.dataset.pipeline':
        pipeline_with(train_pipeline, with_mask=masks)
    }
    if masks:
        options.update({
            'box_supervision':
            None,
            # mmdet's head needs the clip length; mmfvis's reads the data
            'model.track_head.num_frames':
            clip_length(train_pipeline),
        })
    for term in BOX_ROWS.get(row, ()):
        options[f'box_supervision.track_head.{term}.loss_weight'] = 0.0
    options.update({
        key: value
        for key, value in overrides.items()
        if not (masks and key.startswith('box_supervision.'))
    })
    return options


def launch(spec: RunSpec, work_dir: str, threads: int,
           tool_command: List[str]) -> None:
    """Run one run in a subprocess (log: ``run.log`` in its folder).

    Args:
        tool_command (list[str]): the tool's command line (interpreter,
            script, arguments), to which ``--worker`` and ``--threads`` are
            added.
    """
    out_dir = osp.join(work_dir, spec.name)
    mmengine.mkdir_or_exist(out_dir)
    command = [*tool_command, '--worker', spec.name, '--threads', str(threads)]
    env = dict(
        os.environ, OMP_NUM_THREADS=str(threads), MKL_NUM_THREADS=str(threads))
    log_file = osp.join(out_dir, 'run.log')
    with open(log_file, 'w') as log:
        result = subprocess.run(
            command, stdout=log, stderr=subprocess.STDOUT, env=env)
    if result.returncode != 0:
        raise RuntimeError(f'{spec.name} failed (exit {result.returncode}): '
                           f'see {log_file}')


def execute(waves: Sequence[Sequence[RunSpec]], records: Records, jobs: int,
            on_done: Callable[[], None], tool_command: List[str]) -> List[str]:
    """Run every run not done yet, wave after wave, ``jobs`` at a time.

    A wave's runs share the cores: each gets ``jobs // runs`` threads (at
    least 1), so a lone run (the first stage) uses them all. A run with a
    ``checkpoint`` runs only when a later run is still to be done.
    ``on_done`` is called, under the records' lock, after every run that
    ends well. ``tool_command``: see :func:`launch`.

    Returns:
        list[str]: the errors of the runs that failed (their later waves
        are not run).
    """
    todo = [[spec for spec in wave if not records.done(spec)]
            for wave in waves]
    for index, wave in enumerate(todo):
        later = any(todo[index + 1:])
        wave = [s for s in wave if s.checkpoint is None or later]
        if not wave:
            continue
        threads = max(1, jobs // len(wave))
        print(
            f'{len(wave)} run(s) to do: {[s.name for s in wave]}', flush=True)
        errors = []
        with ThreadPoolExecutor(max_workers=jobs) as pool:
            futures = {}
            for spec in wave:
                futures[pool.submit(launch, spec, records.work_dir, threads,
                                    tool_command)] = spec
            for future in as_completed(futures):
                spec = futures[future]
                try:
                    future.result()
                except RuntimeError as error:
                    print(error, flush=True)
                    errors.append(str(error))
                    continue
                with records.lock:
                    records.collect(spec)
                    on_done()
                print(f'done: {spec.name}', flush=True)
        if errors:
            return errors
    return []


def run_all(waves: Sequence[Sequence[RunSpec]], records: Records, jobs: int,
            refresh: Callable[[], None], script: str, argv: Sequence[str],
            repo: str) -> None:
    """:func:`execute` the runs of a tool (``script`` with its ``argv``);
    after each, note the command in the records and ``refresh`` the
    results. Exits naming the failed runs' logs, if any."""
    this = command_line(script, argv, repo)

    def run_done():
        note_command(records, this)
        refresh()

    errors = execute(
        waves, records, jobs, run_done,
        [sys.executable, osp.abspath(script), *argv])
    if errors:
        raise SystemExit('\n'.join(errors))


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


def work(config: str, spec: RunSpec, out_dir: str, threads: int) -> None:
    """One run, in this process: train and/or test, write metrics.json.

    Besides the metrics, it records the seconds spent (wall and CPU: on a
    machine shared with other work the wall time grows, the CPU time much
    less), the logged loss curves, and how many of the training
    annotations hold a mask (0 for a run that learns from boxes only).
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
    runner = RUNNERS.build(cfg)
    metrics = dict(seed=spec.seed, threads=threads)
    if spec.train:
        dataset = runner.train_loop.dataloader.dataset
        metrics.update(
            train_videos=len(dataset),
            train_annotations_with_mask=count_masks(dataset),
            iters=runner.max_iters)
        start, cpu = time.perf_counter(), time.process_time()
        runner.train()
        metrics['train_seconds'] = time.perf_counter() - start
        metrics['train_cpu_seconds'] = time.process_time() - cpu
        metrics['curves'] = loss_curves(runner.log_dir)
    if spec.test:
        start, cpu = time.perf_counter(), time.process_time()
        results = runner.test()
        metrics['test_seconds'] = time.perf_counter() - start
        metrics['test_cpu_seconds'] = time.process_time() - cpu
        metrics.update({k.split('/')[-1]: v for k, v in results.items()})
        dataset = runner.test_loop.dataloader.dataset
        metrics['test_videos'] = len(dataset)
        metrics['test_frames'] = sum(
            dataset.get_data_info(i)['video_length']
            for i in range(len(dataset)))
    atomic_dump(metrics, osp.join(out_dir, 'metrics.json'))


def mean_std(runs: Sequence[dict], metric: str = 'segm_mAP') -> tuple:
    """Mean and sample standard deviation (0 for one run)."""
    values = [run[metric] for run in runs]
    spread = statistics.stdev(values) if len(values) > 1 else 0.0
    return statistics.mean(values), spread


def _minutes(runs: Sequence[dict], key: str) -> str:
    values = [run[key] for run in runs if key in run]
    return f'{statistics.mean(values) / 60:.1f}' if values else '-'


def summary_table(rows: Sequence[Tuple[str, Sequence[dict]]],
                  baselines: Dict[str, dict]) -> str:
    """Markdown: mean ± standard deviation over seeds of each metric, for
    the rows (label, runs) that have runs; baselines (label: metrics) first.
    """
    lines = [
        '| row | seeds | mask AP | AP50 | AP75 | train min/run |',
        '| --- | --- | --- | --- | --- | --- |'
    ]
    for label, metrics in baselines.items():
        lines.append(f'| {label} | - | ' + ' | '.join(f'{metrics[m]:.3f}'
                                                      for m in METRICS) +
                     ' | - |')
    for label, runs in rows:
        if not runs:
            continue
        cells = []
        for metric in METRICS:
            mean, spread = mean_std(runs, metric)
            cells.append(f'{mean:.3f} ± {spread:.3f}')
        lines.append(f'| {label} | {len(runs)} | ' + ' | '.join(cells) +
                     f" | {_minutes(runs, 'train_seconds')} |")
    return '\n'.join(lines)


def per_run_table(runs: Dict[str, dict]) -> str:
    """Markdown: every run's figures and minutes (wall / CPU)."""
    lines = [
        '| run | mask AP | AP50 | AP75 | iterations | train min (wall / CPU) '
        '| test min (wall / CPU) | threads |',
        '| --- | --- | --- | --- | --- | --- | --- | --- |'
    ]
    for name, run in sorted(runs.items()):
        figures = ' | '.join(f'{run[m]:.3f}' if m in run else '-'
                             for m in METRICS)
        minutes = [
            f"{_minutes([run], f'{stage}_seconds')} / "
            f"{_minutes([run], f'{stage}_cpu_seconds')}"
            for stage in ('train', 'test')
        ]
        lines.append(f"| {name} | {figures} | {run.get('iters', '-')} | "
                     f"{minutes[0]} | {minutes[1]} | "
                     f"{run.get('threads', '-')} |")
    return '\n'.join(lines)


def gap_check(upper: Tuple[str, Sequence[dict]],
              lower: Tuple[str, Sequence[dict]]) -> Optional[str]:
    """'A - B: +x AP, seed noise y: target V': the target that A beats B
    by more than the larger standard deviation of the two. V is missed for
    a gap within that noise (or below zero), undecided for a larger gap
    while either row has a single seed, else met."""
    if not upper[1] or not lower[1]:
        return None
    (high, high_sd), (low, low_sd) = mean_std(upper[1]), mean_std(lower[1])
    noise = max(high_sd, low_sd)
    if high - low <= noise:
        verdict = 'missed'
    elif min(len(upper[1]), len(lower[1])) < 2:
        # one run has no spread: any positive gap would pass
        verdict = 'undecided (a row has one seed: no noise estimate)'
    else:
        verdict = 'met'
    return (f'- {upper[0]} - {lower[0]}: {high - low:+.3f} AP, seed noise '
            f'(larger std) {noise:.3f}: target {verdict}')


def command_line(script: str, argv: Sequence[str], repo: str) -> str:
    """An invocation of a tool, as a shell command from the repository
    root ``repo``."""
    return shlex.join(['python', osp.relpath(script, repo), *argv])


def note_command(records: Records, command: str) -> None:
    """Keep a command that runs runs (once) in the records."""
    if command not in records.commands:
        records.commands.append(command)


def commands_paragraph(records: Records) -> str:
    """Markdown: the commands that ran the recorded runs."""
    commands = '\n'.join(f'    {command}' for command in records.commands)
    return f'**Commands** (from the repository root):\n\n{commands}' \
        if records.commands else '**Commands**: none ran yet'


def machine() -> str:
    """CPU model and count, torch version, and the GPU the runs take."""
    import platform

    import torch
    model = platform.processor() or platform.machine()
    if osp.isfile('/proc/cpuinfo'):
        with open('/proc/cpuinfo') as f:
            names = [
                line.split(':', 1)[1].strip() for line in f
                if line.startswith('model name')
            ]
        model = names[0] if names else model
    gpu = (f', GPU {torch.cuda.get_device_name()}'
           if torch.cuda.is_available() else '')
    return (f'{os.cpu_count()} CPU cores ({model}), Python '
            f'{platform.python_version()}, torch {torch.__version__}{gpu}')


def write_section(md_file: str, marker: str, body: str) -> None:
    """Put ``body`` between the file's ``marker`` comments, replacing what
    was there; append the section (and create the file) when missing."""
    begin = f'<!-- {marker}: begin (written by the tool: edits here are ' \
        'overwritten) -->'
    end = f'<!-- {marker}: end -->'
    section = f'{begin}\n{body.strip()}\n{end}'
    text = ''
    if osp.isfile(md_file):
        with open(md_file) as f:
            text = f.read()
    start, stop = text.find(begin), text.find(end)
    if start >= 0 and stop > start:
        text = text[:start] + section + text[stop + len(end):]
    else:
        text = f'{text.rstrip()}\n\n{section}\n' if text else f'{section}\n'
    mmengine.mkdir_or_exist(osp.dirname(osp.abspath(md_file)))
    temporary = f'{md_file}.tmp{os.getpid()}'
    with open(temporary, 'w') as f:
        f.write(text)
    os.replace(temporary, md_file)


def build_dataset(dataset_cfg: dict):
    """A dataset of a config, without its pipeline (annotations only)."""
    from mmdet.utils import register_all_modules
    from mmengine.registry import DATASETS

    import mmfvis  # noqa: F401
    register_all_modules()
    dataset_cfg = copy.deepcopy(dataset_cfg)
    dataset_cfg.pipeline = []
    return DATASETS.build(dataset_cfg)


def filled_box_metrics(dataset, evaluator: dict) -> dict:
    """Mask AP of a dataset's ground-truth boxes, filled."""
    from mmfvis.evaluation import evaluate_filled_boxes
    results = evaluate_filled_boxes(dataset, evaluator, show_progress=False)
    return {k.split('/')[-1]: v for k, v in results.items()}


def colour_pair_share(dataset,
                      scale: Sequence[int],
                      loss_pair: dict,
                      stride: int = 4) -> dict:
    """How many of the pairwise term's neighbour pairs pass its colour
    threshold on a dataset's frames, resized to fit ``scale`` (w, h) as
    the training pipeline does: of all the pairs inside the frames, and of
    those whose first pixel is in a box (the pairs the term scores).

    Args:
        dataset: an mmdet video dataset (``img_path``, ``bbox`` x1 y1 x2 y2
            of every frame's instances), built.
        scale (tuple[int, int]): the Resize scale (w, h), kept ratio.
        loss_pair (dict): the config of the pairwise term (its ``size``,
            ``dilation`` and ``color_thresh``; the defaults where unset).
        stride (int): mask-logit stride in pixels.

    Returns:
        dict: ``all`` and ``in_boxes`` shares, ``frames``, ``logit_rows``
        and a sentence, ``text``.
    """
    import cv2
    import mmcv
    import torch

    from mmfvis.models.losses import inside_frame_mask, similar_neighbours
    from mmfvis.models.utils import lab_at_logit_resolution
    from mmfvis.models.utils.box_masks import box_masks_at_stride
    size, dilation = loss_pair.get('size', 3), loss_pair.get('dilation', 2)
    threshold = loss_pair.get('color_thresh', 0.3)
    counts = np.zeros(4, np.int64)  # passed, pairs; the same in boxes
    frames = 0
    for index in range(len(dataset)):
        for image in dataset.get_data_info(index)['images']:
            frame, factor = mmcv.imrescale(
                cv2.imread(image['img_path']), tuple(scale), return_scale=True)
            rgb = torch.from_numpy(np.ascontiguousarray(frame[..., ::-1]))
            lab = lab_at_logit_resolution(
                rgb.permute(2, 0, 1).float() / 255.0, stride)
            keep, offsets = similar_neighbours(
                lab[None],
                size=size,
                dilation=dilation,
                color_thresh=threshold)
            inside = inside_frame_mask(*lab.shape[-2:], offsets, lab.device)
            boxes = torch.tensor(
                [instance['bbox'] for instance in image['instances']],
                dtype=torch.float32).reshape(-1, 4) * factor
            in_box = box_masks_at_stride(boxes, lab.shape[-2:],
                                         stride).sum(0) > 0
            keep = keep[0] & inside
            counts += [
                int(keep.sum()),
                int(inside.sum()),
                int((keep & in_box).sum()),
                int((inside & in_box).sum())
            ]
            frames += 1
    share, in_boxes = counts[0] / max(counts[1], 1), counts[2] / max(
        counts[3], 1)
    rows = lab.shape[-2]
    text = (f'colour pairs passing the pairwise threshold ({threshold}, '
            f'{size}x{size} grid, dilation {dilation}), frames resized to '
            f'fit {scale[0]}x{scale[1]} (logits {rows} rows), {frames} '
            f'frames: {100 * share:.1f}% of all pairs, '
            f'{100 * in_boxes:.1f}% of those starting in a box')
    return dict(
        all=share,
        in_boxes=in_boxes,
        frames=frames,
        logit_rows=rows,
        text=text)


def plot_loss_curves(rows: Sequence[Tuple[str, Sequence[dict]]],
                     out_file: str) -> None:
    """One panel per row (label, runs): each logged loss term of the last
    decoder layer (weighted, as trained; log scale) against the iteration,
    a line per seed."""
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    rows = [(label, runs) for label, runs in rows if any(
        run.get('curves') for run in runs)]
    if not rows:
        return
    columns = min(len(rows), 2)
    lines = -(-len(rows) // columns)
    figure, axes = plt.subplots(
        lines, columns, figsize=(6 * columns, 3.2 * lines), squeeze=False)
    for axis, (label, runs) in zip(axes.flat, rows):
        terms = sorted(
            {term
             for run in runs
             for term in run.get('curves', {})})
        for colour, term in enumerate(terms):
            for index, run in enumerate(runs):
                points = run.get('curves', {}).get(term)
                if not points:
                    continue
                iters, values = zip(*points)
                axis.plot(
                    iters,
                    values,
                    color=f'C{colour}',
                    alpha=0.8 if index == 0 else 0.4,
                    label=term if index == 0 else None)
        axis.set_title(f'{label} ({len(runs)} seed(s))', fontsize=9)
        axis.set_xlabel('iteration')
        # the terms differ by orders of magnitude; a 0 (a term off or not
        # yet warmed up) is left out
        axis.set_yscale('log', nonpositive='mask')
        axis.legend(fontsize=7)
    for axis in list(axes.flat)[len(rows):]:
        axis.axis('off')
    figure.tight_layout()
    mmengine.mkdir_or_exist(osp.dirname(osp.abspath(out_file)))
    figure.savefig(out_file, dpi=80)
    plt.close(figure)


def draw_row_picture(cfg,
                     checkpoint: str,
                     dataset,
                     video_indices: Sequence[int],
                     out_file: str,
                     upscale: int = 1) -> None:
    """The middle frame of each chosen video: ground truth beside the
    model's masks (tracks of score 0.5 and more, or the best one), one
    video a line, each video predicted whole.

    Args:
        cfg (Config): the run's config.
        checkpoint (str): the run's weights.
        dataset: the evaluation dataset (with masks), built.
        video_indices (list[int]): the videos drawn.
        out_file (str): a .jpg or .png file.
        upscale (int): frames drawn (and predicted) this many times their
            size, for small generated frames.
    """
    import cv2
    import numpy as np

    from mmfvis.apis import (draw_beside_ground_truth, inference_vis_video,
                             init_vis_model)
    from mmfvis.engine import apply_box_supervision
    from mmfvis.visualization import VISLocalVisualizer
    model = init_vis_model(apply_box_supervision(cfg), checkpoint)
    visualizer = VISLocalVisualizer(
        name=f'report_{out_file}_{time.time()}', alpha=0.6)
    visualizer.dataset_meta = dataset.metainfo
    lines = []
    for index in video_indices:
        infos = dataset.get_data_info(index)['images']
        frames = [
            cv2.resize(
                cv2.imread(info['img_path']),
                None,
                fx=upscale,
                fy=upscale,
                interpolation=cv2.INTER_LINEAR) for info in infos
        ]
        prediction = inference_vis_video(model, frames, window=None)
        # the tracks of score 0.5 and more, else the best one
        best = max((track.score for track in prediction.tracks), default=0)
        middle = len(infos) // 2
        lines.append(
            draw_beside_ground_truth([frames[middle]], [infos[middle]],
                                     prediction, visualizer, min(0.5, best)))
    picture = np.concatenate(lines, axis=0)
    mmengine.mkdir_or_exist(osp.dirname(osp.abspath(out_file)))
    cv2.imwrite(out_file, np.ascontiguousarray(picture[..., ::-1]),
                [cv2.IMWRITE_JPEG_QUALITY, 85])


def runs_of(records: Records, row: str) -> List[dict]:
    """The recorded runs of a row, by seed."""
    return [
        metrics for name, metrics in sorted(records.runs.items())
        if name.split('/')[0] == row
    ]


def figure_files(figures_dir: str, rows: Sequence[str]) -> Dict[str, str]:
    """The report's files: ``curves`` and one picture per row."""
    files = {'curves': osp.join(figures_dir, 'loss_curves.png')}
    files.update({row: osp.join(figures_dir, f'{row}.jpg') for row in rows})
    return files


def results_section(records: Records, labels: Dict[str,
                                                   str], header: Sequence[str],
                    targets: str, md_file: str, figures_dir: str) -> str:
    """The markdown section: the ``header`` paragraphs, the table (rows in
    ``labels`` order, baselines first), the targets, every run's figures
    and links to the report's figures that exist."""
    rows = [(label, runs_of(records, row)) for row, label in labels.items()]
    links = []
    for key, path in figure_files(figures_dir, labels).items():
        if osp.isfile(path):
            caption = 'loss terms per row (last decoder layer, as ' \
                'weighted in training)' if key == 'curves' else \
                f'{labels[key]}: ground truth (left) beside its masks'
            links.append(f'- [{caption}]'
                         f'({osp.relpath(path, osp.dirname(md_file))})')
    paragraphs = [
        *header,
        summary_table(rows, records.baselines),
        '(mean ± standard deviation over seeds.) Targets, on the means:\n\n' +
        (targets or '- no row finished yet'),
        'Per run:',
        per_run_table(records.runs),
    ]
    if links:
        paragraphs.append('Report (`--report`):\n\n' + '\n'.join(links))
    return '\n\n'.join(paragraphs)


def draw_report(waves: Sequence[Sequence[RunSpec]],
                labels: Dict[str, str],
                records: Records,
                config: str,
                dataset,
                video_indices: Sequence[int],
                figures_dir: str,
                upscale: int = 1) -> None:
    """The loss curves of every row (``labels``, row: its title), and a
    picture per row of the same videos, from the first seed of the row
    that has a checkpoint (a run without training: the checkpoint it
    tests)."""
    from mmengine.runner import find_latest_checkpoint

    from mmfvis.utils import load_runner_config
    files = figure_files(figures_dir, labels)
    plot_loss_curves([(label, runs_of(records, row))
                      for row, label in labels.items()], files['curves'])
    drawn = set()
    for spec in sorted((s for wave in waves for s in wave),
                       key=lambda s: s.seed):
        if spec.row in drawn or spec.row not in labels or not spec.test:
            continue
        checkpoint = spec.options.get('load_from') if not spec.train else \
            find_latest_checkpoint(osp.join(records.work_dir, spec.name))
        if not checkpoint or not osp.isfile(checkpoint):
            continue
        draw_row_picture(
            load_runner_config(config, spec.options), checkpoint, dataset,
            video_indices, files[spec.row], upscale)
        drawn.add(spec.row)
        print(f'{spec.name}: {files[spec.row]}', flush=True)
