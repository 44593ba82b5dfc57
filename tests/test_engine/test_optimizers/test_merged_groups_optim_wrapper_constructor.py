import copy

import pytest
import torch
import torch.nn as nn
from mmengine.optim import build_optim_wrapper

from mmfvis.engine import MergedGroupsOptimWrapperConstructor  # noqa: F401
from mmfvis.engine import merge_param_groups

# mmdet's Mask2Former-VIS settings: backbone x 0.1, no decay on norms and
# embeddings, one group per parameter in mmengine's default constructor
OPTIM_WRAPPER = dict(
    type='OptimWrapper',
    optimizer=dict(type='AdamW', lr=1e-3, weight_decay=0.05),
    clip_grad=dict(max_norm=0.01, norm_type=2),
    paramwise_cfg=dict(
        custom_keys=dict(
            backbone=dict(lr_mult=0.1, decay_mult=1.0),
            query_embed=dict(lr_mult=1.0, decay_mult=0.0)),
        norm_decay_mult=0.0))


class TinyModel(nn.Module):

    def __init__(self):
        super().__init__()
        self.backbone = nn.Sequential(
            nn.Conv2d(3, 4, 3), nn.BatchNorm2d(4), nn.Conv2d(4, 4, 3))
        self.query_embed = nn.Embedding(5, 4)
        self.head = nn.Sequential(nn.Linear(4, 4), nn.LayerNorm(4))

    def forward(self, x):
        features = self.backbone(x).mean((2, 3))
        return (self.head(features) @ self.query_embed.weight.t()).sum()


def _train(constructor, steps=3):
    torch.manual_seed(0)
    model = TinyModel()
    cfg = copy.deepcopy(OPTIM_WRAPPER)
    cfg['constructor'] = constructor
    wrapper = build_optim_wrapper(model, cfg)
    inputs = torch.randn(
        2, 3, 8, 8, generator=torch.Generator().manual_seed(1))
    for _ in range(steps):
        wrapper.update_params(model(inputs))
    return model, wrapper


def test_groups_merge_by_settings_in_first_seen_order():
    a, b, c, d = (torch.zeros(1) for _ in range(4))
    groups = merge_param_groups([
        dict(params=[a], lr=0.1, weight_decay=0.0),
        dict(params=[b], lr=1.0),
        dict(params=[c], weight_decay=0.0, lr=0.1),
        dict(params=[d], lr=1.0),
    ])
    assert [(g['lr'], len(g['params'])) for g in groups] == [(0.1, 2),
                                                             (1.0, 2)]
    assert groups[0]['params'][1] is c and groups[1]['params'][1] is d
    assert groups[0]['weight_decay'] == 0.0 and 'weight_decay' not in groups[1]


def _settings_by_parameter(optimizer):
    return {
        id(param): (group['lr'], group['weight_decay'])
        for group in optimizer.param_groups
        for param in group['params']
    }


def test_merged_groups_keep_every_parameters_settings():
    model = TinyModel()
    before, after = (
        build_optim_wrapper(
            model, dict(copy.deepcopy(OPTIM_WRAPPER),
                        constructor=constructor)).optimizer
        for constructor in ('DefaultOptimWrapperConstructor',
                            'MergedGroupsOptimWrapperConstructor'))
    assert len(before.param_groups) == len(list(model.parameters()))
    # backbone, query embedding, head norm, rest of the head: the query
    # embedding and the norm share lr and decay but not mmengine's
    # lr_mult / decay_mult records, which are kept
    assert len(after.param_groups) == 4
    assert _settings_by_parameter(after) == _settings_by_parameter(before)
    assert len(set(_settings_by_parameter(after).values())) == 3
    assert all(group['fused'] for group in after.param_groups)


def test_updates_equal_mmengines_default_constructor():
    reference, _ = _train('DefaultOptimWrapperConstructor')
    merged, _ = _train('MergedGroupsOptimWrapperConstructor')
    for (name, expected), actual in zip(reference.named_parameters(),
                                        merged.parameters()):
        torch.testing.assert_close(
            actual, expected, rtol=1e-6, atol=1e-7, msg=name)


@pytest.mark.parametrize('choice', [dict(foreach=True), dict(fused=False)])
def test_an_explicit_foreach_or_fused_is_kept(choice):
    cfg = copy.deepcopy(OPTIM_WRAPPER)
    cfg['constructor'] = 'MergedGroupsOptimWrapperConstructor'
    cfg['optimizer'].update(choice)
    defaults = build_optim_wrapper(TinyModel(), cfg).optimizer.defaults
    assert {key: defaults[key] for key in choice} == choice
    assert not defaults['fused']


def test_an_optimizer_without_fused_and_paramwise_settings_builds():
    cfg = dict(
        optimizer=dict(type='RMSprop', lr=0.1),
        constructor='MergedGroupsOptimWrapperConstructor')
    optimizer = build_optim_wrapper(TinyModel(), cfg).optimizer
    assert len(optimizer.param_groups) == 1
    assert 'fused' not in optimizer.defaults
