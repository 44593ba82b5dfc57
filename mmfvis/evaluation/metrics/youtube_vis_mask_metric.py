"""YouTube-VIS / OVIS mask AP, and the file the evaluation server takes."""
import contextlib
import io
import os
import os.path as osp
import tempfile
import zipfile
from collections import defaultdict
from typing import Dict, List, Optional, Sequence

import mmengine
import numpy as np
from mmdet.evaluation.functional import YTVIS, YTVISeval
from mmdet.evaluation.metrics import YouTubeVISMetric
from mmdet.registry import METRICS
from mmengine.logging import MMLogger
from pycocotools import mask as mask_utils

from ..frame_by_frame_masks import encode_masks

__all__ = [
    'DEFAULT_METRIC_ITEMS', 'STATS_INDEX', 'YouTubeVISMaskMetric',
    'compressed_rle', 'ground_truth_tracks', 'predicted_tracks'
]

# Position of each summary number in ``YTVISeval.stats``.
STATS_INDEX = {
    'mAP': 0,
    'mAP_50': 1,
    'mAP_75': 2,
    'mAP_s': 3,
    'mAP_m': 4,
    'mAP_l': 5,
    'AR@1': 6,
    'AR@10': 7,
    'AR@100': 8,
    'AR_s@100': 9,
    'AR_m@100': 10,
    'AR_l@100': 11,
}
# The columns of the YouTube-VIS leaderboard.
DEFAULT_METRIC_ITEMS = ('mAP', 'mAP_50', 'mAP_75', 'AR@1', 'AR@10')


def compressed_rle(segmentation, height: int, width: int) -> dict:
    """A polygon list, uncompressed or compressed RLE as compressed RLE
    with a ``str`` ``counts`` (json-ready)."""
    if isinstance(segmentation, list):
        rle = mask_utils.merge(
            mask_utils.frPyObjects(segmentation, height, width))
    elif isinstance(segmentation['counts'], list):
        rle = mask_utils.frPyObjects(segmentation, height, width)
    else:
        rle = dict(segmentation)
    if isinstance(rle['counts'], bytes):
        rle['counts'] = rle['counts'].decode()
    return rle


def ground_truth_tracks(frames: Sequence) -> List[dict]:
    """The ground-truth tracks of one video, in the official layout.

    Args:
        frames: the video's frame data samples, in order; their metainfo
            ``instances`` hold ``bbox`` (x1, y1, x2, y2 pixels),
            ``bbox_label``, ``instance_id``, ``ignore_flag`` and,
            optionally, ``mask`` (polygons or RLE at the original size).

    Returns:
        list[dict]: per track ``label`` (0-based), ``iscrowd`` and per-frame
        lists ``bboxes`` (x, y, w, h), ``areas`` (mask pixels, or box area
        without a mask) and ``segmentations`` (compressed RLE), None where
        the instance is absent; ``frames_without_mask`` counts the boxes
        that came without a mask.
    """
    num_frames = len(frames)
    tracks = {}
    for frame_index, frame in enumerate(frames):
        height, width = frame.metainfo['ori_shape'][:2]
        for instance in frame.metainfo.get('instances', []):
            track = tracks.setdefault(
                instance['instance_id'],
                dict(
                    label=int(instance['bbox_label']),
                    iscrowd=int(instance.get('ignore_flag', 0)),
                    bboxes=[None] * num_frames,
                    areas=[None] * num_frames,
                    segmentations=[None] * num_frames,
                    frames_without_mask=0))
            x1, y1, x2, y2 = (float(v) for v in instance['bbox'])
            track['bboxes'][frame_index] = [x1, y1, x2 - x1, y2 - y1]
            if instance.get('mask'):
                rle = compressed_rle(instance['mask'], height, width)
                track['segmentations'][frame_index] = rle
                track['areas'][frame_index] = float(mask_utils.area(rle))
            else:
                track['areas'][frame_index] = (x2 - x1) * (y2 - y1)
                track['frames_without_mask'] += 1
    return list(tracks.values())


def predicted_tracks(frames: Sequence) -> List[dict]:
    """The predicted tracks of one video, gathered by instance id.

    Args:
        frames: the video's frame data samples, in order, each with
            ``pred_track_instances`` (``masks`` (N, H, W) bool or N
            compressed RLEs, ``scores`` (N,), ``labels`` (N,),
            ``instances_id`` (N,)).

    Returns:
        list[dict]: per track ``label`` (the most frequent over its frames),
        ``score`` (mean over its frames) and ``segmentations`` (compressed
        RLE per frame, None where the track is absent).
    """
    gathered = {}
    for frame_index, frame in enumerate(frames):
        prediction = frame.pred_track_instances
        rles = prediction.masks
        if not isinstance(rles, list):  # else encoded already
            rles = encode_masks(rles.detach().cpu().numpy())
        for track_id, label, score, rle in zip(
                prediction.instances_id.tolist(), prediction.labels.tolist(),
                prediction.scores.tolist(), rles):
            track = gathered.setdefault(
                track_id,
                dict(labels=[], scores=[], segmentations=[None] * len(frames)))
            track['labels'].append(int(label))
            track['scores'].append(float(score))
            track['segmentations'][frame_index] = rle
    return [
        dict(
            label=int(np.bincount(track['labels']).argmax()),
            score=float(np.mean(track['scores'])),
            segmentations=track['segmentations'])
        for track in gathered.values()
    ]


@METRICS.register_module()
class YouTubeVISMaskMetric(YouTubeVISMetric):
    """Video mask AP (YouTube-VIS 2019/2021, OVIS) and the submission file.

    Always writes the predictions in the official results format,
    ``<prefix>.json``, and ``<prefix>.submission_file.zip`` holding it as
    ``results.json``, the file the evaluation servers take. When every
    ground-truth box comes with its mask, also computes the local mask AP
    with the YouTube-VIS definition (spatio-temporal mask IoU, COCO-style
    AP over IoU 0.5:0.95). Zero predictions give AP 0; a split without any
    ground-truth instance gives -1 (undefined, the COCO convention).

    The classes come from the dataset meta, so any class list works.
    Whole videos are evaluated: use a video-level sampler
    (``DefaultSampler``) and batch size 1.

    Args:
        metric (str | list[str]): only ``'youtube_vis_ap'`` (accepted so
            that mmdet's VIS configs can switch to this metric by type).
        metric_items (Sequence[str]): the numbers to report, among
            ``STATS_INDEX``; default AP, AP50, AP75, AR1 and AR10.
        outfile_prefix (str, optional): where the results go: a path
            without extension, absolute or relative to the current
            directory. None: ``<work_dir>/<timestamp>/results``, beside
            the experiment's log; outside a runner, a new temporary
            directory. The path is logged.
        category_ids (Sequence[int], optional): the official category id of
            each class, in the order of ``dataset_meta['classes']``. Default
            1..N, the numbering of YouTube-VIS 2019/2021 and OVIS.
        format_only (bool): only write the results (splits without ground
            truth).
        collect_device (str): ``'cpu'`` (mmdet gathers video results on
            the CPU only).
        prefix (str, optional): prefix of the reported names; default
            ``'youtube_vis'``.
    """

    def __init__(self,
                 metric='youtube_vis_ap',
                 metric_items: Sequence[str] = DEFAULT_METRIC_ITEMS,
                 outfile_prefix: Optional[str] = None,
                 category_ids: Optional[Sequence[int]] = None,
                 format_only: bool = False,
                 collect_device: str = 'cpu',
                 prefix: Optional[str] = None) -> None:
        super().__init__(
            metric=metric,
            metric_items=list(metric_items),
            outfile_prefix=outfile_prefix,
            collect_device=collect_device,
            prefix=prefix,
            format_only=format_only)
        unknown = [item for item in metric_items if item not in STATS_INDEX]
        if unknown:
            raise KeyError(f'unknown metric items {unknown}; choose among '
                           f'{list(STATS_INDEX)}')
        self.category_ids = None if category_ids is None else [
            int(i) for i in category_ids
        ]

    def process_video(self, data_samples: Sequence) -> None:
        """Keep one video's ground truth and predictions as official-format
        tracks (masks as compressed RLE)."""
        first = data_samples[0].metainfo
        height, width = first['ori_shape'][:2]
        self.results.append(
            dict(
                video=dict(
                    id=first['video_id'],
                    height=int(height),
                    width=int(width),
                    length=len(data_samples)),
                ground_truth=ground_truth_tracks(data_samples),
                predictions=predicted_tracks(data_samples)))

    def process_image(self, data_samples, ori_video_len: int) -> None:
        raise NotImplementedError(
            f'{type(self).__name__} evaluates whole videos, but got '
            f'{len(data_samples)} of {ori_video_len} frames: use a '
            'video-level sampler (DefaultSampler), not TrackImgSampler')

    def evaluate(self, size: int = 1) -> dict:
        # mmdet's evaluate leaves a plain dict here, which its next call
        # (the second validation of a training run) indexes by 'videos'.
        self._vis_meta_info = defaultdict(list)
        return super().evaluate(size)

    def compute_metrics(self, results: List[dict]) -> Dict[str, float]:
        """Write the submission file; AP when the ground truth has masks."""
        logger = MMLogger.get_current_instance()
        categories = self._categories()
        category_of_label = [category['id'] for category in categories]
        videos = [result['video'] for result in results]
        predictions = self._official_predictions(results, category_of_label)
        self._save_submission(predictions, logger)
        if self.format_only:
            return dict()
        without_mask = sum(track['frames_without_mask'] for result in results
                           for track in result['ground_truth'])
        if without_mask:
            logger.warning(
                f'{without_mask} ground-truth boxes have no mask: mask AP '
                'is not computed (box-only annotations)')
            return dict()
        ground_truth = self._official_ground_truth(results, category_of_label)
        if not ground_truth:
            logger.warning('no ground-truth instance in the evaluated '
                           'videos: every AP is -1 (undefined)')
        stats = self._mask_ap_stats(videos, categories, ground_truth,
                                    predictions, logger)
        return {
            f'segm_{item}': float(stats[STATS_INDEX[item]])
            for item in self.metric_items
        }

    def _categories(self) -> List[dict]:
        classes = self.dataset_meta['classes']
        ids = self.category_ids or list(range(1, len(classes) + 1))
        if len(ids) != len(classes):
            raise ValueError(
                f'category_ids has {len(ids)} ids for {len(classes)} '
                f'classes {tuple(classes)}')
        return [dict(id=i, name=name) for i, name in zip(ids, classes)]

    @staticmethod
    def _official_predictions(results: List[dict],
                              category_of_label: List[int]) -> List[dict]:
        return [
            dict(
                video_id=result['video']['id'],
                score=track['score'],
                category_id=category_of_label[track['label']],
                segmentations=track['segmentations']) for result in results
            for track in result['predictions']
        ]

    @staticmethod
    def _official_ground_truth(results: List[dict],
                               category_of_label: List[int]) -> List[dict]:
        # Track ids are renumbered: instance ids of a dataset need not be
        # unique across videos, the evaluator's annotation ids must be.
        ground_truth = []
        for result in results:
            for track in result['ground_truth']:
                ground_truth.append(
                    dict(
                        id=len(ground_truth) + 1,
                        video_id=result['video']['id'],
                        category_id=category_of_label[track['label']],
                        iscrowd=track['iscrowd'],
                        bboxes=track['bboxes'],
                        areas=track['areas'],
                        segmentations=track['segmentations']))
        return ground_truth

    def _submission_prefix(self, logger: MMLogger) -> str:
        if self.outfile_prefix is not None:
            return self.outfile_prefix
        if logger.log_file is not None:
            return osp.join(osp.dirname(logger.log_file), 'results')
        return osp.join(tempfile.mkdtemp(prefix='youtube_vis_'), 'results')

    def _save_submission(self, predictions: List[dict],
                         logger: MMLogger) -> None:
        prefix = self._submission_prefix(logger)
        os.makedirs(osp.dirname(osp.abspath(prefix)), exist_ok=True)
        mmengine.dump(predictions, f'{prefix}.json')
        zip_path = f'{prefix}.submission_file.zip'
        with zipfile.ZipFile(zip_path, 'w', zipfile.ZIP_DEFLATED) as archive:
            archive.write(f'{prefix}.json', 'results.json')
        logger.info(f'{len(predictions)} predicted tracks written to '
                    f'{prefix}.json; submit {zip_path} to the server')

    @staticmethod
    def _mask_ap_stats(videos: List[dict], categories: List[dict],
                       ground_truth: List[dict], predictions: List[dict],
                       logger: MMLogger) -> np.ndarray:
        """The 12 summary numbers of the YouTube-VIS evaluation."""
        printed = io.StringIO()
        # The evaluator prints its progress and summary: log the summary.
        with contextlib.redirect_stdout(printed):
            ground_truth_api = YTVIS(
                dict(
                    videos=videos,
                    categories=categories,
                    annotations=ground_truth))
            evaluation = YTVISeval(
                ground_truth_api,
                _load_predictions(ground_truth_api, predictions), 'segm')
            evaluation.params.vidIds = ground_truth_api.getVidIds()
            evaluation.evaluate()
            evaluation.accumulate()
            evaluation.summarize()
        summary = [
            line for line in printed.getvalue().splitlines()
            if line.lstrip().startswith('Average')
        ]
        logger.info('YouTube-VIS mask evaluation\n' + '\n'.join(summary))
        return np.asarray(evaluation.stats)


def _load_predictions(ground_truth_api: YTVIS,
                      predictions: List[dict]) -> YTVIS:
    """The predictions as an evaluator dataset; ``loadRes`` cannot take an
    empty list."""
    if predictions:
        return ground_truth_api.loadRes(
            [dict(prediction) for prediction in predictions])
    empty = YTVIS()
    empty.dataset = dict(
        videos=list(ground_truth_api.dataset['videos']),
        categories=list(ground_truth_api.dataset['categories']),
        annotations=[])
    empty.createIndex()
    return empty
