"""mmfvis.fileio.json_files: chunked json text equals json.dumps."""
import json
import os

import pytest

from mmfvis.fileio import dump_json_atomically, json_chunks

ANNOTATIONS = [
    dict(id=index, bbox=[index * 0.5, 1.0, 2.0, 3.0], name=f'é{index}')
    for index in range(25)
]


@pytest.mark.parametrize('value', [
    dict(videos=[dict(id=1)], annotations=ANNOTATIONS, info=dict(a=[1, 2])),
    dict(annotations=[]),
    ANNOTATIONS,
    {
        1: 'int key'
    },
    'text',
])
def test_chunks_join_to_the_text_of_json_dumps(value):
    # 4 items a chunk: the 25 annotations end in a short chunk
    assert ''.join(json_chunks(value, items_per_chunk=4)) == json.dumps(value)


def test_the_long_lists_are_encoded_a_chunk_at_a_time():
    chunks = list(json_chunks(dict(annotations=ANNOTATIONS), 10))
    assert len(chunks) == 1 + 1 + 1 + 3 + 1 + 1  # {, key, [, 3 chunks, ], }


def test_dump_writes_the_file_whole(tmp_path):
    path = tmp_path / 'out' / 'train.json'
    value = dict(annotations=ANNOTATIONS)
    dump_json_atomically(value, path)
    assert json.loads(path.read_text()) == value
    assert os.listdir(tmp_path / 'out') == ['train.json']
