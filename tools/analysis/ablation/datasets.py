"""A benchmark's evaluation data and the filled-box baseline on it."""
import copy

from .overrides import with_mask_quality


def build_dataset(dataset_cfg: dict):
    """A dataset of a config, without its pipeline (annotations only)."""
    from mmdet.utils import register_all_modules
    from mmengine.registry import DATASETS

    import mmfvis  # noqa: F401
    register_all_modules()
    dataset_cfg = copy.deepcopy(dataset_cfg)
    dataset_cfg.pipeline = []
    return DATASETS.build(dataset_cfg)


def filled_box_metrics(dataset, evaluator) -> dict:
    """Mask AP and J&F of a dataset's ground-truth boxes, filled.

    Args:
        evaluator (dict | list[dict]): the config's test evaluator; DAVIS
            J, F and J&F are evaluated beside it.
    """
    from mmfvis.evaluation import evaluate_filled_boxes
    results = evaluate_filled_boxes(
        dataset, with_mask_quality(evaluator), show_progress=False)
    return {k.split('/')[-1]: v for k, v in results.items()}
