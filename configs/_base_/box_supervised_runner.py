# What the box-supervision mixins share: mmfvis imported, its runner, and the
# settings beyond the model. mmengine forbids a base to redefine
# `optim_wrapper` or `default_hooks` beside the config it is mixed into, so
# they are entries of `box_supervision`, which `BoxSupervisedRunner` merges
# into the keys of the same name before building (tools/misc/print_config.py
# prints the result).
custom_imports = dict(imports=['mmfvis'], allow_failed_imports=False)
# the scoped name imports mmfvis on lookup, even where a config's own
# `custom_imports` replaces the list above
runner_type = 'mmfvis.BoxSupervisedRunner'
box_supervision = dict(
    # one parameter group per distinct setting and torch's fused update: the
    # same updates, batched; merged where the config uses mmengine's default
    # constructor
    optim_wrapper=dict(constructor='MergedGroupsOptimWrapperConstructor'),
    # a checkpoint or pointer cut short by a kill never becomes the one
    # `--resume` takes; merged where the config uses mmengine's
    # CheckpointHook
    default_hooks=dict(checkpoint=dict(type='AtomicCheckpointHook')))
