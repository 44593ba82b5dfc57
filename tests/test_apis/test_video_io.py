"""VideoFrames and open_video_writer: files, folders, clear errors."""
import cv2
import numpy as np
import pytest

from mmfvis.apis import VideoFrames, open_video_writer, read_dataset_frames


def frame(value, height=24, width=32):
    return np.full((height, width, 3), value, np.uint8)


def test_folder_frames_come_in_name_order(tmp_path):
    for name, value in (('b.png', 20), ('a.png', 10), ('c.jpg', 30)):
        cv2.imwrite(str(tmp_path / name), frame(value))
    (tmp_path / 'notes.txt').write_text('not a frame')
    frames = VideoFrames(str(tmp_path), fps=7)
    assert (frames.num_frames, frames.fps) == (3, 7.0)
    assert [int(f.mean().round()) for f in frames] == [10, 20, 30]
    assert len(list(frames)) == 3  # iterating again reads again


def test_video_file_round_trip(tmp_path):
    path = str(tmp_path / 'clip.avi')
    writer = open_video_writer(path, 5.0, 32, 24)
    for value in (0, 128, 255):
        writer.write(frame(value))
    writer.release()
    frames = VideoFrames(path)
    assert frames.fps == pytest.approx(5.0)
    decoded = list(frames)
    assert len(decoded) == 3 and decoded[0].shape == (24, 32, 3)
    assert abs(int(decoded[1].mean()) - 128) < 8


def test_bad_inputs_are_named(tmp_path):
    with pytest.raises(FileNotFoundError, match='no such video'):
        VideoFrames(str(tmp_path / 'missing.mp4'))
    with pytest.raises(FileNotFoundError, match='no image files'):
        VideoFrames(str(tmp_path))
    (tmp_path / 'broken.mp4').write_bytes(b'not a video')
    with pytest.raises(ValueError, match='broken.mp4: OpenCV cannot open'):
        VideoFrames(str(tmp_path / 'broken.mp4'))


def test_unreadable_or_resized_frames_are_named(tmp_path):
    cv2.imwrite(str(tmp_path / '0.png'), frame(0))
    cv2.imwrite(str(tmp_path / '1.png'), frame(0, height=20))
    with pytest.raises(ValueError, match=r'1.png: frame of 32x20 pixels'):
        list(VideoFrames(str(tmp_path)))
    (tmp_path / '1.png').write_bytes(b'not a png')
    with pytest.raises(ValueError, match='1.png: cannot be read'):
        list(VideoFrames(str(tmp_path)))


def test_writer_refuses_unknown_containers(tmp_path):
    with pytest.raises(ValueError, match=r"\['.avi', '.m4v', '.mp4'\]"):
        open_video_writer(str(tmp_path / 'out.gif'), 5, 32, 24)


def test_dataset_frames_are_read_scaled(tmp_path):
    frame = np.zeros((4, 6, 3), np.uint8)
    frame[:, 3:] = (10, 20, 30)
    path = str(tmp_path / '0.png')
    cv2.imwrite(path, frame)
    frames = read_dataset_frames([{'img_path': path}] * 2, scale=3)
    assert len(frames) == 2
    assert frames[0].shape == (12, 18, 3)
    # far from the colour edge the bilinear upscale keeps the pixels
    assert (frames[0][:, :7] == 0).all()
    assert (frames[0][:, 11:] == (10, 20, 30)).all()
