"""One identity per object across the overlapping windows of a video."""
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple

import cv2
import numpy as np
from pycocotools import mask as mask_utils
from scipy.optimize import linear_sum_assignment

__all__ = ['VideoTrack', 'WindowTrack', 'WindowTrackLinker']


@dataclass
class WindowTrack:
    """A track predicted on one window of frames.

    Attributes:
        label (int): class index.
        score (float): confidence in 0..1.
        masks (np.ndarray): (T, h, w) bool, one mask per window frame,
            empty where the instance is absent.
    """
    label: int
    score: float
    masks: np.ndarray


@dataclass
class VideoTrack:
    """A track over the whole video.

    Attributes:
        track_id (int): identity, from 1.
        segmentations (dict): frame index -> compressed RLE mask at the
            frame's resolution, for the frames where the track is present.
        boxes (dict): frame index -> [x1, y1, x2, y2] pixels.
    """
    track_id: int
    segmentations: Dict[int, dict] = field(default_factory=dict)
    boxes: Dict[int, List[float]] = field(default_factory=dict)
    # Per class, the sum over windows of score x frames contributed.
    label_weights: Dict[int, float] = field(default_factory=dict)
    weighted_score: float = 0.0
    num_window_frames: int = 0

    @property
    def label(self) -> int:
        """The class with the most score-weighted frames."""
        return max(self.label_weights, key=self.label_weights.get)

    @property
    def score(self) -> float:
        """Mean of the window scores, weighted by frames contributed."""
        return self.weighted_score / max(self.num_window_frames, 1)


def spatio_temporal_iou(masks_a: np.ndarray,
                        masks_b: np.ndarray) -> np.ndarray:
    """IoU of every track of ``masks_a`` (N, T, h, w) with every track of
    ``masks_b`` (M, T, h, w): intersections and unions summed over the T
    frames, then divided. (N, M); 0 where both are empty."""
    flat_a = masks_a.reshape(len(masks_a), -1).astype(np.float32)
    flat_b = masks_b.reshape(len(masks_b), -1).astype(np.float32)
    intersection = flat_a @ flat_b.T
    union = flat_a.sum(1)[:, None] + flat_b.sum(1)[None, :] - intersection
    return np.where(union > 0, intersection / np.maximum(union, 1), 0.0)


class WindowTrackLinker:
    """Link the tracks of consecutive, overlapping windows of a video.

    Query-based VIS models track within the frames they see at once. A long
    video is cut into windows that share frames with the previous one; a
    track of the new window continues the previous window's track with
    which its masks on the shared frames have the highest spatio-temporal
    IoU (one-to-one, Hungarian), if that IoU reaches ``min_iou``; else it
    starts a new track. Windows must follow each other in frame order.

    Args:
        frame_shape (tuple): (H, W) of the video frames; masks are resized
            from the model's resolution to it.
        min_iou (float): the least IoU on the shared frames that links two
            tracks.
    """

    def __init__(self,
                 frame_shape: Tuple[int, int],
                 min_iou: float = 0.5) -> None:
        self.frame_shape = tuple(frame_shape)
        self.min_iou = min_iou
        self.tracks: List[VideoTrack] = []
        # The previous window: first frame, track ids, their masks.
        self._previous: Optional[Tuple[int, List[int], np.ndarray]] = None

    def add_window(self, first_frame: int,
                   window_tracks: List[WindowTrack]) -> List[int]:
        """Add the tracks of the window starting at ``first_frame``.

        Returns:
            list[int]: the video track id given to each window track.
        """
        num_frames = window_tracks[0].masks.shape[0] if window_tracks else 0
        shared = self._num_shared_frames(first_frame)
        links = self._link(window_tracks, first_frame, shared)
        track_ids = []
        for index, window_track in enumerate(window_tracks):
            if index in links:
                track = self.tracks[links[index] - 1]
                new_frames = range(shared, num_frames)
            else:
                track = VideoTrack(track_id=len(self.tracks) + 1)
                self.tracks.append(track)
                new_frames = range(num_frames)
            self._record(track, window_track, first_frame, new_frames)
            track_ids.append(track.track_id)
        if window_tracks:
            self._previous = (first_frame, track_ids,
                              np.stack([t.masks for t in window_tracks]))
        return track_ids

    def _num_shared_frames(self, first_frame: int) -> int:
        if self._previous is None:
            return 0
        previous_first, _, previous_masks = self._previous
        previous_end = previous_first + previous_masks.shape[1]
        if first_frame < previous_first:
            raise ValueError(f'window at frame {first_frame} starts before '
                             f'the previous one (frame {previous_first})')
        return max(previous_end - first_frame, 0)

    def _link(self, window_tracks: List[WindowTrack], first_frame: int,
              shared: int) -> Dict[int, int]:
        """Window track index -> id of the video track it continues."""
        if shared == 0 or not window_tracks:
            return {}
        previous_first, previous_ids, previous_masks = self._previous
        offset = first_frame - previous_first
        ious = spatio_temporal_iou(
            previous_masks[:, offset:offset + shared],
            np.stack([t.masks[:shared] for t in window_tracks]))
        rows, columns = linear_sum_assignment(-ious)
        return {
            column: previous_ids[row]
            for row, column in zip(rows, columns)
            if ious[row, column] >= self.min_iou
        }

    def _record(self, track: VideoTrack, window_track: WindowTrack,
                first_frame: int, new_frames: range) -> None:
        weight = window_track.score * len(new_frames)
        track.label_weights[window_track.label] = \
            track.label_weights.get(window_track.label, 0.0) + weight
        track.weighted_score += weight
        track.num_window_frames += len(new_frames)
        for frame in new_frames:
            mask = self._at_frame_resolution(window_track.masks[frame])
            if not mask.any():
                continue
            rle = mask_utils.encode(np.asfortranarray(mask.astype(np.uint8)))
            rle['counts'] = rle['counts'].decode()
            x, y, width, height = mask_utils.toBbox(rle).tolist()
            track.segmentations[first_frame + frame] = rle
            track.boxes[first_frame + frame] = [x, y, x + width, y + height]

    def _at_frame_resolution(self, mask: np.ndarray) -> np.ndarray:
        if mask.shape == self.frame_shape:
            return mask
        height, width = self.frame_shape
        # Bilinear on 0/1 then halfway: smoother edges than nearest.
        resized = cv2.resize(
            mask.astype(np.float32), (width, height),
            interpolation=cv2.INTER_LINEAR)
        return resized >= 0.5
