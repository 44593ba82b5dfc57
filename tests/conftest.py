import pytest


@pytest.fixture(scope='session')
def shapes_root(tmp_path_factory):
    """A small generated shapes dataset (train and val), made once; datasets
    built on it name its settings, ``builders.SHAPES_SPLITS``."""
    from mmfvis.datasets import generate_shapes_vis
    from .builders import SHAPES_SPLITS
    root = str(tmp_path_factory.mktemp('shapes_vis'))
    for settings in SHAPES_SPLITS.values():
        generate_shapes_vis(root, **settings, show_progress=False)
    return root
