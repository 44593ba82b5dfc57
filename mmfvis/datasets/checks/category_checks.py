"""Checks of an annotation file's ``categories``, and of the dataset's
classes against them."""
from typing import Dict, Optional, Sequence

from .annotation_places import is_int
from .annotation_report import AnnotationReport

__all__ = ['CategoryCheck']


class CategoryCheck:
    """The ``categories`` section, checked into a report.

    Args:
        report (AnnotationReport): where the problems go.
        classes (Sequence[str], optional): the dataset's classes; then the
            categories must hold them in this order.

    Attributes:
        names (dict): category id -> name, of the well-formed categories.
        class_category_ids (set, optional): the ids of the categories
            among ``classes``; None without classes (all are kept).
    """

    def __init__(self, report: AnnotationReport,
                 classes: Optional[Sequence[str]]):
        self.report = report
        self.classes = None if classes is None else list(classes)
        self.names: Dict = {}
        self.class_category_ids: Optional[set] = None

    def check(self, categories: list) -> None:
        """Each category's id and name, then the classes against them."""
        for index, category in enumerate(categories):
            where = f'category #{index}'
            if not isinstance(category, dict) or not is_int(
                    category.get('id')) or not isinstance(
                        category.get('name'), str):
                self.report.add(
                    'error', 'malformed category', where,
                    "must be an object with an integer 'id' and a string "
                    f"'name', got {category!r}")
            elif category['id'] in self.names:
                self.report.add('error', 'duplicate id', where,
                                f"duplicate category id {category['id']!r}")
            else:
                self.names[category['id']] = category['name']
        if self.classes is not None:
            self._check_classes()

    def _check_classes(self) -> None:
        names = list(self.names.values())
        for name in sorted({n for n in names if names.count(n) > 1}):
            self.report.add(
                'error', 'duplicate category name', 'categories',
                f'category name {name!r} is used by several ids: mmdet maps '
                'class names to ids')
        missing = [name for name in self.classes if name not in names]
        if missing:
            self.report.add(
                'error', 'class missing from the categories', 'categories',
                f"the dataset's classes {missing} are not among the file's "
                f'categories {names}: every later class would take a wrong '
                'label')
            return
        in_file_order = [name for name in names if name in self.classes]
        if in_file_order != self.classes:
            self.report.add(
                'error', 'categories in another order than the classes',
                'categories', f'the file lists the categories in the order '
                f"{in_file_order}, the dataset's classes are {self.classes}: "
                "mmdet numbers labels in the file's order, so names and "
                'labels would disagree; reorder one of them')
        self.class_category_ids = {
            category_id
            for category_id, name in self.names.items() if name in self.classes
        }
