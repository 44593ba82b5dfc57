"""A benchmark tool run end to end on a few generated videos."""
from .conftest import run_tool


def run_on_tiny_generated_videos(script: str, tmp_path, *options: str):
    """Run ``script`` on 4 generated training videos and 2 held-out ones
    under ``tmp_path`` (data/, work/), 2 iterations a row, 2 runs at a
    time, with ``options`` besides; the path of its results markdown."""
    results_md = tmp_path / 'results.md'
    run_tool([
        script, '--iters', '2', '--jobs', '2', '--data-root',
        str(tmp_path / 'data'), '--work-dir',
        str(tmp_path / 'work'), '--results-md',
        str(results_md), *options, '--cfg-options',
        'train_dataloader.dataset.generate.num_videos=4',
        'test_dataloader.dataset.generate.num_videos=2'
    ],
             cwd=str(tmp_path),
             timeout=600)
    return results_md
