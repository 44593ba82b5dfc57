"""Train on your own videos, as the README says: MOTChallenge box tracks
(written from the shared DAVIS boxes) imported, a few training iterations of
configs/mfvis_custom.py (tiny settings through --cfg-options), then
tools/test.py writing its results file for the box-only ground truth."""
import argparse
import glob
import os
import os.path as osp

import pytest
from mmengine.registry import RUNNERS

from mmfvis.utils import add_runner_arguments, load_runner_config
from ..paths import CONFIG_DIR, REPO_ROOT, SHARED_DATA
from .conftest import run_tool, tiny_model_options
from .imported_videos import corners, load_checked, loaded_tracks, read_json
from .tool_loading import load_tool

DAVIS = osp.join(SHARED_DATA, 'davis2016')
CUSTOM_CONFIG = osp.join(CONFIG_DIR, 'mfvis_custom.py')
# DAVIS video -> MOT class: two people, and a car the default import (class
# 1, pedestrian) leaves out
VIDEOS = {'breakdance': 1, 'parkour': 1, 'car-shadow': 3}
NUM_FRAMES = 6
# the shortest run: 2 iterations of 1 clip of 3 frames at 128 x 72, no
# validation (mmengine validates at the last iteration), a checkpoint
# without the optimizer (a third of the size), loaders in the main process
TINY_RUN = [
    'train_cfg.max_iters=2', 'train_cfg.val_begin=3',
    'default_hooks.checkpoint.interval=2',
    'default_hooks.checkpoint.save_optimizer=False',
    'train_dataloader.batch_size=1',
    'box_supervision.clip_sampler.num_frames=3',
    'train_dataloader.dataset.pipeline.1.transforms.2.scale=(128,72)',
    'test_dataloader.dataset.pipeline.0.transforms.1.scale=(128,72)', *[
        f'{loader}_dataloader.{key}' for loader in ('train', 'val', 'test')
        for key in ('num_workers=0', 'persistent_workers=False')
    ]
]

pytestmark = pytest.mark.skipif(
    not osp.isdir(DAVIS), reason=f'shared DAVIS data absent: {DAVIS}')


def write_mot_sequences(sequences_dir):
    """The first frames of ``VIDEOS`` as MOTChallenge sequences (frames
    linked to the shared ones); their DAVIS boxes by video and frame."""
    official = read_json(
        osp.join(DAVIS, 'annotations', 'davis2016_ytvis.json'))
    boxes = {}
    for video in official['videos']:
        name = video['file_names'][0].split('/')[0]
        if name not in VIDEOS:
            continue
        [track] = [
            a for a in official['annotations'] if a['video_id'] == video['id']
        ]
        folder = osp.join(sequences_dir, name)
        os.makedirs(osp.join(folder, 'img1'))
        os.makedirs(osp.join(folder, 'gt'))
        rows = []
        for frame, (file_name, box) in enumerate(
                zip(video['file_names'][:NUM_FRAMES], track['bboxes'])):
            os.symlink(
                osp.join(DAVIS, 'JPEGImages', file_name),
                osp.join(folder, 'img1', f'{frame + 1:06d}.jpg'))
            rows.append(f'{frame + 1},1,{box[0]},{box[1]},{box[2]},{box[3]},'
                        f'1,{VIDEOS[name]},1\n')
        with open(osp.join(folder, 'gt', 'gt.txt'), 'w') as file:
            file.writelines(rows)
        with open(osp.join(folder, 'seqinfo.ini'), 'w') as file:
            file.write(f'[Sequence]\nname={name}\nimDir=img1\n'
                       f'seqLength={NUM_FRAMES}\nimWidth={video["width"]}\n'
                       f'imHeight={video["height"]}\nimExt=.jpg\n')
        boxes[name] = track['bboxes'][:NUM_FRAMES]
    return boxes


def data_options(data_root):
    """The config's few lines (classes aside), through --cfg-options: train
    and test on the imported file."""
    options = []
    for loader in ('train', 'val', 'test'):
        dataset = f'{loader}_dataloader.dataset'
        options += [
            f'{dataset}.data_root={data_root}',
            f'{dataset}.ann_file=annotations/train.json',
            f'{dataset}.data_prefix.img_path=train/'
        ]
    return options


def train_in_process(config, work_dir, options):
    """What ``tools/train.py CONFIG --work-dir WORK_DIR --cfg-options
    OPTIONS`` does, in this process: one interpreter start (most of the
    time of a run this short) less."""
    parser = argparse.ArgumentParser()
    add_runner_arguments(parser, '')
    args = parser.parse_args(
        ['--work-dir', work_dir, '--cfg-options', *options])
    RUNNERS.build(load_runner_config(config, args.cfg_options,
                                     args.work_dir)).train()


@pytest.mark.slow
def test_import_train_and_test_a_box_only_dataset(tmp_path):
    data_root = tmp_path / 'my_videos'
    davis_boxes = write_mot_sequences(str(data_root / 'train'))
    load_tool('dataset_converters/mot_to_mmdet.py').main([
        str(data_root / 'train'),
        str(data_root / 'annotations' / 'train.json')
    ])
    tracks = loaded_tracks(
        load_checked(data_root / 'annotations' / 'train.json', ['pedestrian'],
                     data_root / 'train'))
    assert tracks == {
        ('breakdance', 1): (0, {
            frame: corners(*box)
            for frame, box in enumerate(davis_boxes['breakdance'])
        }),
        ('parkour', 2): (0, {
            frame: corners(*box)
            for frame, box in enumerate(davis_boxes['parkour'])
        })
    }

    options = [
        *data_options(data_root), *tiny_model_options(CUSTOM_CONFIG), *TINY_RUN
    ]
    train_in_process(CUSTOM_CONFIG, str(tmp_path / 'work'), options)
    [train_log] = glob.glob(str(tmp_path / 'work' / '2*' / '2*.log'))
    with open(train_log) as file:
        assert '1 video(s) have no frame left after filtering' in file.read()
    tested = run_tool([
        osp.join(REPO_ROOT, 'tools', 'test.py'), CUSTOM_CONFIG,
        osp.join('work', 'iter_2.pth'), '--work-dir', 'work', '--cfg-options',
        *options
    ],
                      cwd=str(tmp_path))
    assert 'ground-truth boxes have no mask: mask AP is not computed' \
        in tested.stdout
    [results] = glob.glob(str(tmp_path / 'work' / '2*' / 'results.json'))
    predictions = read_json(results)
    assert {p['video_id'] for p in predictions} == {1, 2, 3}
    assert all(
        len(p['segmentations']) == NUM_FRAMES and p['category_id'] == 1
        for p in predictions)
    assert osp.isfile(
        osp.join(osp.dirname(results), 'results.submission_file.zip'))
