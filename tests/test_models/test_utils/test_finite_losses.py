import math
import socket

import pytest
import torch
import torch.distributed as torch_dist
from mmengine.logging import MessageHub

from mmfvis.models.utils import NonFiniteLossError, check_finite_losses


def losses(**values):
    return {name: torch.tensor(value) for name, value in values.items()}


def test_finite_losses_pass():
    check_finite_losses(
        losses(loss_cls=1.0, loss_proj=0.0), 'batch of videos [3]')


def test_names_each_bad_term_and_says_when_no_runner_counts():
    MessageHub.get_instance('finite_losses_no_iteration')
    with pytest.raises(NonFiniteLossError) as raised:
        check_finite_losses(
            losses(
                loss_cls=1.0, loss_proj=math.inf,
                **{'d0.loss_pair': math.nan}), 'batch of videos [3, 8]')
    message = str(raised.value)
    assert message.startswith('non-finite loss outside a training loop: '
                              'loss_proj = inf, d0.loss_pair = nan; batch of '
                              'videos [3, 8].')
    assert 'loss_cls' not in message


@pytest.fixture
def one_process_group():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        port = sock.getsockname()[1]
    torch_dist.init_process_group(
        'gloo', init_method=f'tcp://127.0.0.1:{port}', rank=0, world_size=1)
    yield
    torch_dist.destroy_process_group()


def test_distributed_runs_agree_through_an_all_reduce(one_process_group):
    check_finite_losses(losses(loss_cls=1.0))
    with pytest.raises(NonFiniteLossError, match='loss_temp = nan'):
        check_finite_losses(losses(loss_cls=1.0, loss_temp=math.nan))


def test_the_mixin_names_the_images_or_videos_of_the_batch():
    from mmfvis.models.utils.box_supervised_head_mixin import _describe_batch
    assert _describe_batch([dict(video_id=[3, 3]),
                            dict(video_id=[8, 8])]) == \
        'batch of videos [3, 8]'
    assert _describe_batch([dict(img_path='a.jpg'), dict(img_id=7)]) == \
        'batch of images [\'a.jpg\', 7]'
