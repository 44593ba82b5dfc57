"""Where the repository and the tools' results are."""
import os.path as osp

REPO = osp.dirname(
    osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))))
RESULTS = osp.join(REPO, 'docs', 'benchmarks', 'results')
