"""The generated shapes dataset as the dataset tests build it."""


def build_shapes_dataset(root,
                         ann_file='annotations/train_mmdet_boxes.json',
                         metainfo=None,
                         **generate):
    """A ``ShapesVISDataset`` of the train split under ``root``, generated
    there with ``generate`` (no progress bar) unless it is; no pipeline."""
    from mmdet.registry import DATASETS
    return DATASETS.build(
        dict(
            type='ShapesVISDataset',
            data_root=str(root),
            ann_file=ann_file,
            data_prefix=dict(img_path='train/JPEGImages'),
            generate=dict(generate, show_progress=False),
            metainfo=metainfo,
            pipeline=[]))
