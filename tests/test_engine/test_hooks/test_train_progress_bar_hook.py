from types import SimpleNamespace

import torch

from mmfvis.engine import TrainProgressBarHook


def test_bar_counts_iterations_from_the_resumed_one():
    hook = TrainProgressBarHook()
    runner = SimpleNamespace(max_iters=10, iter=4)
    hook.before_train(runner)
    for _ in range(3):
        hook.after_train_iter(runner, 0, outputs=dict(loss=torch.tensor(1.25)))
    task = hook._progress.tasks[0]
    assert (task.completed, task.total) == (7, 10)
    assert task.fields['loss'] == '1.250'
    hook.after_train(runner)
    assert hook._progress is None


def test_logs_the_time_left_after_measuring_then_every_tenth(monkeypatch):
    """A log that is not a terminal sees the estimate too: 0.5 s an
    iteration, timed after the first one (3 s)."""
    from mmfvis.engine.hooks import train_progress_bar_hook as module
    now = [0.0]
    monkeypatch.setattr(module.time, 'monotonic', lambda: now[0])
    lines = []
    monkeypatch.setattr(module, 'print_log',
                        lambda message, logger: lines.append(message))
    hook = TrainProgressBarHook(measure_iters=4, report_fraction=0.25)
    runner = SimpleNamespace(max_iters=40, iter=0)
    hook.before_train(runner)
    for iteration in range(40):
        runner.iter = iteration
        now[0] = 3.0 + 0.5 * iteration
        hook.after_train_iter(runner, 0, outputs=dict(loss=torch.tensor(1.)))
    hook.after_train(runner)
    assert lines[0] == ('training: 0.50 s an iteration over 4 iterations: '
                        'about 0.3 min for the 35 left')
    assert lines[1:] == [
        'training: iteration 10/40 (25%), 0.1 min elapsed, about 0.2 min '
        'left',
        'training: iteration 20/40 (50%), 0.2 min elapsed, about 0.2 min '
        'left',
        'training: iteration 30/40 (75%), 0.2 min elapsed, about 0.1 min '
        'left',
    ]
