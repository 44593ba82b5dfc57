"""Large json files written fast, in chunks, whole or not at all."""
import json
from pathlib import Path
from typing import Any, Iterator, Union

from .atomic_local_backend import write_file_atomically

__all__ = ['dump_json_atomically', 'json_chunks']

# List items encoded at a time: large enough for the C encoder to do the
# work, small enough that a chunk's text is a few MB at most.
ITEMS_PER_CHUNK = 10_000


def json_chunks(value: Any,
                items_per_chunk: int = ITEMS_PER_CHUNK) -> Iterator[str]:
    """The text of ``json.dumps(value)``, in pieces.

    ``json.dump`` to a file runs json's pure-Python encoder (only
    ``json.dumps`` uses the C one), several times slower on millions of
    annotations, and ``json.dumps`` of the whole holds the text in memory
    at once. Here the lists of a top-level object with string keys are
    encoded ``items_per_chunk`` items at a time with ``json.dumps``; the
    pieces joined are ``json.dumps(value)`` exactly.
    """
    if not (isinstance(value, dict)
            and all(isinstance(key, str) for key in value)):
        yield from _list_chunks(value, items_per_chunk)
        return
    yield '{'
    for index, (key, item) in enumerate(value.items()):
        yield f'{", " if index else ""}{json.dumps(key)}: '
        yield from _list_chunks(item, items_per_chunk)
    yield '}'


def _list_chunks(value: Any, items_per_chunk: int) -> Iterator[str]:
    if not isinstance(value, list) or len(value) <= items_per_chunk:
        yield json.dumps(value)
        return
    yield '['
    for start in range(0, len(value), items_per_chunk):
        # '[a, b]' without its brackets
        items = json.dumps(value[start:start + items_per_chunk])[1:-1]
        yield f'{", " if start else ""}{items}'
    yield ']'


def dump_json_atomically(value: Any, path: Union[str, Path]) -> None:
    """Write ``json.dumps(value)`` to ``path`` with
    :func:`write_file_atomically`, encoded in chunks
    (:func:`json_chunks`)."""
    write_file_atomically(path,
                          (chunk.encode() for chunk in json_chunks(value)))
