"""The tables of a benchmark and the results section that holds them."""
import os.path as osp
from typing import Callable, Dict, Sequence, Tuple

from mmfvis.fileio import write_file_atomically
from .machine import machine
from .overrides import clip_length
from .records import Records
from .specs import FILLED
from .summary import mean_minutes, mean_std, ordering_targets

# (metric, column title): mask AP, then mask quality apart from detection
METRICS = (('segm_mAP', 'mask AP'), ('segm_mAP_50', 'AP50'),
           ('segm_mAP_75', 'AP75'), ('J&F', 'J&F'), ('J', 'J'))


def _titles(*extra: str) -> str:
    return ' | '.join([title for _, title in METRICS] + list(extra))


def _rule(columns: int) -> str:
    return '| ' + ' | '.join(['---'] * columns) + ' |'


def _mean_cell(runs: Sequence[dict], metric: str) -> str:
    """'mean ± std' over the runs; '-' unless every run has the metric
    (runs made before it was evaluated)."""
    if not all(metric in run for run in runs):
        return '-'
    mean, spread = mean_std(runs, metric)
    return f'{mean:.3f} ± {spread:.3f}'


def _value_cell(metrics: dict, metric: str) -> str:
    return f'{metrics[metric]:.3f}' if metric in metrics else '-'


def summary_table(rows: Sequence[Tuple[str, Sequence[dict]]],
                  baselines: Dict[str, dict]) -> str:
    """Markdown: mean ± standard deviation over seeds of each metric, for
    the rows (label, runs) that have runs; baselines (label: metrics) first.
    """
    lines = [
        f'| row | seeds | {_titles("train min/run")} |',
        _rule(len(METRICS) + 3)
    ]
    for label, metrics in baselines.items():
        cells = ' | '.join(_value_cell(metrics, m) for m, _ in METRICS)
        lines.append(f'| {label} | - | {cells} | - |')
    for label, runs in rows:
        if not runs:
            continue
        cells = ' | '.join(_mean_cell(runs, m) for m, _ in METRICS)
        lines.append(f'| {label} | {len(runs)} | {cells} | '
                     f"{mean_minutes(runs, 'train_seconds')} |")
    return '\n'.join(lines)


def per_run_table(runs: Dict[str, dict]) -> str:
    """Markdown: every run's figures and minutes (wall / CPU)."""
    extra = ('iterations', 'train min (wall / CPU)', 'test min (wall / CPU)',
             'threads')
    lines = [f'| run | {_titles(*extra)} |', _rule(len(METRICS) + 5)]
    for name, run in sorted(runs.items()):
        figures = ' | '.join(_value_cell(run, m) for m, _ in METRICS)
        minutes = [
            f"{mean_minutes([run], f'{stage}_seconds')} / "
            f"{mean_minutes([run], f'{stage}_cpu_seconds')}"
            for stage in ('train', 'test')
        ]
        lines.append(f"| {name} | {figures} | {run.get('iters', '-')} | "
                     f"{minutes[0]} | {minutes[1]} | "
                     f"{run.get('threads', '-')} |")
    return '\n'.join(lines)


def commands_paragraph(records: Records) -> str:
    """Markdown: the commands that ran the recorded runs."""
    commands = '\n'.join(f'    {command}' for command in records.commands)
    return f'**Commands** (from the repository root):\n\n{commands}' \
        if records.commands else '**Commands**: none ran yet'


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
    write_file_atomically(md_file, text.encode())


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
    rows = [(label, records.runs_of(row)) for row, label in labels.items()]
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
        '(mean ± standard deviation over seeds; J&F and J: DAVIS region '
        'similarity and boundary accuracy per ground-truth track, - for '
        'runs made before they were evaluated.) Targets, on the means:\n\n' +
        (targets or '- no row finished yet'),
        'Per run:',
        per_run_table(records.runs),
    ]
    if links:
        paragraphs.append('Report (`--report`):\n\n' + '\n'.join(links))
    return '\n\n'.join(paragraphs)


def generated_videos_protocol(cfg, settings: dict,
                              cfg_options: Sequence[str]) -> str:
    """Markdown: the protocol of a benchmark on generated videos (the
    shapes or blobs of ``mmfvis.datasets.synthetic``), every row trained
    from scratch from boxes only, or (``settings['from_masks']``) from a
    mask-supervised model.

    Args:
        cfg (Config): the config of a box row, overrides merged.
        settings (dict): the benchmark's (``iters``, ``config``).
        cfg_options (list[str]): the overrides of every row, as given.
    """
    train = cfg.train_dataloader.dataset.generate
    test = cfg.test_dataloader.dataset.generate
    sampler = cfg.box_supervision.get('clip_sampler') or {}
    frames = sampler.get('num_frames') or clip_length(
        cfg.train_dataloader.dataset.pipeline)
    start = 'every row from scratch'
    if settings.get('from_masks'):
        start = ('every box row from the mask-supervised model (the masks '
                 f"row: seed 0, {settings['from_masks']} iterations, "
                 'from scratch)')
    return (
        f"**Protocol**: {train['num_videos']} generated training videos of "
        f"{train['num_frames']} frames, {train['frame_size'][0]}x"
        f"{train['frame_size'][1]} (style '{train.get('style', 'shapes')}', "
        f"seed {train['seed']}); {start}, "
        f"{settings['iters']} iterations of "
        f'{cfg.train_dataloader.batch_size} clips x {frames} frames, '
        'from boxes only (a training file without any mask; mask '
        f"supervision reads masks); mask AP and J&F on {test['num_videos']} "
        f"held-out videos (seed {test['seed']}). Config "
        f"`{settings['config']}`; overrides: "
        f"{' '.join(cfg_options) or 'none'}.")


def generated_videos_section(labels: Dict[str, str]) -> Callable[..., str]:
    """The results section of a benchmark on generated videos, of the rows
    ``labels`` (row: title): a function of (args, records, prepared,
    colour-pair share), as :class:`driver.Benchmark` takes it."""

    def section(args, records: Records, prepared, pair_share: dict) -> str:
        header = [
            generated_videos_protocol(prepared.cfg, records.settings,
                                      args.cfg_options),
            commands_paragraph(records),
            f'**Machine**: {machine()}; 1 torch thread a run, '
            f'{args.jobs} at a time.',
            f"**Colour pairs**: {pair_share['text']}.",
        ]
        targets = ordering_targets(records, labels,
                                   records.baselines.get(FILLED))
        figures = osp.splitext(args.results_md)[0]
        return results_section(records, labels, header, targets,
                               args.results_md, figures)

    return section
