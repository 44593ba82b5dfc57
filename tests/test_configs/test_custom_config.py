"""configs/mfvis_custom.py: its few lines reach the datasets and the head;
its test pipeline loads box-only files and hands the masks of a file that
has them to the evaluator."""
import os.path as osp

from mmdet.registry import DATASETS
from mmengine.config import Config

from mmfvis.datasets import SHAPE_CLASSES
from mmfvis.evaluation.metrics.youtube_vis_mask_metric import \
    ground_truth_tracks
from ..builders import SHAPES_SPLITS, load_config
from ..paths import CONFIG_DIR

CUSTOM_CONFIG = osp.join(CONFIG_DIR, 'mfvis_custom.py')

EDITS = {
    'classes': "('pedestrian', 'car')",
    'data_root': "'data/mine/'",
    'train_ann_file': "'a/train.json'",
    'train_frames': "'frames/'",
    'val_ann_file': "'a/val.json'",
    'val_frames': "'val_frames/'",
}


def edited_copy(path):
    """A copy of the config with the lines a user edits changed."""
    with open(CUSTOM_CONFIG) as file:
        lines = file.read().splitlines()
    edits = dict(EDITS, _base_=repr(osp.join(CONFIG_DIR, 'mfvis_ytvis.py')))
    for index, line in enumerate(lines):
        name = line.split(' = ')[0]
        if name in edits:
            lines[index] = f'{name} = {edits.pop(name)}'
    assert not edits, f'lines not found: {edits}'
    path.write_text('\n'.join(lines) + '\n')
    return str(path)


def test_the_edited_lines_set_classes_files_and_head(tmp_path):
    edited = edited_copy(tmp_path / 'my_videos.py')
    cfg = load_config(edited)
    for loader, ann_file, frames in (('train', 'a/train.json', 'frames/'),
                                     ('val', 'a/val.json', 'val_frames/'),
                                     ('test', 'a/val.json', 'val_frames/')):
        dataset = cfg[f'{loader}_dataloader'].dataset
        assert dataset.type == 'CheckedVideoDataset'
        assert (dataset.metainfo.classes, dataset.data_root, dataset.ann_file,
                dataset.data_prefix.img_path) == (('pedestrian',
                                                   'car'), 'data/mine/',
                                                  ann_file, frames)
    head = cfg.model.track_head
    assert head.type == 'BoxSupervisedMask2FormerTrackHead'
    assert head.num_classes == 2
    assert head.loss_cls.class_weight == [1.0, 1.0, 0.1]
    assert cfg.test_evaluator.type == 'YouTubeVISMaskMetric'
    assert cfg.test_evaluator.format_only is False


def ground_truth_of_first_video(shapes_root, ann_file):
    """The first val video through the config's test pipeline, as the
    evaluator gathers its ground truth."""
    cfg = Config.fromfile(CUSTOM_CONFIG)
    dataset = DATASETS.build(
        dict(
            type='ShapesVISDataset',
            metainfo=dict(classes=SHAPE_CLASSES),
            data_root=shapes_root,
            ann_file=ann_file,
            data_prefix=dict(img_path='val/JPEGImages'),
            generate=SHAPES_SPLITS['val'],
            test_mode=True,
            pipeline=cfg.test_pipeline))
    sample = dataset[0]['data_samples']
    assert 'masks' not in sample[0].gt_instances  # no mask loaded
    return ground_truth_tracks(sample.video_data_samples)


def test_the_evaluator_gets_the_masks_of_a_file_that_has_them(shapes_root):
    with_masks = ground_truth_of_first_video(shapes_root,
                                             'annotations/val_mmdet.json')
    assert with_masks and all(track['frames_without_mask'] == 0
                              for track in with_masks)
    boxes_only = ground_truth_of_first_video(
        shapes_root, 'annotations/val_mmdet_boxes.json')
    assert [t['bboxes']
            for t in boxes_only] == [t['bboxes'] for t in with_masks]
    assert all(track['frames_without_mask'] > 0 for track in boxes_only)
