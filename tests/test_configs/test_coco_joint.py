"""The joint config's YouTube-VIS and COCO datasets can be concatenated."""
import copy
import os.path as osp

from mmdet.datasets import YouTubeVISDataset
from mmdet.registry import DATASETS

from ..builders import load_config
from ..paths import CONFIG_DIR

JOINT_CONFIG = osp.join(CONFIG_DIR, 'mfvis_ytvis_coco_joint.py')


def test_coco_is_labelled_with_the_video_classes():
    cfg = load_config(JOINT_CONFIG)
    dataset_cfg = copy.deepcopy(cfg.train_dataloader.dataset)
    # metadata only: no annotation file is read
    dataset_cfg.lazy_init = True
    for part in dataset_cfg.datasets:
        part.lazy_init = True
    joint = DATASETS.build(dataset_cfg)
    YouTubeVISDataset.set_dataset_classes('2019')
    video_classes = YouTubeVISDataset.METAINFO['classes']
    assert [part.metainfo['classes']
            for part in joint.datasets] == [video_classes] * 2
    assert cfg.model.track_head.num_classes == len(video_classes)
