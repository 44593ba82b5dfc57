"""Drawing of test predictions, one folder per video."""
import os
import os.path as osp
from typing import Optional, Sequence

import mmcv
from mmdet.engine.hooks import TrackVisualizationHook
from mmdet.registry import HOOKS
from mmdet.structures import DetDataSample, TrackDataSample
from mmengine import fileio
from mmengine.runner import Runner

__all__ = ['VISVisualizationHook']


@HOOKS.register_module()
class VISVisualizationHook(TrackVisualizationHook):
    """Draw the ground truth beside the predictions of every test video.

    What ``tools/test.py --show-dir DIR`` uses: each drawn frame goes to
    ``<work_dir>/<timestamp>/DIR/<video folder>/<frame file>``. mmdet's
    ``TrackVisualizationHook`` wrote the frames of all videos into one
    folder (named after the split's image folder), where frames of the same
    name overwrote each other. Use it with
    :class:`~mmfvis.visualization.VISLocalVisualizer`, which also draws
    box-only ground truth.

    Args as mmdet's ``TrackVisualizationHook``; ``frame_interval`` keeps
    every n-th frame of each video.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._test_out_root: Optional[str] = None

    def before_test(self, runner: Runner) -> None:
        if self.draw and self.test_out_dir is not None:
            self._test_out_root = osp.join(runner.work_dir, runner.timestamp,
                                           self.test_out_dir)

    def after_test_iter(self, runner: Runner, batch_idx: int, data_batch: dict,
                        outputs: Sequence[TrackDataSample]) -> None:
        if not self.draw:
            return
        for track_data_sample in outputs:
            frames = track_data_sample.video_data_samples
            for frame_index in range(0, len(frames), self.frame_interval):
                self.visualize_single_image(frames[frame_index],
                                            self.image_idx + frame_index)
            self.image_idx += len(frames)

    def visualize_single_image(self, img_data_sample: DetDataSample,
                               step: int) -> None:
        """Draw one frame: to its video's folder when testing with an
        output directory, else to the visualiser's backends."""
        img_path = img_data_sample.img_path
        image = mmcv.imfrombytes(
            fileio.get(img_path, backend_args=self.backend_args),
            channel_order='rgb')
        out_file = None
        if self._test_out_root is not None:
            video_folder = osp.basename(osp.dirname(img_path))
            out_file = osp.join(self._test_out_root, video_folder,
                                osp.basename(img_path))
            os.makedirs(osp.dirname(out_file), exist_ok=True)
        self._visualizer.add_datasample(
            osp.basename(img_path) if self.show else 'test_img',
            image,
            data_sample=img_data_sample,
            show=self.show,
            wait_time=self.wait_time,
            pred_score_thr=self.score_thr,
            out_file=out_file,
            step=step)
