"""Paths the tests share."""
import os.path as osp

REPO_ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
CONFIG_DIR = osp.join(REPO_ROOT, 'configs')
SHARED_DATA = osp.normpath(osp.join(REPO_ROOT, '..', 'shared', 'data'))
TINY_CONFIG = osp.join(CONFIG_DIR, 'mfvis_tiny_cpu.py')
