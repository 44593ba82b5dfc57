"""The configs table of docs/train_test.md says what the configs hold."""
import os.path as osp

import pytest
from mmengine.config import Config

from ..paths import CONFIG_DIR, REPO_ROOT


def _table_rows():
    """{config file: {column: cell}} of the configs table."""
    with open(osp.join(REPO_ROOT, 'docs', 'train_test.md')) as page:
        lines = page.read().split('## Configs', 1)[1].splitlines()
    table = [line for line in lines[:40] if line.startswith('|')]
    header = [cell.strip() for cell in table[0].strip('|').split('|')]
    rows = {}
    for line in table[2:]:
        cells = [cell.strip() for cell in line.strip('|').split('|')]
        rows[cells[0].strip('`')] = dict(zip(header, cells))
    return rows


ROWS = _table_rows()


def test_the_table_lists_every_full_size_config():
    listed = set(ROWS)
    assert 'mfvis_ytvis.py' in listed and len(listed) == 8


@pytest.mark.parametrize('config', sorted(ROWS))
def test_iterations_and_queries_are_the_configs(config):
    cfg = Config.fromfile(osp.join(CONFIG_DIR, config))
    head = cfg.model.get('track_head', cfg.model.get('panoptic_head'))
    row = ROWS[config]
    assert int(row['iterations'].replace(',', '')) == cfg.train_cfg.max_iters
    assert int(row['queries']) == head.num_queries
