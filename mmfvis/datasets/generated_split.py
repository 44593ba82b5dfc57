"""Generated shapes splits, made on first use: no download, no manual step.
"""
import json
import os.path as osp
import re

from mmengine.dist import barrier, get_dist_info
from mmengine.logging import print_log

from .synthetic import generate_shapes_vis, generation_settings

__all__ = ['GeneratedSplitMixin', 'generate_split_once']


class GeneratedSplitMixin:
    """A dataset whose split is generated under ``data_root`` when its
    annotation file is missing (see :func:`generate_split_once`); mixed in
    before an mmdet dataset class.

    Args:
        generate (dict): keyword arguments of :func:`generate_shapes_vis`.
    """

    def __init__(self, *args, generate: dict = None, **kwargs):
        self.generate = dict(generate or {})
        super().__init__(*args, **kwargs)

    def load_data_list(self):
        generate_split_once(self.data_root, self.ann_file, self.generate)
        return super().load_data_list()


def generate_split_once(data_root: str, ann_file: str, generate: dict) -> None:
    """Generate a shapes split under ``data_root`` unless it is there,
    made with the same settings (files of other settings, or of an older
    generator, are regenerated, never reused); in distributed runs rank 0
    writes while the others wait.

    Args:
        data_root (str): the generator's ``out_dir``.
        ann_file (str): the annotation file the dataset reads: one the
            generator writes for this split, or a file of the user's that
            names its frames.
        generate (dict): keyword arguments of :func:`generate_shapes_vis`.
    """
    settings = generation_settings(**generate)
    split = settings['split']
    _check_ann_file_split(ann_file, split)
    # rank 0 alone decides: another rank reading the settings while rank 0
    # writes them could skip the barrier rank 0 then waits at
    rank, world_size = get_dist_info()
    if rank == 0 and not _settings_match(data_root, settings):
        generate_shapes_vis(data_root, **generate)
    if world_size > 1:
        barrier()
    if not osp.exists(ann_file):
        raise FileNotFoundError(
            f'{ann_file} is not among the files generated under '
            f'{data_root} with {generate}: name '
            f"'annotations/{split}_mmdet.json' or "
            f"'annotations/{split}_mmdet_boxes.json'")


def _check_ann_file_split(ann_file: str, split: str) -> None:
    """A generated file of another split means ``generate`` describes the
    wrong split: refuse before checking or generating that one."""
    named = re.fullmatch(r'(.+?)_mmdet(_boxes)?\.json', osp.basename(ann_file))
    if named and named.group(1) != split:
        raise ValueError(
            f"{ann_file} is a file of split '{named.group(1)}' but "
            f"generate describes split '{split}': set generate.split")


def _settings_match(data_root: str, wanted: dict) -> bool:
    """Whether the split's recorded settings are ``wanted`` (from
    :func:`generation_settings`); logs why not."""
    settings_file = osp.join(data_root, 'annotations',
                             f"{wanted['split']}_settings.json")
    recorded = None
    if osp.exists(settings_file):
        with open(settings_file) as f:
            recorded = json.load(f)
    if recorded == wanted:
        return True
    print_log(
        f'{settings_file}: the files were generated with {recorded}, not '
        f'{wanted}: generating them again',
        logger='current')
    return False
