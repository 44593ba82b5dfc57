"""Checks of an annotation file's top level: its sections' types, and the
``import_skips`` an importer recorded."""
from .annotation_json import is_official_youtube_vis
from .annotation_report import AnnotationReport

__all__ = ['check_import_skips', 'check_top_level']

CONVERTER = 'tools/dataset_converters/youtube_vis_to_mmdet.py'


def check_top_level(data, report: AnnotationReport) -> bool:
    """Whether ``data`` is an object holding the lists of mmdet's format
    (``images`` and ``categories``; ``annotations`` and ``videos`` where
    given); False when the structure is too broken to look further."""
    if not isinstance(data, dict):
        report.add(
            'error', 'not an annotation file', 'top level',
            "must be an object with 'images', 'annotations' and "
            f"'categories', got {type(data).__name__}")
        return False
    if 'images' not in data and is_official_youtube_vis(data):
        report.add(
            'error', 'official YouTube-VIS format', 'top level',
            "this is the official YouTube-VIS/OVIS format ('file_names' "
            f"per video); convert it with {CONVERTER} first")
        return False
    fine = True
    for key, required in (('images', True), ('categories', True),
                          ('annotations', False), ('videos', False)):
        value = data.get(key)
        if (value is not None or required) and not isinstance(value, list):
            report.add(
                'error', 'top-level field missing', 'top level',
                f"field '{key}' must be a list, got {type(value).__name__}")
            fine = False
    return fine


def check_import_skips(records, report: AnnotationReport) -> None:
    """Each record of ``import_skips`` (``kind``, ``where``, ``message``)
    as a skip; None when the file has none."""
    if records is None:
        return
    if not isinstance(records, list):
        report.add(
            'error', 'malformed import skips', 'top level',
            "field 'import_skips' must be a list, got "
            f'{type(records).__name__}')
        return
    for index, record in enumerate(records):
        if not isinstance(record, dict) or not all(
                isinstance(record.get(key), str)
                for key in ('kind', 'where', 'message')):
            report.add(
                'error', 'malformed import skips', f'import_skips #{index}',
                "must be an object with string 'kind', 'where' and "
                f"'message', got {record!r}")
            continue
        report.add('skip', f"{record['kind']} (left out on import)",
                   record['where'], record['message'])
