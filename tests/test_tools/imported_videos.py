"""What the importer tests share: frames written to disk, the imported file
loaded in the checked dataset, its tracks read back."""
import io
import json
import logging
import os
import os.path as osp
from contextlib import contextmanager

import cv2
import numpy as np
from mmdet.registry import DATASETS
from mmengine.logging import MMLogger

import mmfvis  # noqa: F401  registers the checked datasets

# Frames of the fixtures, (w, h) in pixels.
FRAME_SIZE = (40, 30)


def write_frames(folder, names, size=FRAME_SIZE):
    """Small grey JPEG/PNG frames ``names`` in ``folder``."""
    os.makedirs(folder, exist_ok=True)
    image = np.full((size[1], size[0], 3), 128, np.uint8)
    for name in names:
        cv2.imwrite(osp.join(folder, name), image)


@contextmanager
def captured_log():
    """What mmengine's current logger writes meanwhile, as a StringIO."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    logger = MMLogger.get_current_instance()
    logger.addHandler(handler)
    try:
        yield stream
    finally:
        logger.removeHandler(handler)


def load_checked(ann_file, classes, img_root):
    """The imported file in ``CheckedVideoDataset`` (test mode: every
    frame), as training and testing load it."""
    return DATASETS.build(
        dict(
            type='CheckedVideoDataset',
            ann_file=str(ann_file),
            metainfo=dict(classes=tuple(classes)),
            data_prefix=dict(img_path=str(img_root)),
            test_mode=True,
            pipeline=[]))


def loaded_videos(dataset):
    """Video name -> frame file names, in order, as the dataset holds
    them."""
    videos = {}
    for index in range(len(dataset)):
        frames = dataset.get_data_info(index)['images']
        name = frames[0]['file_name'].split('/')[0]
        videos[name] = [frame['file_name'] for frame in frames]
    return videos


def loaded_tracks(dataset):
    """(video name, instance id) -> (label, {frame index: x1, y1, x2, y2})
    of every box the dataset keeps."""
    tracks = {}
    for index in range(len(dataset)):
        frames = dataset.get_data_info(index)['images']
        name = frames[0]['file_name'].split('/')[0]
        for frame_index, frame in enumerate(frames):
            for instance in frame['instances']:
                label, boxes = tracks.setdefault(
                    (name, instance['instance_id']),
                    (instance['bbox_label'], {}))
                assert label == instance['bbox_label']
                boxes[frame_index] = [float(v) for v in instance['bbox']]
    return tracks


def corners(x, y, w, h):
    """x, y, w, h as the dataset's x1, y1, x2, y2."""
    return [float(x), float(y), float(x + w), float(y + h)]


def read_json(path):
    with open(path) as file:
        return json.load(file)
