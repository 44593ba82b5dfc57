"""One loss-ablation benchmark, from its command line to its results.

A benchmark is a list of *waves* of runs; a run may start from what an
earlier wave made (a checkpoint). Each run is one process, the tool itself
with its own arguments and ``--worker <run>``, which trains and/or tests
one config and writes ``<work_dir>/<run>/metrics.json``. A run is skipped
when its metrics.json exists or when the results file records it under the
same settings, so an interrupted benchmark resumes where it stopped, and on
another machine too once the results file is committed. After every run
the results file (json) and its markdown section are rewritten from all
the runs done. A tool states what differs (:class:`Benchmark`); the
driver does the rest (:func:`run`).
"""
import argparse
import os.path as osp
import sys
from dataclasses import dataclass
from typing import Callable, Dict, List, Optional, Sequence

from .colour_pairs import dataset_colour_pair_share, dataset_outline_cuts
from .datasets import build_dataset, filled_box_metrics
from .markdown import generated_videos_section, write_section
from .overrides import base_config, parse_overrides, resize_scale, row_options
from .paths import REPO, RESULTS
from .pictures import draw_report
from .records import Records
from .scheduler import run_all
from .specs import FILLED, MASKS, RunSpec, run_name, seeded_runs
from .worker import work


@dataclass
class Prepared:
    """What the driver's process makes before the runs.

    Attributes:
        dataset: the evaluation dataset (with masks), built.
        cfg (Config): the config it comes from (its ``test_evaluator`` and
            ``box_supervision`` are read).
        settings (dict): json-ready settings, everything that changes a
            run's figures (not which runs are done).
        pair_scale (tuple[int, int]): the (w, h) frames are resized to fit
            when the colour pairs are counted.
    """
    dataset: object
    cfg: object
    settings: dict
    pair_scale: tuple


@dataclass
class Benchmark:
    """What a benchmark tool tells the driver.

    Attributes:
        config (str): the config file every run starts from.
        marker (str): the name of its section in the results markdown.
        script (str): the tool's file, run again for each run.
        plan (callable): args -> waves of :class:`RunSpec`.
        prepare (callable): args -> :class:`Prepared` (data and annotation
            files made once, before runs in parallel would).
        section (callable): (args, records, prepared, colour-pair share)
            -> the markdown section.
        report_labels (dict): row: title, the rows ``--report`` draws.
        report_videos (callable): (args, prepared) -> indices of the
            evaluation videos ``--report`` draws.
        upscale (int): frames drawn this many times their size.
    """
    config: str
    marker: str
    script: str
    plan: Callable[[argparse.Namespace], List[List[RunSpec]]]
    prepare: Callable[[argparse.Namespace], Prepared]
    section: Callable[..., str]
    report_labels: Dict[str, str]
    report_videos: Callable[[argparse.Namespace, Prepared], Sequence[int]]
    upscale: int = 1


def prepare_generated_videos(config: str, options: dict,
                             settings: dict) -> Prepared:
    """Generate a benchmark's videos once, here, before runs in parallel
    would (the datasets of ``config`` with ``options`` generate them when
    built); its test dataset (built), the config, the settings."""
    from mmfvis.utils import load_runner_config
    cfg = load_runner_config(config, options)
    build_dataset(cfg.train_dataloader.dataset)
    return Prepared(
        build_dataset(cfg.test_dataloader.dataset), cfg, settings,
        resize_scale(cfg.test_dataloader.dataset.pipeline))


def generated_videos_plan(
        config: str,
        args: argparse.Namespace,
        budget: dict,
        start_budget: Optional[dict] = None) -> List[List[RunSpec]]:
    """The runs on the generated videos under ``args.data_root``: every
    row and seed asked for (``args.rows``, ``args.seeds``,
    ``args.mask_seeds``), each row trained with ``budget`` (overrides) and
    its losses, then ``args.cfg_options``; mask supervision reads the
    training file with masks.

    One wave, every row from scratch; or, with ``start_budget``, two: mask
    supervision at seed 0 trained with it (tested: the masks row), then
    every box row from its checkpoint.
    """
    pipeline = base_config(config).train_dataloader.dataset.pipeline
    extra = parse_overrides(args.cfg_options)

    def options_of(row: str,
                   row_budget: dict,
                   load_from: Optional[str] = None) -> dict:
        options = {
            f'{loader}_dataloader.dataset.data_root': args.data_root
            for loader in ('train', 'test')
        }
        options.update(row_budget)
        if load_from is not None:
            options['load_from'] = load_from
        options.update(row_options(row, pipeline, extra))
        if row == MASKS:
            options['train_dataloader.dataset.ann_file'] = \
                'annotations/train_mmdet.json'
        return options

    if start_budget is None:
        return [
            seeded_runs(args.rows, args.seeds, args.mask_seeds,
                        lambda row: options_of(row, budget))
        ]
    start = RunSpec(
        name=run_name(MASKS, 0),
        row=MASKS,
        seed=0,
        options=options_of(MASKS, start_budget),
        checkpoint=osp.join(args.work_dir, MASKS, 'seed0',
                            f"iter_{start_budget['train_cfg.max_iters']}.pth"))
    box_rows = [row for row in args.rows if row != MASKS]
    return [[start],
            seeded_runs(box_rows, args.seeds, [],
                        lambda row: options_of(row, budget, start.checkpoint))]


def generated_videos_benchmark(config: str, marker: str, script: str,
                               plan: Callable, settings: Callable,
                               labels: Dict[str, str],
                               videos_drawn: int) -> Benchmark:
    """A benchmark on generated videos, every row from scratch: its data
    generated once by the driver's process, its section
    (:func:`generated_videos_section`) of the rows ``labels`` (row:
    title), the first ``videos_drawn`` videos drawn three times their size
    by ``--report``.

    Args:
        plan (callable): args -> one wave of runs.
        settings (callable): args -> the benchmark's settings.
    """

    def prepare(args) -> Prepared:
        # a box row's options: the box supervision's settings are read
        return prepare_generated_videos(config,
                                        plan(args)[-1][0].options,
                                        settings(args))

    def report_videos(args, prepared: Prepared) -> Sequence[int]:
        return range(min(videos_drawn, len(prepared.dataset)))

    return Benchmark(config, marker, script, plan, prepare,
                     generated_videos_section(labels), labels, report_videos,
                     3)


def add_run_arguments(parser: argparse.ArgumentParser, work_name: str,
                      results_name: str, *, iters: Optional[int],
                      rows: Sequence[str], default_rows: Sequence[str],
                      seeds: Sequence[int]) -> None:
    """The options every benchmark tool takes: its runs, their budget,
    where they go, ``--report`` and the worker's own.

    Args:
        work_name (str): the default work directory, under work_dirs/.
        results_name (str): the default results markdown file, under
            docs/benchmarks/results/.
        iters (int, optional): the default iterations of each row.
    """
    parser.add_argument(
        '--work-dir', default=osp.join(REPO, 'work_dirs', work_name))
    parser.add_argument(
        '--iters', type=int, default=iters, help='iterations of each row')
    seed_options = [('--seeds', list(seeds), 'the box rows')]
    if MASKS in rows:
        seed_options.append(
            ('--mask-seeds', [0], 'mask supervision, if among --rows'))
    else:
        parser.set_defaults(mask_seeds=[])
    for option, default, purpose in seed_options:
        parser.add_argument(
            option,
            type=int,
            nargs='+',
            default=default,
            help=f'seeds of {purpose}')
    parser.add_argument(
        '--rows',
        nargs='+',
        choices=list(rows),
        default=list(default_rows),
        help=f'rows to run (default: {" ".join(default_rows)})')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        default=[],
        metavar='KEY=VALUE',
        help='config overrides of every row, after the row\'s own '
        '(box_supervision.* keys skip mask supervision)')
    parser.add_argument(
        '--jobs', type=int, default=1, help='runs at a time (1 thread each)')
    parser.add_argument(
        '--results-md',
        default=osp.join(RESULTS, results_name),
        help='markdown file whose marked section holds the results (made '
        'if missing); the runs are kept in the .json beside it')
    parser.add_argument(
        '--report',
        action='store_true',
        help='draw the loss curves and pictures of the finished runs, '
        'beside the results file; train nothing')
    parser.add_argument(
        '--worker', help='internal: the run to do in this process')
    parser.add_argument(
        '--threads', type=int, default=1, help='internal: of a worker')


def results_paths(results_md: str) -> tuple:
    """(results json, figures folder) beside the markdown file."""
    stem = osp.splitext(results_md)[0]
    return f'{stem}.json', stem


def _filled_boxes_baseline(records: Records, prepared: Prepared) -> None:
    """The filled boxes' figures, evaluated unless recorded with J&F."""
    if 'J&F' not in records.baselines.get(FILLED, {}):
        records.baselines[FILLED] = filled_box_metrics(
            prepared.dataset, prepared.cfg.test_evaluator)


def run(benchmark: Benchmark, args: argparse.Namespace,
        argv: Optional[Sequence[str]]) -> None:
    """A worker's run (``--worker``), else every run not done yet (or the
    report's figures, ``--report``), the results rewritten after each.

    Args:
        args (Namespace): the tool's parsed options
            (:func:`add_run_arguments` and its own).
        argv (list[str]): the tool's arguments, as given, for the runs'
            command lines.
    """
    args.work_dir = osp.abspath(args.work_dir)
    args.results_md = osp.abspath(args.results_md)
    waves = benchmark.plan(args)
    if args.worker:
        spec = {s.name: s for wave in waves for s in wave}[args.worker]
        work(benchmark.config, spec, osp.join(args.work_dir, spec.name),
             args.threads)
        return
    prepared = benchmark.prepare(args)
    results_json, figures = results_paths(args.results_md)
    records = Records(results_json, args.work_dir, prepared.settings,
                      args.report)
    loss_pair = prepared.cfg.box_supervision.track_head.loss_pair
    pair_share = dataset_colour_pair_share(prepared.dataset,
                                           prepared.pair_scale, loss_pair)
    print(pair_share['text'], flush=True)
    print(
        dataset_outline_cuts(prepared.dataset, prepared.pair_scale,
                             loss_pair)['text'],
        flush=True)
    _filled_boxes_baseline(records, prepared)
    for spec in (s for wave in waves for s in wave):
        records.collect(spec)

    def refresh():
        records.save()
        write_section(args.results_md, benchmark.marker,
                      benchmark.section(args, records, prepared, pair_share))

    refresh()
    if args.report:
        draw_report(waves, benchmark.report_labels, records,
                    benchmark.config, prepared.dataset,
                    benchmark.report_videos(args, prepared), figures,
                    benchmark.upscale)
    else:
        run_all(waves, records, args.jobs, refresh, benchmark.script,
                list(sys.argv[1:] if argv is None else argv), REPO)
    refresh()
    print(benchmark.section(args, records, prepared, pair_share))
