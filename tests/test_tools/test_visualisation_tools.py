"""Drawing through mmdet's visualiser and hooks: test predictions with
``tools/test.py --show-dir`` and training clips with
``tools/analysis/browse_dataset.py``, box-only annotations included."""
import glob
import os
import os.path as osp

import cv2

from ..builders import shapes_split_options
from ..paths import REPO_ROOT, TINY_CONFIG
from .conftest import data_root_options, run_tool
from .tool_loading import load_tool

# The tiny config's test pipeline: TransformBroadcaster([LoadImageFromFile,
# Resize, LoadTrackAnnotations]).
NO_TEST_MASKS = 'test_dataloader.dataset.pipeline.0.transforms.2.with_mask'
# Its training pipeline: [UniformRefFrameSample, TransformBroadcaster([
# LoadImageFromFile, LoadTrackAnnotations, ...]), PackTrackInputs].
NO_TRAIN_MASKS = 'train_dataloader.dataset.pipeline.1.transforms.1.with_mask'


def test_show_dir_draws_box_only_ground_truth_one_folder_per_video(
        tmp_path, shapes_root, tiny_checkpoint):
    result = run_tool([
        osp.join(REPO_ROOT, 'tools', 'test.py'), TINY_CONFIG, tiny_checkpoint,
        '--work-dir', 'work', '--show-dir', 'drawn', '--cfg-options',
        *data_root_options(shapes_root),
        'test_dataloader.dataset.ann_file=annotations/val_mmdet_boxes.json',
        f'{NO_TEST_MASKS}=False',
        'default_hooks.visualization.frame_interval=2'
    ],
                      cwd=str(tmp_path))
    assert 'boxes have no mask: mask AP is not computed' in result.stdout
    [run_dir] = glob.glob(str(tmp_path / 'work' / '2*'))
    videos = sorted(os.listdir(osp.join(run_dir, 'drawn')))
    assert videos == ['val_0001', 'val_0002']
    for video in videos:
        drawn = sorted(os.listdir(osp.join(run_dir, 'drawn', video)))
        assert drawn == ['00000.jpg', '00002.jpg', '00004.jpg']
        image = cv2.imread(osp.join(run_dir, 'drawn', video, drawn[0]))
        # ground truth beside the predictions, at the original frame size
        assert image.shape == (96, 2 * 128, 3)
    assert osp.isfile(osp.join(run_dir, 'results.submission_file.zip'))


def test_browse_dataset_draws_box_only_training_clips(tmp_path, shapes_root):
    output_dir = tmp_path / 'clips'
    load_tool('analysis/browse_dataset.py').main([
        TINY_CONFIG, '--output-dir',
        str(output_dir), '--max-clips', '3', '--cfg-options',
        f'train_dataloader.dataset.data_root={shapes_root}',
        *shapes_split_options('train', 'train'),
        'train_dataloader.dataset.ann_file='
        'annotations/train_mmdet_boxes.json', f'{NO_TRAIN_MASKS}=False'
    ])
    clips = sorted(os.listdir(output_dir))
    assert len(clips) == 3
    for clip in clips:
        # '<index>_<video>_<three frame ids>.jpg', frames side by side
        assert len(clip[:-4].split('_')[-1].split('-')) == 3
        assert cv2.imread(str(output_dir / clip)).shape == (96, 3 * 128, 3)
