"""Checks of an annotation file's ``videos`` and ``images`` (its frames):
ids, fields, and each video's frame sizes, order and gaps."""
from collections import defaultdict
from typing import Dict, Optional

from .annotation_places import (frame_where, is_id, is_int, is_positive_int,
                                video_where)
from .annotation_report import AnnotationReport

__all__ = ['VideoFrameCheck']


class VideoFrameCheck:
    """The ``videos`` and ``images`` sections, checked into a report.

    Args:
        report (AnnotationReport): where the problems go.

    Attributes:
        video_names (dict): video id -> name (None where unnamed), of the
            well-formed videos.
        images (dict): image id -> image, of the well-formed images, the
            ones annotations may name.
        all_image_ids (set): the ids of every image with an id, also of
            those with malformed fields.
        frames_of_video (dict): video id -> its well-formed images, in file
            order.
    """

    def __init__(self, report: AnnotationReport):
        self.report = report
        self.video_names: Dict = {}
        self.images: Dict = {}
        self.all_image_ids: set = set()
        self.frames_of_video: Dict = defaultdict(list)

    def video_where(self, video_id) -> str:
        """``'video 7 (name)'``."""
        return video_where(video_id, self.video_names)

    def frame_where(self, image: dict) -> str:
        """``'video 7 (name), frame 0 (file)'``."""
        return frame_where(image, self.video_names)

    def check_videos(self, videos: Optional[list]) -> None:
        """Each video's id, unique."""
        for index, video in enumerate(videos or []):
            if not isinstance(video, dict) or not is_id(video.get('id')):
                self.report.add(
                    'error', 'malformed video', f'video #{index}',
                    f"must be an object with an 'id', got {video!r}")
            elif video['id'] in self.video_names:
                self.report.add('error', 'duplicate id', f'video #{index}',
                                f"duplicate video id {video['id']!r}")
            else:
                self.video_names[video['id']] = video.get('name')

    def check_images(self, images: list, videos_listed: bool) -> None:
        """Each image's id, file, size and place in its video.

        Args:
            images (list): the ``images`` section.
            videos_listed (bool): whether the file has ``videos``; then an
                image's ``video_id`` must name one of them.
        """
        frame_keys = set()
        for index, image in enumerate(images):
            if not isinstance(image, dict) or not is_id(image.get('id')) \
                    or not is_id(image.get('video_id', 0)):
                self.report.add(
                    'error', 'malformed image', f'image #{index}',
                    "must be an object with an 'id' (and a 'video_id' of a "
                    f'video), got {image!r}')
                continue
            where = self.frame_where(image)
            if image['id'] in self.all_image_ids:
                self.report.add('error', 'duplicate id', where,
                                f"duplicate image id {image['id']!r}")
                continue
            self.all_image_ids.add(image['id'])
            if self._image_fields(image, where, videos_listed, frame_keys):
                self.images[image['id']] = image
                if 'video_id' in image:
                    self.frames_of_video[image['video_id']].append(image)

    def _image_fields(self, image: dict, where: str, videos_listed: bool,
                      frame_keys: set) -> bool:
        fine = True
        if not isinstance(image.get('file_name'), str) or \
                not image['file_name']:
            self.report.add('error', 'malformed image', where,
                            "field 'file_name' must be a non-empty path")
            fine = False
        for key in ('width', 'height'):
            if not is_positive_int(image.get(key)):
                self.report.add(
                    'error', 'malformed image', where, f"field '{key}' must "
                    f'be a positive integer, got {image.get(key)!r}')
                fine = False
        if 'video_id' not in image:
            return fine
        if videos_listed and image['video_id'] not in self.video_names:
            self.report.add('error', 'image of an unlisted video', where,
                            "field 'video_id' names no video in 'videos'")
            fine = False
        frame_id = image.get('frame_id')
        if not is_int(frame_id) or frame_id < 0:
            self.report.add(
                'error', 'malformed image', where, "field 'frame_id' must "
                f'be an integer >= 0, got {frame_id!r}')
            return False
        if (image['video_id'], frame_id) in frame_keys:
            self.report.add('error', 'duplicate frame', where,
                            f'a second image with frame_id {frame_id}')
            return False
        frame_keys.add((image['video_id'], frame_id))
        return fine

    def check_video_frames(self) -> None:
        """Sizes, order and gaps of each video's frames."""
        for video_id, frames in self.frames_of_video.items():
            where = self.video_where(video_id)
            sizes = sorted({(f['width'], f['height']) for f in frames})
            if len(sizes) > 1:
                self.report.add(
                    'error', 'frames of different sizes', where,
                    f'its frames have different sizes (w x h) {sizes}: '
                    'the frames of a clip share one size')
            ids = [f['frame_id'] for f in frames]
            if ids != sorted(ids):
                self.report.add(
                    'warning', 'frames out of order', where,
                    'frames are not listed in frame_id order; mmfvis '
                    "datasets sort them, mmdet's sample clips in file order")
            if sorted(ids) != list(range(min(ids), min(ids) + len(ids))):
                self.report.add('warning', 'gaps in frame ids', where,
                                f'frame ids {sorted(ids)} are not contiguous')
