import random

import pytest

from mmfvis.datasets import ClipFrameSample


def _video(length):
    return dict(
        video_id=3,
        video_length=length,
        images=[dict(frame_id=i, img_path=f'{i}.jpg') for i in range(length)])


@pytest.mark.parametrize('length', [5, 6, 12, 40])
@pytest.mark.parametrize('key', ['first', 'middle', 'last'])
def test_distinct_frames_near_the_key_frame(length, key):
    key_frame_id = dict(first=0, middle=length // 2, last=length - 1)[key]
    sampler = ClipFrameSample(num_frames=5, frame_range=5, shuffle=False)
    random.seed(0)
    for _ in range(20):
        ids, flags = sampler.sampling_frames(length, key_frame_id)
        assert len(ids) == len(set(ids)) == 5
        assert ids == sorted(ids)
        assert ids[flags.index(True)] == key_frame_id and sum(flags) == 1
        assert all(0 <= i < length for i in ids)
        assert max(ids) - min(ids) <= 10


def test_frames_stay_within_range_of_key_frame():
    sampler = ClipFrameSample(num_frames=3, frame_range=2, shuffle=False)
    random.seed(1)
    seen = set()
    for _ in range(200):
        ids, _ = sampler.sampling_frames(30, 15)
        assert all(abs(i - 15) <= 2 for i in ids)
        seen.update(ids)
    assert seen == set(range(13, 18))


def test_small_range_widens_to_give_distinct_frames():
    sampler = ClipFrameSample(num_frames=5, frame_range=1, shuffle=False)
    ids, _ = sampler.sampling_frames(20, 10)
    assert ids == [8, 9, 10, 11, 12]


def test_short_video_repeats_its_frames_in_order():
    sampler = ClipFrameSample(num_frames=5, shuffle=False)
    assert sampler.sampling_frames(2,
                                   1) == ([0, 0, 0, 1, 1],
                                          [False, False, False, True, False])
    assert sampler.sampling_frames(1, 0)[0] == [0] * 5


def test_shuffle_permutes_the_clip_and_keeps_the_key_flag():
    sampler = ClipFrameSample(num_frames=5, frame_range=5, shuffle=True)
    random.seed(2)
    first_positions = set()
    for _ in range(50):
        ids, flags = sampler.sampling_frames(30, 12)
        assert ids[flags.index(True)] == 12
        assert len(set(ids)) == 5 and all(abs(i - 12) <= 5 for i in ids)
        first_positions.add(sorted(ids).index(ids[0]))
    assert first_positions == set(range(5))


def test_transform_packs_the_sampled_frames():
    sampler = ClipFrameSample(num_frames=4, frame_range=5, shuffle=False)
    random.seed(3)
    results = sampler(dict(_video(10), key_frame_id=6))
    assert len(results['img_path']) == 4
    assert results['frame_id'] == sorted(results['frame_id'])
    assert results['video_length'] == [4] * 4
    assert results['ori_video_length'] == [10] * 4
    assert results['key_frame_flags'].count(True) == 1


@pytest.mark.parametrize('kwargs, message', [
    (dict(num_frames=0), 'num_frames'),
    (dict(frame_range=-1), 'frame_range'),
    (dict(frame_range=[0, 3]), 'frame_range'),
])
def test_bad_arguments_are_named(kwargs, message):
    with pytest.raises(ValueError, match=message):
        ClipFrameSample(**kwargs)
