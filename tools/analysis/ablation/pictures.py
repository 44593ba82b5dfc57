"""The report's figures: loss curves per row, and predictions beside the
ground truth."""
import os.path as osp
import time
from typing import Dict, Sequence, Tuple

import mmengine

from .markdown import figure_files
from .records import Records
from .specs import RunSpec


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
                             init_vis_model, read_dataset_frames)
    from mmfvis.engine import apply_box_supervision
    from mmfvis.visualization import VISLocalVisualizer
    model = init_vis_model(apply_box_supervision(cfg), checkpoint)
    visualizer = VISLocalVisualizer(
        name=f'report_{out_file}_{time.time()}', alpha=0.6)
    visualizer.dataset_meta = dataset.metainfo
    lines = []
    for index in video_indices:
        infos = dataset.get_data_info(index)['images']
        frames = read_dataset_frames(infos, upscale)
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
    plot_loss_curves([(label, records.runs_of(row))
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
