"""The data path at the size of the real datasets: import, check, load,
sample and infer, timed and bounded.

``python tools/analysis/benchmark_data_path.py [--data-root /tmp/datapath]
[--scale 1] [--datasets NAME ...] [--redo PATTERN ...] [--only PATTERN ...]
[--out PREFIX] [--before JSON]``

Per dataset, generated at its real size by ``generate_dataset_files.py``
(YouTube-VIS 2019 and 2021, OVIS, BDD100K, MOT20, CVAT): the converter or
importer (``--boxes-only`` and with masks where the format has masks),
``tools/misc/check_dataset.py`` with ``--img-root``, building the
training dataset of its config, and its dataloader with 2 workers over 500
clips (the workers' memory at clip 100 and 500). Then, on YouTube-VIS
2019, clips per second of the box-supervised training pipeline against
mmdet's mask-supervised one; and on a generated 1280x720 video of 100,
250 and 500 frames, ``tools/demo_video.py`` and ``tools/test.py`` with the
tiny CPU model.

Each step runs in a fresh process; its wall time and peak resident memory
(of its largest process, from the kernel's accounting at its exit) are
measured here, and a step is stopped if its processes together hold more
than ``--memory-cap`` GiB. Finished steps are kept in
``DATA_ROOT/benchmark_data_path.json``: a rerun goes on from the first
step not finished (``--redo`` runs the matching steps again). The table
is printed and written, with the command, dates and machine, to
``PREFIX.md`` and ``PREFIX.json``; the steps already in ``PREFIX.json``
stay in its table.

After a fix, ``--only PATTERN`` runs the matching steps alone (their data
generated already) and keeps each one's earlier figures as its "before",
shown beside the new ones. ``--before JSON`` adds "before" figures
measured elsewhere: ``{"steps": {KEY: {"wall_s": ..., "peak_rss_gib":
..., "returncode": 0, "source": "where it was measured"}}}``.
"""
import argparse
import fnmatch
import json
import os
import os.path as osp
import shlex
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from typing import Callable, Dict, List, Optional, Tuple

import generate_dataset_files as generated  # beside this script

from mmfvis.fileio import write_file_atomically

REPO_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
TOOLS = osp.join(REPO_ROOT, 'tools')
STEPS_SCRIPT = osp.join(TOOLS, 'analysis', 'data_path_steps.py')
TINY_CONFIG = osp.join(REPO_ROOT, 'configs', 'mfvis_tiny_cpu.py')
GIB = 1024**3
# The targets on this machine
IMPORT_SECONDS, IMPORT_GIB = 300, 4.0
BUILD_SECONDS = 60
WORKER_GROWTH = 0.10  # per-worker RSS, clip 100 to clip 500
INFERENCE_GIB = 6.0  # at 500 frames
STOPPED_AT_CAP = -9  # the exit status of a step killed at --memory-cap
# The configs that train on each dataset, and the classes of the box-track
# imports (in the order of the categories the importers write)
CONFIGS = dict(
    ytvis2019='mfvis_ytvis.py',
    ytvis2021='mfvis_ytvis21.py',
    ovis='mfvis_ovis.py',
    bdd100k='mfvis_custom.py',
    mot20='mfvis_custom.py',
    cvat='mfvis_custom.py')
BOX_TRACK_CLASSES = dict(
    bdd100k=('pedestrian', 'rider', 'car', 'truck', 'bus', 'train',
             'motorcycle', 'bicycle'),
    mot20=('pedestrian', ),
    cvat=generated.CVAT_LABELS)
DATASETS = tuple(CONFIGS) + ('long_video', )
Records = Dict[str, dict]  # step key -> its Measurement as a dict


@dataclass
class Step:
    """One measured command.

    Attributes:
        dataset (str): the generated dataset it works on.
        name (str): what it does, e.g. ``'convert --boxes-only'``.
        command (list[str]): the command line, run from the repository.
        kind (str): how its figures and target read: ``'generate'``,
            ``'import'``, ``'build'``, ``'dataloader'``, ``'pipelines'``,
            ``'inference'`` or ``'other'``.
    """
    dataset: str
    name: str
    command: List[str]
    kind: str

    @property
    def key(self) -> str:
        return f'{self.dataset}: {self.name}'


@dataclass
class Measurement:
    """What a step's process did.

    Attributes:
        wall_s (float): wall time in seconds.
        peak_rss_gib (float): peak resident memory of its largest process
            (``ru_maxrss`` of ``wait4``), GiB.
        peak_tree_gib (float): the most its processes held together,
            sampled twice a second, GiB.
        cpu_s (float, optional): CPU seconds, user and system, of the
            command and its waited-for children: what its wall time would
            be on an idle machine (one thread), where other jobs share the
            cores; None for a killed step.
        returncode (int): its exit status; -9 when stopped at the cap
            (its peak RSS is then the most its processes held together).
        figures (dict): the json of its last output line, if any.
        output_tail (str): its last output lines.
        date (str): when it ended, UTC, e.g. ``'2026-12-03 07:40'``.
    """
    wall_s: float
    peak_rss_gib: float
    peak_tree_gib: float
    returncode: int
    cpu_s: Optional[float] = None
    figures: dict = field(default_factory=dict)
    output_tail: str = ''
    date: str = ''


def python(script: str, *args: str) -> List[str]:
    return [sys.executable, script, *args]


def tool(relative_path: str, *args: str) -> List[str]:
    return python(osp.join(TOOLS, relative_path), *args)


def tree_rss_gib(pid: int) -> float:
    """Resident memory of a process and its descendants together, GiB."""
    total, pending = 0, [pid]
    while pending:
        current = pending.pop()
        try:
            with open(f'/proc/{current}/status') as file:
                total += next(
                    int(line.split()[1]) for line in file
                    if line.startswith('VmRSS:'))
            with open(f'/proc/{current}/task/{current}/children') as file:
                pending += [int(child) for child in file.read().split()]
        except (OSError, StopIteration):
            continue  # it ended meanwhile, or is a zombie
    return total * 1024 / GIB


def _echo_output(stream, lines: List[str]) -> None:
    """Copy the child's output to ours as it comes (progress bars redrawn
    with carriage returns too), keeping its lines."""
    for line in stream:
        sys.stdout.buffer.write(line)
        sys.stdout.flush()
        lines.append(line.decode(errors='replace'))


def _last_json(lines: List[str]) -> dict:
    for line in reversed(lines):
        if line.startswith('{'):
            try:
                return json.loads(line)
            except json.JSONDecodeError:
                return {}
    return {}


# Runs argv[2:] and writes its peak RSS (KiB, ``ru_maxrss`` of ``wait4``)
# and its CPU seconds (user and system, its waited-for children's too) to
# argv[1]. A process starts with the peak of the one it forked from, so
# the command is forked from this small one, not from the benchmark.
PEAK_RSS_LAUNCHER = """
import os, sys
pid = os.fork()
if pid == 0:
    os.execvp(sys.argv[2], sys.argv[2:])
_, status, usage = os.wait4(pid, 0)
with open(sys.argv[1], 'w') as file:
    file.write(f'{usage.ru_maxrss} {usage.ru_utime + usage.ru_stime}')
code = os.waitstatus_to_exitcode(status)
sys.exit(code if code >= 0 else 128 - code)
"""


def _watch(process: subprocess.Popen, memory_cap_gib: float) -> float:
    """Wait for ``process``, killing its process group once the group
    holds more than ``memory_cap_gib``; the most it held, GiB."""
    peak_tree = 0.0
    while True:
        try:
            process.wait(timeout=0.5)
            return peak_tree
        except subprocess.TimeoutExpired:
            peak_tree = max(peak_tree, tree_rss_gib(process.pid))
            if peak_tree > memory_cap_gib:
                os.killpg(process.pid, signal.SIGKILL)


def measure(command: List[str], memory_cap_gib: float) -> Measurement:
    """Run ``command`` in a fresh process (one thread, the repository on
    ``PYTHONPATH``); its wall time and peak memory.

    The peak is the kernel's accounting of the command's process (and of
    the largest of its descendants), ``ru_maxrss`` of ``wait4``. Its
    processes are killed together once they hold more than
    ``memory_cap_gib`` (exit status -9).
    """
    env = dict(
        os.environ,
        OMP_NUM_THREADS='1',
        MKL_NUM_THREADS='1',
        PYTHONPATH=REPO_ROOT)
    with tempfile.TemporaryDirectory() as folder:
        usage_file = osp.join(folder, 'usage')
        start = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, '-c', PEAK_RSS_LAUNCHER, usage_file, *command],
            cwd=REPO_ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True)
        lines: List[str] = []
        reader = threading.Thread(
            target=_echo_output, args=(process.stdout, lines))
        reader.start()
        peak_tree = _watch(process, memory_cap_gib)
        wall = time.perf_counter() - start
        reader.join()
        peak_kib, cpu_s = _read_usage(usage_file)
    return Measurement(
        wall_s=wall,
        peak_rss_gib=peak_kib * 1024 / GIB if peak_kib else peak_tree,
        peak_tree_gib=peak_tree,
        cpu_s=cpu_s,
        returncode=process.returncode,
        figures=_last_json(lines),
        output_tail=''.join(lines[-5:]),
        date=time.strftime('%Y-%m-%d %H:%M', time.gmtime()))


def _read_usage(path: str) -> Tuple[Optional[int], Optional[float]]:
    """(peak RSS KiB, CPU seconds) the launcher wrote; None without the
    file (a killed step)."""
    if not osp.isfile(path):
        return None, None
    with open(path) as file:
        peak_kib, cpu_s = file.read().split()
    return int(peak_kib), float(cpu_s)


def converted_paths(dataset: str, data_root: str) -> Dict[str, str]:
    """The files the converters write, under the dataset's folder."""
    folder = osp.join(data_root, dataset, 'annotations')
    return dict(
        boxes=osp.join(folder, 'train_boxes.json'),
        masks=osp.join(folder, 'train_masks.json'))


def frames_root(dataset: str, data_root: str) -> str:
    """The folder the converted file's frame paths are relative to."""
    return generated.layout(dataset, data_root)['img_root']


def import_steps(dataset: str, data_root: str) -> List[Step]:
    """The converter (both ways) or the importer of one dataset."""
    layout = generated.layout(dataset, data_root)
    output = converted_paths(dataset, data_root)
    if dataset in ('ytvis2019', 'ytvis2021', 'ovis'):
        converter = 'dataset_converters/youtube_vis_to_mmdet.py'
        return [
            Step(
                dataset, 'convert --boxes-only',
                tool(converter, layout['annotations'], output['boxes'],
                     '--boxes-only'), 'import'),
            Step(dataset, 'convert (masks)',
                 tool(converter, layout['annotations'], output['masks']),
                 'import')
        ]
    if dataset == 'bdd100k':
        command = tool('dataset_converters/bdd100k_to_mmdet.py',
                       layout['labels'], output['boxes'], '--img-root',
                       layout['img_root'])
    elif dataset == 'mot20':
        command = tool('dataset_converters/mot_to_mmdet.py',
                       layout['sequences'], output['boxes'])
    else:
        command = tool('dataset_converters/cvat_to_mmdet.py',
                       layout['exports'], output['boxes'])
    return [Step(dataset, 'import', command, 'import')]


def dataset_steps(dataset: str, data_root: str, scale: float,
                  clips: int) -> List[Step]:
    """Generate, import, check, build and load one dataset."""
    boxes = converted_paths(dataset, data_root)['boxes']
    frames = frames_root(dataset, data_root)
    config = osp.join(REPO_ROOT, 'configs', CONFIGS[dataset])
    classes = list(BOX_TRACK_CLASSES.get(dataset, ()))
    class_options = ['--classes', *classes] if classes else []
    return [
        Step(
            dataset, 'generate',
            tool('analysis/generate_dataset_files.py', data_root, '--presets',
                 dataset, '--scale', str(scale)), 'generate'),
        *import_steps(dataset, data_root),
        Step(
            dataset, 'check_dataset.py',
            tool('misc/check_dataset.py', boxes, '--img-root', frames,
                 *class_options), 'import'),
        Step(
            dataset, 'build dataset',
            python(STEPS_SCRIPT, 'build', config, boxes, frames,
                   *class_options), 'build'),
        Step(
            dataset, 'dataloader, 2 workers',
            python(STEPS_SCRIPT, 'dataloader', config, boxes, frames,
                   '--clips', str(clips), '--workers', '2', '--report-at',
                   str(clips // 5), *class_options), 'dataloader'),
    ]


def pipelines_step(data_root: str) -> Step:
    paths = converted_paths('ytvis2019', data_root)
    return Step(
        'ytvis2019', 'box vs mask pipeline',
        python(STEPS_SCRIPT, 'pipelines', paths['boxes'], paths['masks'],
               frames_root('ytvis2019', data_root)), 'pipelines')


def long_video_test_config(work_dir: str, frames: str) -> str:
    """A config of the tiny CPU model testing on a converted long video
    (its ``test_dataloader.dataset.ann_file`` given on the command line)."""
    path = osp.join(work_dir, 'tiny_long_video_test.py')
    os.makedirs(work_dir, exist_ok=True)
    with open(path, 'w') as file:
        file.write(
            f'_base_ = {TINY_CONFIG!r}\n'
            'test_dataloader = dict(dataset=dict(\n'
            "    _delete_=True, type='CheckedVideoDataset',\n"
            f'    metainfo=dict(classes={generated.LONG_VIDEO_CLASSES!r}),\n'
            f'    data_prefix=dict(img_path={frames!r}), ann_file=None,\n'
            '    test_mode=True, pipeline={{_base_.test_pipeline}}))\n')
    return path


def long_video_steps(data_root: str, scale: float) -> List[Step]:
    """The tiny model on the long video: the demo and tools/test.py at
    each length."""
    layout = generated.layout('long_video', data_root)
    work_dir = osp.join(data_root, 'long_video', 'work')
    checkpoint = osp.join(work_dir, 'tiny.pth')
    config = long_video_test_config(work_dir, layout['img_root'])
    steps = [
        Step(
            'long_video', 'generate',
            tool('analysis/generate_dataset_files.py', data_root, '--presets',
                 'long_video', '--scale', str(scale)), 'generate'),
        Step('long_video', 'tiny checkpoint',
             python(STEPS_SCRIPT, 'checkpoint', checkpoint), 'other')
    ]
    for length in generated.LONG_VIDEO_LENGTHS:
        converted = osp.join(work_dir, f'valid_{length}_mmdet.json')
        steps += [
            Step(
                'long_video', f'demo_video.py, {length} frames',
                tool('demo_video.py', TINY_CONFIG, checkpoint,
                     layout[f'video_{length}'], '--out-video',
                     osp.join(work_dir, f'demo_{length}.mp4'), '--device',
                     'cpu', '--score-thr', '0'), 'inference'),
            Step(
                'long_video', f'convert, {length} frames',
                tool('dataset_converters/youtube_vis_to_mmdet.py',
                     layout[f'annotations_{length}'], converted), 'other'),
            Step(
                'long_video', f'test.py, {length} frames',
                tool('test.py', config, checkpoint, '--work-dir',
                     osp.join(work_dir, f'test_{length}'), '--cfg-options',
                     f'test_dataloader.dataset.ann_file={converted}'),
                'inference'),
        ]
    return steps


def all_steps(datasets: List[str], data_root: str, scale: float,
              clips: int) -> List[Step]:
    steps = []
    for dataset in datasets:
        if dataset == 'long_video':
            steps += long_video_steps(data_root, scale)
            continue
        steps += dataset_steps(dataset, data_root, scale, clips)
        if dataset == 'ytvis2019':
            steps.append(pipelines_step(data_root))
    return steps


# Figures and targets ---------------------------------------------------------
def _counts(dataset: str, record: dict) -> str:
    """'2,238 videos, 61,000 frames, ...' from the generator's json line."""
    counts = (record.get('figures') or {}).get(dataset, {})
    return ', '.join(f'{number:,} {name}' for name, number in counts.items())


def _worker_growth(figures: dict) -> Optional[float]:
    """The largest relative growth of a worker's RSS, first to last
    reading."""
    points = figures.get('memory') or []
    if len(points) < 2:
        return None
    first, last = points[0]['workers'], points[-1]['workers']
    return max(b['rss'] / a['rss'] - 1 for a, b in zip(first, last))


def _dataloader_figures(figures: dict) -> str:
    points = figures.get('memory') or []
    if not points:
        return ''
    readings = [
        '/'.join(f"{point['workers'][worker]['rss']:.2f}" for point in points)
        for worker in range(len(points[0]['workers']))
    ]
    clips = '/'.join(str(point['clip']) for point in points)
    return (f"worker RSS at clip {clips}: {', '.join(readings)} GiB "
            f"(main {points[-1]['main']['rss']:.2f}); "
            f"{figures['clips_per_s']:.1f} clips/s")


def figures_text(step: Step, record: dict) -> str:
    """The figures column of one step."""
    figures = record.get('figures') or {}
    step_kind = step.kind
    if step_kind == 'generate':
        return _counts(step.dataset, record)
    if step_kind == 'build' and figures:
        serialized = 'on' if figures['serialize_data'] else 'OFF'
        return (f"{figures['videos']:,} videos; serialize_data {serialized}"
                f" ({figures['data_mib'] or 0:.0f} MiB); in-process "
                f"{figures['build_s']:.1f} s")
    if step_kind == 'dataloader':
        return _dataloader_figures(figures)
    if step_kind == 'pipelines' and figures:
        return (f"box-only {figures['box_clips_per_s']:.2f} clips/s, "
                f"mmdet masks {figures['mask_clips_per_s']:.2f} clips/s, "
                f"ratio {figures['ratio']:.2f}")
    return ''


def _inference_growth(records: Dict[str, dict], key: str) -> Optional[str]:
    """For a 500-frame inference row: whether the RSS grows at most
    linearly (the growth per frame from 250 to 500 frames at most that
    from 100 to 250, within 0.05 GiB)."""
    peaks = [
        records.get(key.replace('500 frames', f'{length} frames'), {})
        for length in generated.LONG_VIDEO_LENGTHS
    ]
    if not all(record.get('returncode') == 0 for record in peaks):
        return None
    at_100, at_250, at_500 = (record['peak_rss_gib'] for record in peaks)
    first = (at_250 - at_100) / 150
    return 'yes' if (at_500 - at_250) / 250 <= first + 0.05 / 250 else 'no'


def step_seconds(record: dict) -> float:
    """The time a target is judged on: a step's CPU seconds where recorded
    (its wall time on an idle machine: the cores are shared with other
    jobs), else its wall time."""
    return record.get('cpu_s') or record['wall_s']


def target_text(step: Step, record: dict,
                records: Dict[str, dict]) -> Tuple[str, str]:
    """(target, met: 'yes', 'no' or '') of one step."""
    if record.get('returncode') != 0:
        return 'runs', 'no'
    if step.kind == 'import':
        met = step_seconds(record) < IMPORT_SECONDS and \
            record['peak_rss_gib'] < IMPORT_GIB
        return f'< {IMPORT_SECONDS} s, < {IMPORT_GIB:g} GiB', _yes(met)
    if step.kind == 'build':
        met = step_seconds(record) < BUILD_SECONDS and \
            record['figures'].get('serialize_data')
        return f'< {BUILD_SECONDS} s, serialized', _yes(met)
    if step.kind == 'dataloader':
        growth = _worker_growth(record['figures'])
        return (f'worker RSS +{WORKER_GROWTH:.0%} at most',
                '' if growth is None else _yes(growth <= WORKER_GROWTH))
    if step.kind == 'pipelines':
        return 'ratio >= 1.0', _yes(record['figures']['ratio'] >= 1.0)
    if step.kind == 'inference' and step.name.endswith('500 frames'):
        growth = _inference_growth(records, step.key)
        met = record['peak_rss_gib'] < INFERENCE_GIB and growth != 'no'
        return f'< {INFERENCE_GIB:g} GiB, linear', _yes(met)
    return '', ''


def _yes(met: bool) -> str:
    return 'yes' if met else 'no'


def table_lines(steps: List[Step], records: Dict[str, dict],
                before: Dict[str, dict]) -> List[str]:
    """The results as a Markdown table, a row per finished step."""
    lines = [
        '| dataset | step | wall (CPU) s | peak RSS (GiB) | figures | target '
        '| met |', '| --- | --- | ---: | ---: | --- | --- | --- |'
    ]
    for step in steps:
        record = records.get(step.key)
        if record is None:
            continue
        wall, rss = _wall_text(record), f"{record['peak_rss_gib']:.2f}"
        figures = figures_text(step, record)
        earlier = before.get(step.key)
        if earlier is not None:
            wall = f'{_wall_text(earlier)} -> {wall}'
            rss = f"{earlier['peak_rss_gib']:.2f} -> {rss}"
            figures = '; '.join(
                text for text in (figures, _before_text(step, earlier))
                if text)
        if record['returncode'] != 0:
            rss += f" (exit {record['returncode']})"
        if earlier is not None and earlier['returncode'] != 0:
            rss = rss.replace(' ->', f" (exit {earlier['returncode']}) ->", 1)
        target, met = target_text(step, record, records)
        lines.append(f'| {step.dataset} | {step.name} | {wall} | {rss} | '
                     f'{figures} | {target} | {met} |')
    return lines


def _wall_text(record: dict) -> str:
    """'97.3', or '97.3 (CPU 60)' with its CPU seconds."""
    cpu_s = record.get('cpu_s')
    return f"{record['wall_s']:.1f}" + (f' (CPU {cpu_s:.0f})' if cpu_s else '')


def _before_text(step: Step, earlier: dict) -> str:
    """Where a step's "before" figures come from, and what they were."""
    figures = figures_text(step, earlier)
    source = earlier.get('source') or f"run of {earlier.get('date') or '?'}"
    return f"before: {source}{f' ({figures})' if figures else ''}"


def measured(record: dict) -> bool:
    """Whether a record holds figures: the step finished, or was stopped
    at the memory cap (its peak then a lower bound), not failed."""
    return record.get('returncode') in (0, STOPPED_AT_CAP)


def merged_before(previous: Dict[str, dict],
                  given: Dict[str, dict]) -> Dict[str, dict]:
    """The "before" records of the results: those kept from earlier runs,
    those of ``--before`` in their place; a step that failed has no before
    figure."""
    merged = dict(previous, **given)
    return {key: record for key, record in merged.items() if measured(record)}


# The machine and the files ---------------------------------------------------
def machine() -> dict:
    """The CPU model, cores and memory of this machine."""
    with open('/proc/cpuinfo') as file:
        model = next((line.split(':', 1)[1].strip()
                      for line in file if line.startswith('model name')), '?')
    with open('/proc/meminfo') as file:
        kib = next(
            int(line.split()[1]) for line in file
            if line.startswith('MemTotal:'))
    return dict(cpu=model, cores=os.cpu_count(), memory_gib=kib * 1024 / GIB)


def write_json_atomically(data, path: str) -> None:
    write_file_atomically(path, json.dumps(data, indent=1).encode())


def read_json(path: Optional[str]) -> dict:
    if not path or not osp.isfile(path):
        return {}
    with open(path) as file:
        return json.load(file)


def report_lines(results: dict, table: List[str]) -> List[str]:
    """The Markdown page: commands, dates, machine, then the table."""
    host = results['machine']
    return [
        '# The data path at the size of the real datasets', '',
        'Commands (the full run, then the reruns of single steps after '
        'each fix):', '', *(f'- `{command}`'
                            for command in results['commands']), '',
        f"Dates: {_dates_text(results)}", '',
        f"Machine: {host['cpu']}, {host['cores']} cores, "
        f"{host['memory_gib']:.1f} GiB of memory; every step in a fresh "
        'process on one thread (`OMP_NUM_THREADS=1`), the dataloader with '
        '2 worker processes.', '',
        f"Data: generated at scale {results['scale']:g} of the real sizes "
        '(`tools/analysis/generate_dataset_files.py`, seed 0), frames as '
        'links to 8 real 1280x720 JPEGs.', '',
        'Peak RSS: of the step\'s largest process (`ru_maxrss` of '
        '`wait4`); a dataloader\'s workers are listed in its figures. '
        'CPU: its user and system seconds, what the wall time would be on '
        'an idle machine where other jobs share the cores (not recorded '
        'before the first reruns); a time target is judged on it where '
        'recorded, else on the wall time. "a -> b": before and after a '
        'fix.', '', *table, ''
    ]


def _dates_text(results: dict) -> str:
    """The first and last date a step of the table ended on."""
    dates = sorted(record['date'] for record in results['steps'].values()
                   if record.get('date'))
    if not dates:
        return results['date']
    if dates[0] == dates[-1]:
        return f'{dates[0]} UTC'
    return (f'{dates[0]} to {dates[-1]} UTC (each step\'s date is in '
            'the json)')


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument(
        '--data-root',
        default='/tmp/datapath',
        help='where the datasets are generated (default /tmp/datapath)')
    parser.add_argument(
        '--scale',
        type=float,
        default=1.0,
        help='share of the real sizes to generate (default 1)')
    parser.add_argument(
        '--datasets',
        nargs='+',
        choices=DATASETS,
        default=list(DATASETS),
        help='default all')
    parser.add_argument(
        '--redo',
        nargs='+',
        default=[],
        metavar='PATTERN',
        help="run again the finished steps matching a pattern, e.g. "
        "'bdd100k: *' (keys are '<dataset>: <step>')")
    parser.add_argument(
        '--only',
        nargs='+',
        default=[],
        metavar='PATTERN',
        help="run only the steps matching a pattern, even if finished, "
        "keeping their earlier figures as their before (e.g. 'mot20: "
        "dataloader*')")
    parser.add_argument(
        '--clips',
        type=int,
        default=500,
        help='clips the dataloader draws; its workers\' memory is read at '
        'a fifth of them and at the last (default 500)')
    parser.add_argument(
        '--memory-cap',
        type=float,
        default=12.0,
        help='GiB a step may hold before it is stopped (default 12)')
    parser.add_argument(
        '--out',
        default=osp.join(REPO_ROOT, 'docs', 'benchmarks', 'results',
                         'data_path'),
        help='the results, PREFIX.md and PREFIX.json')
    parser.add_argument(
        '--before', help='a json of before figures, shown beside (see above)')
    return parser.parse_args(argv)


def _matches(step: Step, patterns: List[str]) -> bool:
    return any(fnmatch.fnmatch(step.key, pattern) for pattern in patterns)


def run_steps(steps: List[Step], progress_path: str, redo: List[str],
              only: List[str], cap_gib: float,
              on_step: Callable[[], None]) -> Records:
    """Run the steps not finished yet (and those ``redo`` matches), or,
    given ``only``, just the steps it matches; save each record to
    ``progress_path`` as it ends."""
    records = read_json(progress_path).get('steps', {})
    for number, step in enumerate(steps, start=1):
        if only:
            if not _matches(step, only):
                continue
        elif records.get(step.key, {}).get('returncode') == 0 and \
                not _matches(step, redo):
            continue
        print(
            f'[{number}/{len(steps)}] {step.key}: '
            f'{shlex.join(step.command)}',
            flush=True)
        measurement = measure(step.command, cap_gib)
        records[step.key] = asdict(measurement)
        write_json_atomically(dict(steps=records), progress_path)
        print(
            f'[{number}/{len(steps)}] {step.key}: {measurement.wall_s:.1f}'
            f' s, peak {measurement.peak_rss_gib:.2f} GiB, exit '
            f'{measurement.returncode}',
            flush=True)
        on_step()
    return records


def kept_as_before(steps: List[Step], only: List[str], records: Records,
                   before: Records) -> Records:
    """``before`` with, for each step ``only`` reruns, its current record,
    unless it has a before already (the figures before the first fix) or
    failed."""
    kept = dict(before)
    for step in steps:
        record = records.get(step.key)
        if _matches(step, only) and step.key not in kept and \
                record is not None and measured(record):
            kept[step.key] = record
    return kept


def main(argv: Optional[List[str]] = None) -> None:
    args = parse_args(argv)
    steps = all_steps(args.datasets, args.data_root, args.scale, args.clips)
    progress_path = osp.join(args.data_root, 'benchmark_data_path.json')
    # the table keeps the steps of earlier runs that this one does not redo
    previous = read_json(f'{args.out}.json')
    earlier = dict(
        previous.get('steps', {}),
        **read_json(progress_path).get('steps', {}))
    before = merged_before(
        previous.get('before', {}),
        read_json(args.before).get('steps', {}))
    before = kept_as_before(steps, args.only, earlier, before)
    command = shlex.join([
        'python', 'tools/analysis/benchmark_data_path.py',
        *(argv if argv is not None else sys.argv[1:])
    ])
    commands = [c for c in previous.get('commands', []) if c != command]
    commands.append(command)

    def write_results():
        records = dict(earlier, **read_json(progress_path).get('steps', {}))
        table = table_lines(steps, records, before)
        results = dict(
            commands=commands,
            date=subprocess.check_output(['date'], text=True).strip(),
            machine=machine(),
            scale=args.scale,
            steps={
                step.key: records[step.key]
                for step in steps if step.key in records
            },
            before=before)
        write_json_atomically(results, f'{args.out}.json')
        write_file_atomically(f'{args.out}.md',
                              '\n'.join(report_lines(results, table)).encode())
        return table

    run_steps(steps, progress_path, args.redo, args.only, args.memory_cap,
              write_results)
    print('\n'.join(write_results()))


if __name__ == '__main__':
    main()
