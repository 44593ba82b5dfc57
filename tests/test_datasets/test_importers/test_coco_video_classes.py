"""mmfvis.datasets.importers.coco_video_classes, run by
tools/dataset_converters/coco_to_video_classes.py: COCO relabelled with
YouTube-VIS classes, loadable by mmdet's CocoDataset for joint training."""
import json

import pytest
from mmdet.datasets import YouTubeVISDataset
from mmdet.registry import DATASETS

import mmfvis  # noqa: F401  registers modules
from mmfvis.datasets import COCO_TO_YTVIS_2019, relabel_coco_to_classes
from ...test_tools.tool_loading import load_tool

converter = load_tool('dataset_converters/coco_to_video_classes.py')

POLYGON = [[1.0, 1.0, 9.0, 1.0, 9.0, 9.0]]
COCO = dict(
    categories=[
        dict(id=1, name='person'),
        dict(id=2, name='bicycle'),
        dict(id=3, name='car'),
        dict(id=4, name='motorcycle'),
        dict(id=34, name='frisbee'),
        dict(id=38, name='kite')
    ],
    images=[
        dict(id=1, file_name='1.jpg', height=40, width=60),
        dict(id=2, file_name='2.jpg', height=40, width=60),
        dict(id=3, file_name='3.jpg', height=40, width=60)
    ],
    annotations=[
        dict(id=10, image_id=1, category_id=3, bbox=[1, 2, 10, 12]),
        dict(id=11, image_id=1, category_id=38, bbox=[20, 2, 10, 12]),
        dict(id=12, image_id=2, category_id=38, bbox=[1, 2, 10, 12]),
        dict(id=13, image_id=3, category_id=2, bbox=[1, 2, 10, 12]),
        dict(id=14, image_id=3, category_id=4, bbox=[15, 2, 10, 12]),
        dict(id=15, image_id=3, category_id=1, bbox=[30, 2, 10, 12]),
        dict(id=16, image_id=3, category_id=34, bbox=[45, 2, 10, 12]),
    ])
for annotation in COCO['annotations']:
    annotation.update(area=120.0, iscrowd=0, segmentation=POLYGON)


def _classes(version):
    YouTubeVISDataset.set_dataset_classes(version)
    return YouTubeVISDataset.METAINFO['classes']


def _convert(tmp_path, *options):
    source, target = tmp_path / 'coco.json', tmp_path / 'out.json'
    source.write_text(json.dumps(COCO))
    converter.main([str(source), str(target), *options])
    with open(target) as f:
        return json.load(f), str(target)


def test_relabelled_to_youtube_vis_2019_boxes_only(tmp_path):
    relabelled, path = _convert(tmp_path, '--classes', 'ytvis2019',
                                '--boxes-only')
    classes = _classes('2019')
    assert relabelled['categories'] == [
        dict(id=index + 1, name=name) for index, name in enumerate(classes)
    ]
    # kites and frisbees are no 2019 class; image 2 had only a kite
    assert [image['id'] for image in relabelled['images']] == [1, 3]
    names = {
        annotation['id']: classes[annotation['category_id'] - 1]
        for annotation in relabelled['annotations']
    }
    assert names == {
        10: 'sedan',
        13: 'motorbike',
        14: 'motorbike',
        15: 'person'
    }
    assert not any('segmentation' in a for a in relabelled['annotations'])
    # mmdet's CocoDataset labels them as the video dataset does
    dataset = DATASETS.build(
        dict(
            type='CocoDataset',
            ann_file=path,
            metainfo=dict(classes=classes),
            data_prefix=dict(img=''),
            test_mode=True,
            pipeline=[]))
    labels = [[
        instance['bbox_label']
        for instance in dataset.get_data_info(index)['instances']
    ] for index in range(len(dataset))]
    assert labels == [[classes.index('sedan')],
                      [classes.index('motorbike')] * 2 +
                      [classes.index('person')]]


def test_2021_classes_and_masks_kept(tmp_path):
    relabelled, _ = _convert(tmp_path, '--classes', 'ytvis2021')
    classes = _classes('2021')
    names = [classes[a['category_id'] - 1] for a in relabelled['annotations']]
    assert names == ['car', 'motorbike', 'motorbike', 'person', 'flying_disc']
    assert all(a['segmentation'] == POLYGON for a in relabelled['annotations'])


def test_mapping_to_a_missing_class_is_refused():
    with pytest.raises(ValueError, match='sedan'):
        relabel_coco_to_classes(COCO, COCO_TO_YTVIS_2019, ('person', 'car'))
