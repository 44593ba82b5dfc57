from .merged_groups_optim_wrapper_constructor import (
    MergedGroupsOptimWrapperConstructor, merge_param_groups)

__all__ = ['MergedGroupsOptimWrapperConstructor', 'merge_param_groups']
