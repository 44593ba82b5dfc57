"""Checks of mmdet's video annotation format (COCO-video json).

The format: ``categories`` (``id``, ``name``), optionally ``videos``
(``id``, ``name``), ``images`` (one per frame: ``id``, ``file_name``,
``width``, ``height`` and, for videos, ``video_id`` and ``frame_id``) and
``annotations`` (one per object and frame: ``id``, ``image_id``,
``category_id``, ``bbox`` [x, y, w, h] in pixels, ``instance_id``, and
optionally ``area``, ``iscrowd``, ``ignore``, ``segmentation``).

What each problem is (see :mod:`.annotation_report` for the severities):

- errors: a field missing or of the wrong type; a NaN or infinite box; a
  negative width or height; an area that is negative or not a number; an
  id used twice; an annotation naming no image or an undeclared category;
  a video annotation without an instance id (mmdet would number it by its
  position in the frame, joining unrelated objects into one track); one
  instance id twice in a frame; an instance changing category between
  frames; frames of one video of different sizes, or two with the same
  frame id; a mask whose size is not its frame's; a dataset class missing
  from the file's categories, or the categories in another order than the
  classes (mmdet numbers labels in the file's order: names and labels
  would disagree).
- skips (mmdet drops these too, silently): a box under one pixel wide or
  high; a box outside its frame; an area of 0; an annotation marked
  ``ignore``; a category that is not among the dataset's classes (training
  on a subset of the classes); a video without any annotated frame (no
  training clip can be drawn from it); what an importer left out, listed
  under the top-level ``import_skips`` (see
  :mod:`mmfvis.datasets.importers.box_tracks`; mmdet ignores the key).
- warnings: a box partly outside its frame (the pipeline clips it); a
  video's frames listed out of frame order (mmfvis's datasets sort them)
  or with gaps in their frame ids; a video with fewer annotated frames
  than the training clip (``ClipFrameSample`` repeats its frames).
"""
from typing import Dict, Optional, Sequence

from .annotation_report import AnnotationReport
from .category_checks import CategoryCheck
from .frame_checks import VideoFrameCheck
from .top_level_checks import check_import_skips, check_top_level
from .track_checks import AnnotationTrackCheck
from .video_length_checks import check_video_length

__all__ = ['check_video_annotations']


def _counts(data: dict, frames: VideoFrameCheck,
            tracks: AnnotationTrackCheck) -> Dict[str, int]:
    video_ids = {
        image.get('video_id', ('image', image_id))
        for image_id, image in frames.images.items()
    }
    return dict(
        videos=len(video_ids),
        frames=len(data['images']),
        instances=len(tracks.instance_category),
        boxes=len(data.get('annotations') or []),
        categories=len(data['categories']))


def check_video_annotations(data,
                            source: str = 'annotations',
                            classes: Optional[Sequence[str]] = None,
                            clip_frames: Optional[int] = None,
                            show_progress: bool = False) -> AnnotationReport:
    """Check a parsed annotation file of mmdet's video format.

    Section by section: the top level, ``categories``, ``videos`` and
    ``images``, ``annotations`` and their tracks, ``import_skips``, then
    each video's length in annotated frames.

    Args:
        data: the parsed json.
        source (str): the file, quoted in messages.
        classes (Sequence[str], optional): the dataset's classes; then the
            categories must hold them in this order, and annotations of
            other categories are skips.
        clip_frames (int, optional): frames per training clip; shorter
            videos get a warning.
        show_progress (bool): a progress bar over the annotations.

    Returns:
        AnnotationReport: every problem found, and the counts (videos,
        frames, instances, boxes, categories).
    """
    report = AnnotationReport(source)
    if not check_top_level(data, report):
        return report
    categories = CategoryCheck(report, classes)
    categories.check(data['categories'])
    frames = VideoFrameCheck(report)
    frames.check_videos(data.get('videos'))
    frames.check_images(data['images'], videos_listed='videos' in data)
    frames.check_video_frames()
    tracks = AnnotationTrackCheck(report, categories, frames)
    tracks.check(data.get('annotations') or [], show_progress)
    check_import_skips(data.get('import_skips'), report)
    if data.get('annotations'):
        for video_id, video_frames in frames.frames_of_video.items():
            check_video_length(
                report, frames.video_where(video_id), len(video_frames),
                sum(f['id'] in tracks.annotated_images for f in video_frames),
                clip_frames)
    report.counts = _counts(data, frames, tracks)
    return report
