from .box_supervised_runner import BoxSupervisedRunner, apply_box_supervision

__all__ = ['BoxSupervisedRunner', 'apply_box_supervision']
