import pytest


def pytest_addoption(parser):
    parser.addoption(
        '--runslow',
        action='store_true',
        help='also run the tests marked slow (training runs)')


def pytest_collection_modifyitems(config, items):
    if config.getoption('--runslow'):
        return
    skip_slow = pytest.mark.skip(reason='slow: run with --runslow')
    for item in items:
        if 'slow' in item.keywords:
            item.add_marker(skip_slow)


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
