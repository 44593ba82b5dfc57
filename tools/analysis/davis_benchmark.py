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

Mask AP, AP50, AP75 on all the frames of the target videos, mean ± std over
seeds. Split: ``--init-videos`` / ``--target-videos``, names or ids of
the annotation file; default odd ids init, even ids target; given one, the
other is every remaining video. It prints the share of colour pairs that
pass the pairwise term's threshold at the frame size used.

Each run is a process of its own and writes
``<work_dir>/<row>/seed<k>/metrics.json``; runs done (there, or recorded in
the results json beside ``--results-md``) are skipped, so an interrupted
benchmark resumes where it stopped. After every run, the per-run figures
and the table are rewritten in ``--results-md``; ``--report`` draws, from
the finished runs, the loss curves of every row and one picture per row.

    python tools/analysis/davis_benchmark.py --jobs 2
    python tools/analysis/davis_benchmark.py --report
"""
import argparse
import os.path as osp
import sys
from typing import Dict, List, Optional, Sequence

import ablation_runs as ablation  # beside this script
import mmengine

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CONFIG = osp.join(REPO, 'configs', 'benchmarks', 'mfvis_davis_cpu.py')
MARKER = 'davis-transfer'
STAGE1 = 'stage1'
AS_IS = 'stage1_as_is'
# row: its label in the table, in the table's order
ROWS = {AS_IS: "stage-1 model as it is (init videos' masks)"}
ROWS.update(ablation.LABELS)
STAGE1_LABEL = "stage 1 (init videos' masks)"


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument(
        '--data',
        default=osp.join(REPO, '..', 'shared', 'data', 'davis2016'),
        help='DAVIS-2016 folder (JPEGImages/, annotations/)')
    parser.add_argument(
        '--work-dir', default=osp.join(REPO, 'work_dirs', 'davis_transfer'))
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
        '--iters', type=int, default=1000, help='iterations of each row')
    parser.add_argument(
        '--init-iters', type=int, default=1500, help='iterations of stage 1')
    parser.add_argument(
        '--seeds',
        type=int,
        nargs='+',
        default=[0, 1, 2],
        help='seeds of the box rows')
    parser.add_argument(
        '--mask-seeds',
        type=int,
        nargs='+',
        default=[0],
        help='seeds of the upper bound')
    parser.add_argument(
        '--rows',
        nargs='+',
        choices=list(ROWS),
        default=list(ROWS),
        help='rows to run (all by default)')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        default=[],
        metavar='KEY=VALUE',
        help='config overrides of every stage-2 row, after the row\'s own '
        '(box_supervision.* keys skip the upper bound)')
    parser.add_argument(
        '--init-cfg-options',
        nargs='+',
        default=[],
        metavar='KEY=VALUE',
        help='config overrides of stage 1')
    parser.add_argument(
        '--jobs', type=int, default=1, help='runs at a time (1 thread each)')
    parser.add_argument(
        '--results-md',
        default=osp.join(REPO, 'docs', 'benchmarks', 'results',
                         'davis_transfer.md'),
        help='markdown file whose marked section holds the results (made '
        'if missing); the runs are kept in the .json beside it')
    parser.add_argument(
        '--report',
        action='store_true',
        help='draw the loss curves and pictures of the finished runs, '
        'beside the results file; train nothing')
    parser.add_argument(
        '--report-videos',
        nargs='+',
        metavar='VIDEO',
        help='target videos drawn by --report (default: 3 of them, spread)')
    parser.add_argument(
        '--worker', help='internal: the run to do in this process')
    parser.add_argument(
        '--threads', type=int, default=1, help='internal: of a worker')
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
        ablation.atomic_dump(content, osp.join(out_dir, name))


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
    cfg = ablation.base_config(CONFIG)
    frames = osp.join(osp.abspath(args.data), 'JPEGImages')
    return {
        'train_dataloader.dataset.data_root':
        args.work_dir,
        'train_dataloader.dataset.ann_file':
        f'annotations/{train_file}',
        'train_dataloader.dataset.data_prefix.img_path':
        frames,
        'train_dataloader.dataset.pipeline':
        ablation.pipeline_with(
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
        ablation.pipeline_with(cfg.test_dataloader.dataset.pipeline,
                               args.size),
    }


def run_options(args, row: str, train_file: str, iters: int,
                load_from: Optional[str], overrides: dict) -> dict:
    """Config overrides of one run: data, size, budget, the row's losses,
    then ``overrides``."""
    options = data_options(args, train_file)
    options.update(ablation.budget_options(iters), load_from=load_from)
    options.update(
        ablation.row_options(row, options['train_dataloader.dataset.pipeline'],
                             overrides))
    return options


def plan(args) -> List[List[ablation.RunSpec]]:
    """The waves of runs: stage 1, then the rows asked for."""
    stage1 = ablation.RunSpec(
        name=ablation.run_name(STAGE1, 0),
        row=STAGE1,
        seed=0,
        options=run_options(args, ablation.MASKS, 'init_masks.json',
                            args.init_iters, None,
                            ablation.parse_overrides(args.init_cfg_options)),
        test=False,
        checkpoint=stage1_checkpoint(args))
    overrides = ablation.parse_overrides(args.cfg_options)
    rows = []
    for row in args.rows:
        if row == AS_IS:
            # the stage-1 model evaluated on the target videos
            options = run_options(args, ablation.MASKS, 'target_masks.json',
                                  args.iters, stage1_checkpoint(args), {})
            rows.append(
                ablation.RunSpec(
                    name=ablation.run_name(row, 0),
                    row=row,
                    seed=0,
                    options=options,
                    train=False))
            continue
        masks = row == ablation.MASKS
        train_file = 'target_masks.json' if masks else 'target_boxes.json'
        for seed in args.mask_seeds if masks else args.seeds:
            rows.append(
                ablation.RunSpec(
                    name=ablation.run_name(row, seed),
                    row=row,
                    seed=seed,
                    options=run_options(args, row, train_file, args.iters,
                                        stage1_checkpoint(args), overrides)))
    return [[stage1], rows]


def settings(args, official: dict, init: Sequence[int],
             target: Sequence[int]) -> dict:
    """What changes the figures of a run (not which runs are done)."""
    names = video_names(official)
    values = dict(
        benchmark='davis transfer',
        config=osp.relpath(CONFIG, REPO),
        config_digest=ablation.config_digest(CONFIG),
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
    return ablation.build_dataset(cfg.test_dataloader.dataset), cfg


def results_paths(args) -> tuple:
    """(results json, figures folder) beside the markdown file."""
    stem = osp.splitext(args.results_md)[0]
    return f'{stem}.json', stem


def acceptance(records: ablation.Records) -> str:
    """The issue's targets, checked on the means."""
    runs = {row: ablation.runs_of(records, row) for row in ROWS}
    lines = [
        ablation.gap_check((ROWS[a], runs[a]), (ROWS[b], runs[b]))
        for a, b in (('maskfreevis', 'boxinst'), ('boxinst', 'projection'))
    ]
    box_rows = [row for row in ablation.BOX_ROWS if runs[row]]
    if box_rows and runs[AS_IS]:
        best = max(box_rows, key=lambda row: ablation.mean_std(runs[row])[0])
        gain = ablation.mean_std(runs[best])[0] - ablation.mean_std(
            runs[AS_IS])[0]
        verdict = 'met' if gain > 0 else 'missed'
        lines.append(f'- best box row ({ROWS[best]}) - stage-1 model as it '
                     f'is: {gain:+.3f} AP: target {verdict}')
    if runs['maskfreevis'] and runs[ablation.MASKS]:
        share = ablation.mean_std(runs['maskfreevis'])[0] / max(
            ablation.mean_std(runs[ablation.MASKS])[0], 1e-6)
        verdict = 'met' if share >= 0.85 else 'missed'
        lines.append(f'- MaskFreeVIS / mask supervision: {100 * share:.0f}% '
                     f'(target >= 85%: {verdict})')
    return '\n'.join(line for line in lines if line)


def section(args, records: ablation.Records, pair_share: dict) -> str:
    """The markdown section of the results."""
    split = records.settings
    stage1 = records.runs.get(ablation.run_name(STAGE1, 0), {})
    stage1_minutes = (f"{stage1['train_seconds'] / 60:.0f} min"
                      if 'train_seconds' in stage1 else 'time not recorded')
    train_loader = ablation.base_config(CONFIG).train_dataloader
    config_clip_length = ablation.clip_length(train_loader.dataset.pipeline)
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
        ablation.commands_paragraph(records),
        f'**Machine**: {ablation.machine()}; 1 torch thread a run, '
        f'{args.jobs} at a time (stage 1 alone, with {args.jobs}).',
        f"**Colour pairs**: {pair_share['text']}.",
    ]
    _, figures = results_paths(args)
    return ablation.results_section(records, ROWS, header, acceptance(records),
                                    args.results_md, figures)


def draw_indices(args, dataset, names: Dict[int, str]) -> List[int]:
    """Dataset indices of the videos --report draws."""
    ids = [dataset.get_data_info(i)['video_id'] for i in range(len(dataset))]
    if args.report_videos:
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


def main(argv=None):
    args = parse_args(argv)
    args.argv = list(sys.argv[1:] if argv is None else argv)
    args.work_dir = osp.abspath(args.work_dir)
    args.results_md = osp.abspath(args.results_md)
    official = load_official(args.data)
    init, target = split_videos(args, official)
    if args.worker:
        spec = {s.name: s for wave in plan(args) for s in wave}[args.worker]
        ablation.work(CONFIG, spec, osp.join(args.work_dir, spec.name),
                      args.threads)
        return
    prepare_annotations(official, init, target, args.work_dir)
    results_json, _ = results_paths(args)
    records = ablation.Records(results_json, args.work_dir,
                               settings(args, official, init, target))
    dataset, cfg = target_dataset(args)
    pair_share = ablation.colour_pair_share(
        dataset, args.size, cfg.box_supervision.track_head.loss_pair)
    print(pair_share['text'], flush=True)
    if ablation.FILLED not in records.baselines:
        records.baselines[ablation.FILLED] = ablation.filled_box_metrics(
            dataset, cfg.test_evaluator)
    for spec in (s for wave in plan(args) for s in wave):
        records.collect(spec)

    def refresh():
        records.save()
        ablation.write_section(args.results_md, MARKER,
                               section(args, records, pair_share))

    refresh()
    if args.report:
        names = video_names(official)
        _, figures = results_paths(args)
        labels = {STAGE1: STAGE1_LABEL}
        labels.update(ROWS)
        ablation.draw_report(
            plan(args), labels, records, CONFIG, dataset,
            draw_indices(args, dataset, names), figures)
    else:
        ablation.run_all(
            plan(args), records, args.jobs, refresh, __file__, args.argv, REPO)
    refresh()
    print(section(args, records, pair_share))


if __name__ == '__main__':
    main()
