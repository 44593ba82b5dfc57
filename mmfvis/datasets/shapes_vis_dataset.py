import os.path as osp

from mmdet.registry import DATASETS
from mmengine.dist import barrier, get_dist_info

from .checked_video_dataset import CheckedVideoDataset
from .synthetic import SHAPE_CLASSES, generate_shapes_vis

__all__ = ['ShapesVISDataset']


@DATASETS.register_module()
class ShapesVISDataset(CheckedVideoDataset):
    """The generated shapes videos (see :mod:`mmfvis.datasets.synthetic`).

    The split is generated on first use when its annotation file is missing:
    no download and no manual step. ``ann_file`` names one of the generated
    files, ``annotations/<split>_mmdet.json`` (with masks, for evaluation)
    or ``annotations/<split>_mmdet_boxes.json`` (boxes only, for training).
    The file is checked on load, as by :class:`CheckedVideoDataset`.

    Args:
        generate (dict): keyword arguments of :func:`generate_shapes_vis`
            (``split``, ``num_videos``, ``num_frames``, ``frame_size``,
            ``max_objects``, ``seed``).
    """
    METAINFO = dict(classes=SHAPE_CLASSES)

    def __init__(self, *args, generate: dict = None, **kwargs):
        self.generate = dict(generate or {})
        super().__init__(*args, **kwargs)

    def load_data_list(self):
        if not osp.exists(self.ann_file):
            self._generate_split()
        return super().load_data_list()

    def _generate_split(self) -> None:
        # data_root is the generator's out_dir: ann_file and images lie
        # below it as the generator writes them.
        rank, world_size = get_dist_info()
        if rank == 0:
            generate_shapes_vis(self.data_root, **self.generate)
        if world_size > 1:
            barrier()
        if not osp.exists(self.ann_file):
            raise FileNotFoundError(
                f'{self.ann_file} is not among the files generated under '
                f'{self.data_root} with {self.generate}: name '
                "'annotations/<split>_mmdet.json' or "
                "'annotations/<split>_mmdet_boxes.json'")
