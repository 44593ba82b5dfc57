"""COCO annotations relabelled with a video dataset's classes.

Joint image and video training (MaskFreeVIS's COCO-joint setting) needs the
COCO images labelled with the video classes: the COCO categories that are a
video class (sometimes under another name, several COCO ones to one video
class) keep their annotations, relabelled; the others are dropped. The
tables are by name; their content is the mapping the published
YouTube-VIS joint-training code uses.
"""
import copy
from typing import Dict, Sequence

__all__ = [
    'COCO_TO_YTVIS_2019', 'COCO_TO_YTVIS_2021', 'relabel_coco_to_classes'
]

# COCO category name -> YouTube-VIS class name, where the 2019 and 2021
# classes agree
_COCO_TO_YTVIS_BOTH = {
    'person': 'person',
    'bicycle': 'motorbike',
    'motorcycle': 'motorbike',
    'airplane': 'airplane',
    'train': 'train',
    'truck': 'truck',
    'boat': 'boat',
    'cat': 'cat',
    'dog': 'dog',
    'horse': 'horse',
    'cow': 'cow',
    'elephant': 'elephant',
    'bear': 'bear',
    'zebra': 'zebra',
    'giraffe': 'giraffe',
    'skis': 'snowboard',
    'snowboard': 'snowboard',
    'skateboard': 'skateboard',
    'surfboard': 'surfboard',
    'tennis racket': 'tennis_racket',
}
# COCO category name -> YouTube-VIS 2019 class name
COCO_TO_YTVIS_2019 = {**_COCO_TO_YTVIS_BOTH, 'car': 'sedan'}
# COCO category name -> YouTube-VIS 2021 class name
COCO_TO_YTVIS_2021 = {
    **_COCO_TO_YTVIS_BOTH,
    'car': 'car',
    'bird': 'bird',
    'frisbee': 'flying_disc',
}


def relabel_coco_to_classes(coco: dict,
                            class_mapping: Dict[str, str],
                            classes: Sequence[str],
                            boxes_only: bool = False) -> dict:
    """A COCO annotation dict relabelled with other classes.

    Args:
        coco (dict): COCO instances json (``images``, ``annotations``,
            ``categories``).
        class_mapping (dict[str, str]): COCO category name -> name in
            ``classes``; annotations of other categories are dropped.
        classes (Sequence[str]): the target classes; they become the
            categories 1..len(classes) in this order, so mmdet's
            ``CocoDataset`` with ``metainfo=dict(classes=classes)`` labels
            them 0..len(classes) - 1 like the video dataset.
        boxes_only (bool): drop every ``segmentation``.

    Returns:
        dict: the images that keep at least one annotation, their
        annotations (ids unchanged) and the new categories.
    """
    unknown = set(class_mapping.values()) - set(classes)
    if unknown:
        raise ValueError(f'class_mapping maps to {sorted(unknown)}, which '
                         'are not among the classes')
    target_id = {name: index + 1 for index, name in enumerate(classes)}
    new_category = {
        category['id']: target_id[class_mapping[category['name']]]
        for category in coco['categories'] if category['name'] in class_mapping
    }
    annotations = []
    for annotation in coco['annotations']:
        if annotation['category_id'] not in new_category:
            continue
        annotation = copy.deepcopy(annotation)
        annotation['category_id'] = new_category[annotation['category_id']]
        if boxes_only:
            annotation.pop('segmentation', None)
        annotations.append(annotation)
    kept_images = {annotation['image_id'] for annotation in annotations}
    return dict(
        images=[
            image for image in coco['images'] if image['id'] in kept_images
        ],
        annotations=annotations,
        categories=[dict(id=target_id[name], name=name) for name in classes])
