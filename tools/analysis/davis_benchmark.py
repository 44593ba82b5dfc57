"""DAVIS-2016 transfer benchmark: what each loss term buys on real video.

The protocol of the published numbers, on the 20 shared DAVIS-2016 videos
with the CPU model of ``configs/benchmarks/mfvis_davis_cpu.py``:

1. **Stage 1**, the stand-in for the published COCO model: mmdet's
   mask-supervised head trained from scratch on the masks of the *init*
   videos; once, shared by every row and seed (skipped when its checkpoint
   exists).
2. **Stage 2**, every row from that checkpoint on the *target* videos:
   projection; + pairwise (BoxInst); + pairwise + TK (MaskFreeVIS); mask
   supervision (the upper bound). The box rows read an annotation file
   that holds no mask at all.
3. Rows without training: the stage-1 model as it is (what box training
   must beat) and the ground-truth boxes, filled.

Mask AP, AP50, AP75, and the masks' quality apart from detection (DAVIS
J&F and J per ground-truth track) on all the frames of the target videos,
mean ± std over seeds. Split: ``--init-videos`` / ``--target-videos``,
names or ids of the annotation file; default odd ids init, even ids
target; given one, the other is every remaining video. It prints the
share of colour pairs that pass the pairwise term's threshold at the frame
size used.

Each run is a process of its own and writes
``<work_dir>/<row>/seed<k>/metrics.json``; runs done (there, or recorded in
the results json beside ``--results-md``) are skipped, so an interrupted
benchmark resumes where it stopped. After every run, the per-run figures
and the table are rewritten in ``--results-md``; ``--report`` draws, from
the finished runs, the loss curves of every row and one picture per row.
The runs, their resuming and recording are those of ``ablation.driver``.

    python tools/analysis/davis_benchmark.py --jobs 2
    python tools/analysis/davis_benchmark.py --report
"""
import argparse
import os.path as osp
from typing import Dict, List, Optional, Sequence

import mmengine
from ablation import driver, overrides, specs, summary
from ablation.datasets import build_dataset
from ablation.machine import machine
from ablation.markdown import commands_paragraph, results_section
from ablation.paths import REPO
from ablation.records import Records, dump_json

CONFIG = osp.join(REPO, 'configs', 'benchmarks', 'mfvis_davis_cpu.py')
MARKER = 'davis-transfer'
STAGE1 = 'stage1'
AS_IS = 'stage1_as_is'
# row: its label in the table, in the table's order
ROWS = {AS_IS: "stage-1 model as it is (init videos' masks)"}
ROWS.update(specs.LABELS)
STAGE1_LABEL = "stage 1 (init videos' masks)"


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument(
        '--data',
        default=osp.join(REPO, '..', 'shared', 'data', 'davis2016'),
        help='DAVIS-2016 folder (JPEGImages/, annotations/)')
    parser.add_argument(
        '--init-videos',
        nargs='+',
        metavar='VIDEO',
        help='names or ids of the stage-1 videos (default: odd ids)')
    parser.add_argument(
        '--target-videos',
        nargs='+',
        metavar='VIDEO',
        help='names or ids of the stage-2 and evaluation videos (default: '
        'even ids)')
    parser.add_argument(
        '--size',
        type=int,
        nargs=2,
        default=[427, 240],
        metavar=('W', 'H'),
        help='frames resized to fit W x H (default: the shared 427x240)')
    parser.add_argument(
        '--num-frames',
        type=int,
        metavar='T',
        help="frames of every training clip (default: the config's, 3)")
    parser.add_argument(
        '--init-iters', type=int, default=1500, help='iterations of stage 1')
    parser.add_argument(
        '--init-cfg-options',
        nargs='+',
        default=[],
        metavar='KEY=VALUE',
        help='config overrides of stage 1')
    parser.add_argument(
        '--report-videos',
        nargs='+',
        metavar='VIDEO',
        help='target videos drawn by --report (default: 3 of them, spread)')
    driver.add_run_arguments(
        parser,
        'davis_transfer',
        'davis_transfer.md',
        iters=1000,
        rows=ROWS,
        default_rows=ROWS,
        seeds=(0, 1, 2))
    return parser.parse_args(argv)


def load_official(data: str) -> dict:
    source = osp.join(data, 'annotations', 'davis2016_ytvis.json')
    if not osp.isfile(source):
        raise SystemExit(f'DAVIS-2016 annotations not found at {source}')
    return mmengine.load(source)


def video_names(official: dict) -> Dict[int, str]:
    """Video id: name (the folder of its frames)."""
    return {
        video['id']: video['file_names'][0].split('/')[0]
        for video in official['videos']
    }


def resolve_videos(requested: Sequence[str], names: Dict[int, str],
                   option: str, source: str) -> List[int]:
    """Ids of the videos given by name or id, in id order."""
    by_name = {name: video_id for video_id, name in names.items()}
    ids = set()
    for video in requested:
        if video in by_name:
            ids.add(by_name[video])
        elif video.isdigit() and int(video) in names:
            ids.add(int(video))
        else:
            known = ', '.join(f'{i} {n}' for i, n in sorted(names.items()))
            raise SystemExit(f'{option}: no video {video!r} in {source} '
                             f'(its videos: {known})')
    return sorted(ids)


def split_videos(args, official: dict) -> tuple:
    """(init ids, target ids): as given, else odd and even ids; given one
    set, the other is every remaining video."""
    names = video_names(official)
    source = osp.join(args.data, 'annotations', 'davis2016_ytvis.json')
    init = target = None
    if args.init_videos:
        init = resolve_videos(args.init_videos, names, '--init-videos', source)
    if args.target_videos:
        target = resolve_videos(args.target_videos, names, '--target-videos',
                                source)
    if init is None and target is None:
        init = [i for i in sorted(names) if i % 2 == 1]
        target = [i for i in sorted(names) if i % 2 == 0]
    elif init is None:
        init = [i for i in sorted(names) if i not in target]
    elif target is None:
        target = [i for i in sorted(names) if i not in init]
    shared = sorted(set(init) & set(target))
    if shared:
        raise SystemExit('--init-videos and --target-videos share '
                         f'{[names[i] for i in shared]}: a video is in one '
                         'set only')
    if not init or not target:
        raise SystemExit('both the init and the target set need a video')
    return init, target


def subset(official: dict, video_ids: Sequence[int]) -> dict:
    """The official annotations of some videos only."""
    keep = set(video_ids)
    return dict(
        official,
        videos=[v for v in official['videos'] if v['id'] in keep],
        annotations=[
            a for a in official['annotations'] if a['video_id'] in keep
        ])


def prepare_annotations(official: dict, init: Sequence[int],
                        target: Sequence[int], work_dir: str) -> None:
    """mmdet-format files of the split under ``<work_dir>/annotations``:
    the init videos with masks (stage 1), the target videos with masks
    (upper bound, evaluation) and without any (box rows)."""
    from mmfvis.datasets import convert_youtube_vis
    out_dir = osp.join(work_dir, 'annotations')
    files = {
        'init_masks.json':
        convert_youtube_vis(subset(official, init)),
        'target_masks.json':
        convert_youtube_vis(subset(official, target)),
        'target_boxes.json':
        convert_youtube_vis(subset(official, target), boxes_only=True),
    }
    for name, content in files.items():
        dump_json(content, osp.join(out_dir, name))


def stage1_checkpoint(args) -> str:
    return osp.join(args.work_dir, STAGE1, 'seed0',
                    f'iter_{args.init_iters}.pth')


def data_options(args, train_file: str) -> dict:
    """Config overrides of every run's data: the converted annotations,
    the shared frames, resized to fit ``--size``, training clips of
    ``--num-frames``.

    Args:
        train_file (str): the training annotation file (in annotations/).
    """
    cfg = overrides.base_config(CONFIG)
    frames = osp.join(osp.abspath(args.data), 'JPEGImages')
    return {
        'train_dataloader.dataset.data_root':
        args.work_dir,
        'train_dataloader.dataset.ann_file':
        f'annotations/{train_file}',
        'train_dataloader.dataset.data_prefix.img_path':
        frames,
        'train_dataloader.dataset.pipeline':
        overrides.pipeline_with(
            cfg.train_dataloader.dataset.pipeline,
            args.size,
            num_frames=args.num_frames),
        'test_dataloader.dataset.data_root':
        args.work_dir,
        'test_dataloader.dataset.ann_file':
        'annotations/target_masks.json',
        'test_dataloader.dataset.data_prefix.img_path':
        frames,
        'test_dataloader.dataset.pipeline':
        overrides.pipeline_with(cfg.test_dataloader.dataset.pipeline,
                                args.size),
    }


def run_options(args, row: str, train_file: str, iters: int,
                load_from: Optional[str], extra: dict) -> dict:
    """Config overrides of one run: data, size, budget, the row's losses,
    then ``extra``."""
    options = data_options(args, train_file)
    options.update(overrides.budget_options(iters), load_from=load_from)
    options.update(
        overrides.row_options(row,
                              options['train_dataloader.dataset.pipeline'],
                              extra))
    return options


def plan(args) -> List[List[specs.RunSpec]]:
    """The waves of runs: stage 1, then the rows asked for."""
    stage1 = specs.RunSpec(
        name=specs.run_name(STAGE1, 0),
        row=STAGE1,
        seed=0,
        options=run_options(args, specs.MASKS, 'init_masks.json',
                            args.init_iters, None,
                            overrides.parse_overrides(args.init_cfg_options)),
        test=False,
        checkpoint=stage1_checkpoint(args))
    extra = overrides.parse_overrides(args.cfg_options)
    rows = []
    for row in args.rows:
        if row == AS_IS:
            # the stage-1 model evaluated on the target videos
            options = run_options(args, specs.MASKS, 'target_masks.json',
                                  args.iters, stage1_checkpoint(args), {})
            rows.append(
                specs.RunSpec(
                    name=specs.run_name(row, 0),
                    row=row,
                    seed=0,
                    options=options,
                    train=False))
            continue
        masks = row == specs.MASKS
        train_file = 'target_masks.json' if masks else 'target_boxes.json'
        for seed in args.mask_seeds if masks else args.seeds:
            rows.append(
                specs.RunSpec(
                    name=specs.run_name(row, seed),
                    row=row,
                    seed=seed,
                    options=run_options(args, row, train_file, args.iters,
                                        stage1_checkpoint(args), extra)))
    return [[stage1], rows]


def settings(args, official: dict, init: Sequence[int],
             target: Sequence[int]) -> dict:
    """What changes the figures of a run (not which runs are done)."""
    names = video_names(official)
    values = dict(
        benchmark='davis transfer',
        config=osp.relpath(CONFIG, REPO),
        config_digest=overrides.config_digest(CONFIG),
        init_videos=[names[i] for i in init],
        target_videos=[names[i] for i in target],
        size=list(args.size),
        iters=args.iters,
        init_iters=args.init_iters,
        cfg_options=list(args.cfg_options),
        init_cfg_options=list(args.init_cfg_options))
    if args.num_frames is not None:
        # the config's own clip length is in its digest
        values['num_frames'] = args.num_frames
    return values


def target_dataset(args):
    """The evaluation dataset (target videos, with masks), built, and the
    config it comes from."""
    from mmfvis.utils import load_runner_config
    cfg = load_runner_config(CONFIG, data_options(args, 'target_masks.json'))
    return build_dataset(cfg.test_dataloader.dataset), cfg


def prepare(args) -> driver.Prepared:
    """The split's annotation files, the evaluation dataset and the
    settings."""
    official = load_official(args.data)
    init, target = split_videos(args, official)
    prepare_annotations(official, init, target, args.work_dir)
    dataset, cfg = target_dataset(args)
    return driver.Prepared(dataset, cfg, settings(args, official, init,
                                                  target), tuple(args.size))


def acceptance(records: Records) -> str:
    """The issue's targets, checked on the means."""
    runs = {row: records.runs_of(row) for row in ROWS}
    lines = [
        summary.gap_check((ROWS[a], runs[a]), (ROWS[b], runs[b]))
        for a, b in (('maskfreevis', 'boxinst'), ('boxinst', 'projection'))
    ]
    box_rows = [row for row in specs.BOX_ROWS if runs[row]]
    if box_rows and runs[AS_IS]:
        best = max(box_rows, key=lambda row: summary.mean_std(runs[row])[0])
        gain = summary.mean_std(runs[best])[0] - summary.mean_std(
            runs[AS_IS])[0]
        verdict = 'met' if gain > 0 else 'missed'
        lines.append(f'- best box row ({ROWS[best]}) - stage-1 model as it '
                     f'is: {gain:+.3f} AP: target {verdict}')
    if runs['maskfreevis'] and runs[specs.MASKS]:
        share = summary.mean_std(runs['maskfreevis'])[0] / max(
            summary.mean_std(runs[specs.MASKS])[0], 1e-6)
        verdict = 'met' if share >= 0.85 else 'missed'
        lines.append(f'- MaskFreeVIS / mask supervision: {100 * share:.0f}% '
                     f'(target >= 85%: {verdict})')
    return '\n'.join(line for line in lines if line)


def section(args, records: Records, prepared: driver.Prepared,
            pair_share: dict) -> str:
    """The markdown section of the results."""
    split = records.settings
    stage1 = records.runs.get(specs.run_name(STAGE1, 0), {})
    stage1_minutes = (f"{stage1['train_seconds'] / 60:.0f} min"
                      if 'train_seconds' in stage1 else 'time not recorded')
    train_loader = overrides.base_config(CONFIG).train_dataloader
    config_clip_length = overrides.clip_length(train_loader.dataset.pipeline)
    clip_length = split.get('num_frames', config_clip_length)
    protocol = (
        "**Protocol**: stage 1, mmdet's mask-supervised head trained from "
        f"scratch on the masks of {len(split['init_videos'])} init videos "
        f"({', '.join(split['init_videos'])}), {split['init_iters']} "
        f'iterations ({stage1_minutes}); stage 2, every row from that '
        f"checkpoint on the {len(split['target_videos'])} target videos "
        f"({', '.join(split['target_videos'])}), {split['iters']} "
        f'iterations of {train_loader.batch_size} clips x {clip_length} '
        'frames; mask AP on all their frames. '
        f"Frames resized to fit {split['size'][0]}x{split['size'][1]}; "
        f"config `{split['config']}`; overrides of the rows: "
        f"{' '.join(split['cfg_options']) or 'none'}; of stage 1: "
        f"{' '.join(split['init_cfg_options']) or 'none'}.")
    header = [
        protocol,
        commands_paragraph(records),
        f'**Machine**: {machine()}; 1 torch thread a run, '
        f'{args.jobs} at a time (stage 1 alone, with {args.jobs}).',
        f"**Colour pairs**: {pair_share['text']}.",
    ]
    _, figures = driver.results_paths(args.results_md)
    return results_section(records, ROWS, header, acceptance(records),
                           args.results_md, figures)


def draw_indices(args, prepared: driver.Prepared) -> List[int]:
    """Dataset indices of the videos --report draws."""
    dataset = prepared.dataset
    ids = [dataset.get_data_info(i)['video_id'] for i in range(len(dataset))]
    if args.report_videos:
        names = video_names(load_official(args.data))
        wanted = resolve_videos(args.report_videos, names, '--report-videos',
                                args.data)
        missing = [names[i] for i in wanted if i not in ids]
        if missing:
            raise SystemExit(f'--report-videos: {missing} are not target '
                             'videos')
        return [ids.index(i) for i in wanted]
    count = min(3, len(ids))
    return sorted(
        {round(k * (len(ids) - 1) / max(count - 1, 1))
         for k in range(count)})


# the rows --report draws: stage 1 too
REPORT_LABELS = {STAGE1: STAGE1_LABEL, **ROWS}
# the driver's fields in order: config, marker, script, plan, prepare,
# section, the rows --report draws and the videos it draws
BENCHMARK = driver.Benchmark(CONFIG, MARKER, __file__, plan, prepare, section,
                             REPORT_LABELS, draw_indices)


def main(argv=None):
    driver.run(BENCHMARK, parse_args(argv), argv)


if __name__ == '__main__':
    main()
