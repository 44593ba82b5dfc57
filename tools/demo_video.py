"""Segment and track the instances of a video with a trained VIS model.

``python tools/demo_video.py CONFIG CHECKPOINT INPUT [--out-video V.mp4]
[--out-json R.json] [--score-thr 0.3] [--device cpu]``

INPUT is a video file (mp4...) or a folder of frames (sorted by name).
Writes an overlay video (masks, track ids, class names, scores, one colour
per track) and a json of the tracks (per track: class, score, per-frame
RLE masks and boxes). Long videos are processed in windows of ``--window``
frames that overlap by ``--overlap`` frames; track identities are carried
across windows by mask IoU on the shared frames.
"""
import argparse
import json
import os
import os.path as osp
import sys
from typing import List, Optional

import torch
from mmengine.utils import ProgressBar

from mmfvis.apis import (VideoFrames, inference_vis_video, init_vis_model,
                         prediction_to_json, write_overlay_video)
from mmfvis.utils import add_cfg_options_argument
from mmfvis.visualization import VISLocalVisualizer


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Video instance segmentation of a video or a folder '
        'of frames')
    parser.add_argument('config', help='model config file')
    parser.add_argument('checkpoint', help='checkpoint file')
    parser.add_argument('input', help='video file or folder of frames')
    parser.add_argument(
        '--out-video',
        help='overlay video to write (.mp4 or .avi); default: '
        '<input name>_vis.mp4 beside the input')
    parser.add_argument(
        '--out-json',
        help='tracks to write as json; default: the overlay video path '
        'with .json')
    parser.add_argument(
        '--score-thr',
        type=float,
        default=0.3,
        help='tracks scoring less are neither drawn nor written')
    parser.add_argument(
        '--device',
        default='cuda:0' if torch.cuda.is_available() else 'cpu',
        help='device the model runs on')
    parser.add_argument(
        '--window',
        type=int,
        default=30,
        help='frames the model sees at once (0: the whole video)')
    parser.add_argument(
        '--overlap',
        type=int,
        default=5,
        help='frames shared by consecutive windows, to link tracks')
    parser.add_argument(
        '--max-mask-side',
        type=int,
        default=1280,
        help='long side of the masks the model returns, before resizing '
        'to the frames (bounds memory; 0: frame resolution)')
    parser.add_argument(
        '--fps',
        type=float,
        help='frame rate of a folder of frames (default 10) or to override '
        "a video's")
    add_cfg_options_argument(parser)
    return parser.parse_args(argv)


def output_paths(args: argparse.Namespace):
    """The overlay video and json paths, defaulting beside the input."""
    stem = osp.splitext(osp.normpath(args.input))[0]
    out_video = args.out_video or f'{stem}_vis.mp4'
    out_json = args.out_json or f'{osp.splitext(out_video)[0]}.json'
    return out_video, out_json


def main(argv: Optional[List[str]] = None) -> None:
    args = parse_args(argv)
    out_video, out_json = output_paths(args)
    frames = VideoFrames(args.input, fps=args.fps)
    model = init_vis_model(
        args.config,
        args.checkpoint,
        device=args.device,
        cfg_options=args.cfg_options)
    classes = model.dataset_meta['classes']

    print(f'predicting {args.input}', file=sys.stderr)
    prediction = inference_vis_video(
        model,
        frames,
        window=args.window or None,
        overlap=args.overlap,
        max_mask_side=args.max_mask_side or None,
        progress=ProgressBar(frames.num_frames))

    os.makedirs(osp.dirname(osp.abspath(out_json)), exist_ok=True)
    with open(out_json, 'w') as file:
        json.dump(
            prediction_to_json(prediction, classes, args.score_thr,
                               args.input), file)

    print(f'\ndrawing {out_video}', file=sys.stderr)
    visualizer = VISLocalVisualizer(name='demo_video')
    visualizer.dataset_meta = dict(classes=classes)
    written = write_overlay_video(frames, prediction, visualizer, out_video,
                                  frames.fps, args.score_thr,
                                  ProgressBar(prediction.num_frames))
    kept = sum(track.score >= args.score_thr for track in prediction.tracks)
    print(f'\n{written} frames, {kept} of {len(prediction.tracks)} tracks '
          f'scoring >= {args.score_thr}: {out_video}, {out_json}')


if __name__ == '__main__':
    main()
