from .box_supervised_runner import (BoxSupervisedRunner, apply_box_supervision,
                                    use_merged_param_groups)

__all__ = [
    'BoxSupervisedRunner', 'apply_box_supervision', 'use_merged_param_groups'
]
