"""PickledFrames: a video's frames read like a list, each unpickled on its
own, so that a clip does not unpickle its whole video."""
import copy
import pickle

from mmfvis.datasets.pickled_frames import PickledFrames


def frames(count):
    return [
        dict(img_id=i, instances=[dict(bbox=[i, 0, i + 1, 1])])
        for i in range(count)
    ]


def test_reads_like_the_list_it_holds():
    held = PickledFrames(frames(4))
    assert len(held) == 4
    assert held[2] == frames(4)[2]
    assert held[-1]['img_id'] == 3
    assert held[1:3] == frames(4)[1:3]
    assert list(held) == frames(4)
    assert bool(PickledFrames([])) is False


def test_a_read_frame_is_a_new_dict():
    held = PickledFrames(frames(2))
    first = held[0]
    first['video_id'] = 7
    assert 'video_id' not in held[0]


def test_pickling_a_video_keeps_its_frames_as_bytes():
    """A video's own pickle holds the frames' pickles; unpickling it
    unpickles no frame."""
    video = dict(video_id=1, images=PickledFrames(frames(3)))
    loaded = pickle.loads(pickle.dumps(video, protocol=4))
    assert isinstance(loaded['images'], PickledFrames)
    assert all(isinstance(frame, bytes) for frame in loaded['images']._pickles)
    assert list(loaded['images']) == frames(3)
    assert list(copy.deepcopy(loaded['images'])) == frames(3)
