import cv2
import numpy as np
import pytest

from mmfvis.datasets import FrameLoadError, LoadFrameFromFile


def frame_results(path):
    return dict(img_path=str(path), video_id=3, frame_id=5)


def test_loads_a_frame_as_mmcv_does(tmp_path):
    path = tmp_path / 'ok.jpg'
    cv2.imwrite(str(path), np.full((6, 8, 3), 200, np.uint8))
    results = LoadFrameFromFile()(frame_results(path))
    assert results['img'].shape == (6, 8, 3)
    assert results['ori_shape'] == (6, 8)


@pytest.mark.parametrize('content, reason', [
    (None, 'the frame is missing from disk'),
    (b'', 'cannot be read as an image'),
    (b'\xff\xd8\xff\xe0 truncated', 'cannot be read as an image'),
])
def test_bad_frames_name_video_frame_and_file(tmp_path, content, reason):
    path = tmp_path / 'frame.jpg'
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(FrameLoadError) as raised:
        LoadFrameFromFile()(frame_results(path))
    assert str(raised.value).startswith(f'video 3, frame 5, file {path}: ')
    assert reason in str(raised.value)
    assert raised.value.__cause__ is not None


def test_ignore_empty_still_gives_none(tmp_path):
    assert LoadFrameFromFile(ignore_empty=True)(frame_results(
        tmp_path / 'missing.jpg')) is None
