import torch.distributed as torch_dist

from mmfvis.utils import end_process_group


def test_end_process_group_closes_the_group(tmp_path):
    torch_dist.init_process_group(
        backend='gloo',
        init_method=f'file://{tmp_path}/store',
        rank=0,
        world_size=1)
    end_process_group()
    assert not torch_dist.is_initialized()


def test_end_process_group_without_a_group_does_nothing():
    assert not torch_dist.is_initialized()
    end_process_group()
    assert not torch_dist.is_initialized()
