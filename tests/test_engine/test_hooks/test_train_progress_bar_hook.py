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
