"""Checks of one annotated box, shared by both annotation formats."""
import math
from numbers import Real
from typing import Optional, Tuple

__all__ = ['box_problem', 'is_finite_number']


def is_finite_number(value) -> bool:
    """A finite int or float (json's NaN and Infinity literals are not)."""
    # json gives exact floats and ints: test those first, as an isinstance
    # check against the abstract Real costs most of a million-box import
    kind = type(value)
    if kind is float:
        return math.isfinite(value)
    if kind is int:
        return True
    return isinstance(value, Real) and not isinstance(value, bool) \
        and math.isfinite(value)


def box_problem(bbox,
                width: float,
                height: float,
                field: str = 'bbox') -> Optional[Tuple[str, str, str]]:
    """What is wrong with one box, if anything.

    Args:
        bbox: the json value, expected [x, y, w, h] in pixels.
        width, height: the frame's size in pixels.
        field (str): the field's name, quoted in the message.

    Returns:
        tuple[str, str, str] | None: (severity, kind, message), or None
        for a box that lies (mostly) inside its frame.
    """
    if not (isinstance(bbox, (list, tuple)) and len(bbox) == 4
            and all(map(is_finite_number, bbox))):
        return ('error', 'box not 4 finite numbers',
                f"field '{field}' must be [x, y, w, h] finite numbers, got "
                f'{bbox!r}')
    x, y, w, h = bbox
    if w < 0 or h < 0:
        return ('error', 'box of negative size',
                f"field '{field}' {bbox!r} has a negative width or height")
    if w < 1 or h < 1:
        return ('skip', 'box smaller than a pixel',
                f"field '{field}' {bbox!r} is less than 1 pixel wide or high")
    if min(x + w, width) <= max(x, 0) or min(y + h, height) <= max(y, 0):
        return ('skip', 'box outside its frame',
                f"field '{field}' {bbox!r} lies outside the "
                f'{_frame_size(width, height)}')
    if x < -1 or y < -1 or x + w > width + 1 or y + h > height + 1:
        return ('warning', 'box partly outside its frame',
                f"field '{field}' {bbox!r} extends beyond the "
                f'{_frame_size(width, height)} by more than a pixel; the '
                'pipeline clips it')
    return None


def _frame_size(width: float, height: float) -> str:
    # formatted only for a problem: for each of millions of boxes it cost
    # seconds
    return f'{width}x{height} (w x h) frame'
