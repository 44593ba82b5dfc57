"""tools/test.py on a split with a video that has no instance: numbers,
not a crash."""
import json
import os.path as osp
import re

from ..paths import REPO_ROOT, TINY_CONFIG
from .conftest import data_root_options, run_tool


def test_a_video_without_instances_is_evaluated(tmp_path, shapes_root,
                                                tiny_checkpoint):
    with open(osp.join(shapes_root, 'annotations', 'val_mmdet.json')) as file:
        annotations = json.load(file)
    annotations['annotations'] = [
        a for a in annotations['annotations'] if a['video_id'] != 2
    ]
    ann_file = tmp_path / 'val_video_2_empty.json'
    ann_file.write_text(json.dumps(annotations))
    result = run_tool([
        osp.join(REPO_ROOT, 'tools', 'test.py'), TINY_CONFIG, tiny_checkpoint,
        '--work-dir', 'work', '--cfg-options', *data_root_options(shapes_root),
        f'test_dataloader.dataset.ann_file={ann_file}'
    ],
                      cwd=str(tmp_path))
    assert 'SKIP: video without any annotated frame: 1' in result.stdout
    values = re.findall(r'youtube_vis/segm_(\S+): (-?[0-9.]+)', result.stdout)
    assert [name for name, _ in values
            ] == ['mAP', 'mAP_50', 'mAP_75', 'AR@1', 'AR@10']
    assert all(0.0 <= float(value) <= 1.0 for _, value in values)
