"""Conversion of official YouTube-VIS / OVIS annotations to mmdet's format.

The official format stores one record per instance track, with per-frame
lists ``bboxes`` (x, y, w, h), ``areas`` and ``segmentations`` (None where
the instance is absent). mmdet's ``YouTubeVISDataset`` reads a COCO-video
format instead: ``videos``, ``images`` (one per frame, with ``video_id`` and
``frame_id``) and ``annotations`` (one per instance and frame, with
``instance_id``).
"""
from collections import defaultdict
from typing import Dict, List

__all__ = ['convert_youtube_vis']


def _video_images(video: dict, first_image_id: int) -> List[dict]:
    return [
        dict(
            id=first_image_id + frame_id,
            video_id=video['id'],
            frame_id=frame_id,
            file_name=file_name,
            height=video['height'],
            width=video['width'])
        for frame_id, file_name in enumerate(video['file_names'])
    ]


def _frame_annotations(track: dict, images: List[dict], instance_id: int,
                       boxes_only: bool) -> List[dict]:
    """One mmdet annotation per frame where the track has a box."""
    annotations = []
    segmentations = track.get('segmentations') or [None] * len(images)
    areas = track.get('areas') or [None] * len(images)
    for image, bbox, area, segmentation in zip(images, track['bboxes'],
                                               areas, segmentations):
        if bbox is None:
            continue
        annotation = dict(
            video_id=image['video_id'],
            image_id=image['id'],
            category_id=track['category_id'],
            instance_id=instance_id,
            bbox=list(bbox),
            area=float(area if area is not None else bbox[2] * bbox[3]),
            iscrowd=track.get('iscrowd', 0))
        if segmentation is not None and not boxes_only:
            annotation['segmentation'] = segmentation
        annotations.append(annotation)
    return annotations


def convert_youtube_vis(official: Dict, boxes_only: bool = False) -> Dict:
    """Convert one split of official YouTube-VIS annotations.

    Args:
        official (dict): the official json (``videos``, ``categories`` and,
            for annotated splits, ``annotations``).
        boxes_only (bool): drop every ``segmentation`` (mask-free training).

    Returns:
        dict: mmdet's video format. Image ids follow the videos' order;
        instance ids start at 1 (mmdet treats an instance id of 0 as absent)
        and are unique over the split.
    """
    tracks_by_video = defaultdict(list)
    for track in official.get('annotations') or []:
        tracks_by_video[track['video_id']].append(track)

    converted = dict(
        categories=list(official['categories']),
        videos=[],
        images=[],
        annotations=[])
    next_instance_id = 1
    for video in official['videos']:
        images = _video_images(video, len(converted['images']) + 1)
        converted['videos'].append(
            dict(
                id=video['id'],
                name=video['file_names'][0].split('/')[0],
                width=video['width'],
                height=video['height']))
        converted['images'].extend(images)
        for track in tracks_by_video[video['id']]:
            converted['annotations'].extend(
                _frame_annotations(track, images, next_instance_id,
                                   boxes_only))
            next_instance_id += 1
    for ann_id, annotation in enumerate(converted['annotations'], start=1):
        annotation['id'] = ann_id
    return converted
