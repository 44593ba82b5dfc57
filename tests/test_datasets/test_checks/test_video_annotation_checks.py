"""check_video_annotations and load_annotation_json: each bad input gets
an error or a skip whose message names the file, video, frame, annotation
and field."""
import copy
import json

import pytest

from mmfvis.datasets import (VideoAnnotationError, check_video_annotations,
                             load_annotation_json)

CLASSES = ('fish', 'crab')
FRAME_0 = 'video 7 (fish_07), frame 0 (fish_07/0.jpg)'
FRAME_1 = 'video 7 (fish_07), frame 1 (fish_07/1.jpg)'


def clean_file():
    """Video 7: 3 frames, instance 1 (fish) in all, instance 2 (crab) in
    frames 0 and 2 only; annotation ids 1-5."""
    images = [
        dict(
            id=10 + i,
            video_id=7,
            frame_id=i,
            file_name=f'fish_07/{i}.jpg',
            width=64,
            height=48) for i in range(3)
    ]
    annotations = [
        dict(
            id=1 + i,
            image_id=10 + i,
            category_id=1,
            instance_id=1,
            bbox=[4, 4, 20, 10],
            area=200.0) for i in range(3)
    ]
    annotations += [
        dict(
            id=4 + i,
            image_id=10 + 2 * i,
            category_id=2,
            instance_id=2,
            bbox=[30, 20, 8, 8]) for i in range(2)
    ]
    return dict(
        categories=[dict(id=1, name='fish'),
                    dict(id=2, name='crab')],
        videos=[dict(id=7, name='fish_07')],
        images=images,
        annotations=annotations)


def check(data, **kwargs):
    return check_video_annotations(
        data, 'train.json', classes=kwargs.pop('classes', CLASSES), **kwargs)


def only_problem(report):
    assert len(report.problems) == 1, report.format()
    return report.problems[0]


def annotation(data, annotation_id):
    return next(a for a in data['annotations'] if a['id'] == annotation_id)


def test_a_clean_file_has_no_problem_and_is_counted():
    report = check(clean_file(), clip_frames=3)
    assert report.problems == []
    assert report.counts == dict(
        videos=1, frames=3, instances=2, boxes=5, categories=2)


@pytest.mark.parametrize('bbox', [
    [4, 4, float('nan'), 10],
    [4, float('inf'), 20, 10],
    [4, 4, 20],
    None,
    [4, 4, '20', 10],
])
def test_nan_inf_and_malformed_boxes_are_errors(bbox):
    data = clean_file()
    annotation(data, 2)['bbox'] = bbox
    problem = only_problem(check(data))
    assert problem.severity == 'error'
    assert problem.where == f'{FRAME_1}, annotation 2'
    assert "field 'bbox'" in problem.message and repr(bbox) in problem.message


def test_negative_size_is_an_error_zero_size_a_skip():
    data = clean_file()
    annotation(data, 2)['bbox'] = [4, 4, -3, 10]
    annotation(data, 3)['bbox'] = [4, 4, 0, 10]
    report = check(data)
    assert [(p.severity, p.kind)
            for p in report.problems] == [('error', 'box of negative size'),
                                          ('skip', 'box smaller than a pixel')]
    assert report.skipped_annotation_ids == {3}


def test_boxes_outside_the_frame_are_skips_partly_outside_warnings():
    data = clean_file()
    annotation(data, 1)['bbox'] = [70, 4, 20, 10]  # right of the 64 px
    annotation(data, 2)['bbox'] = [50, 40, 30, 30]  # over the corner
    report = check(data)
    skip, warning = report.problems
    assert (skip.severity, skip.kind) == ('skip', 'box outside its frame')
    assert skip.where == f'{FRAME_0}, annotation 1'
    assert '64x48 (w x h) frame' in skip.message
    assert (warning.severity, warning.where) == ('warning',
                                                 f'{FRAME_1}, annotation 2')
    assert report.skipped_annotation_ids == {1}


def test_undeclared_category_is_an_error_other_class_a_skip():
    data = clean_file()
    data['categories'].append(dict(id=3, name='whale'))
    annotation(data, 2)['category_id'] = 9
    annotation(data, 4)['category_id'] = 3
    annotation(data, 5)['category_id'] = 3
    report = check(data)
    error = report.errors[0]
    assert error.where == f'{FRAME_1}, annotation 2'
    assert "field 'category_id' is 9" in error.message
    skips = report.of_severity('skip')
    assert {p.kind for p in skips} == {'category not among the classes'}
    assert "'whale'" in skips[0].message
    assert report.skipped_annotation_ids == {4, 5}


def test_classes_must_all_be_categories_in_the_same_order():
    missing = check(clean_file(), classes=('fish', 'crab', 'whale'))
    assert "['whale'] are not among" in only_problem(missing).message
    swapped = only_problem(check(clean_file(), classes=('crab', 'fish')))
    assert swapped.kind == 'categories in another order than the classes'
    assert "['fish', 'crab']" in swapped.message


def test_an_instance_changing_category_names_both_frames():
    data = clean_file()
    annotation(data, 3)['category_id'] = 2
    problem = only_problem(check(data))
    assert problem.kind == 'instance changes category'
    assert problem.where.startswith('video 7 (fish_07), frame 2')
    assert f'{FRAME_0}, annotation 1' in problem.message


def test_instances_absent_from_some_frames_are_fine():
    report = check(clean_file())
    assert report.problems == []  # instance 2 is absent from frame 1


@pytest.mark.parametrize('instance_id', [None, 0, 'a'])
def test_video_annotation_needs_an_instance_id(instance_id):
    data = clean_file()
    annotation(data, 2)['instance_id'] = instance_id
    problem = only_problem(check(data))
    assert problem.kind == 'missing instance id'
    assert "field 'instance_id'" in problem.message


def test_one_instance_twice_in_a_frame_is_an_error():
    data = clean_file()
    annotation(data, 4)['instance_id'] = 1
    annotation(data, 4)['category_id'] = 1
    problem = only_problem(check(data))
    assert problem.kind == 'instance twice in a frame'
    assert problem.where == 'video 7 (fish_07), frame 0 (fish_07/0.jpg), ' \
        'annotation 4'


def test_a_video_without_annotated_frame_is_skipped_short_ones_warned():
    data = clean_file()
    for box in data['annotations']:
        box['bbox'] = [4, 4, 0.5, 0.5]
    report = check(data)
    video = report.problems[-1]
    assert (video.severity, video.kind,
            video.where) == ('skip', 'video without any annotated frame',
                             'video 7 (fish_07)')
    short = only_problem(check(clean_file(), clip_frames=5))
    assert short.kind == 'video shorter than the clip'
    assert '3 annotated frames' in short.message


def test_area_missing_is_fine_zero_skipped_invalid_an_error():
    data = clean_file()
    del annotation(data, 1)['area']
    annotation(data, 2)['area'] = 0
    annotation(data, 3)['area'] = float('nan')
    report = check(data)
    assert [(p.severity, p.where) for p in report.problems] == [
        ('skip', f'{FRAME_1}, annotation 2'),
        ('error', 'video 7 (fish_07), frame 2 (fish_07/2.jpg), annotation 3')
    ]


def test_mask_of_another_size_is_an_error():
    data = clean_file()
    annotation(data, 1)['segmentation'] = dict(size=[10, 10], counts='a')
    problem = only_problem(check(data))
    assert "field 'segmentation' has size [10, 10]" in problem.message
    assert 'frame is 48x64 (h x w)' in problem.message


def test_dangling_and_duplicate_ids_are_errors():
    data = clean_file()
    annotation(data, 2)['image_id'] = 99
    data['annotations'].append(copy.deepcopy(annotation(data, 1)))
    report = check(data)
    assert [(p.kind, p.where) for p in report.problems] == [
        ('annotation of no image', 'annotation 2'),
        ('duplicate id', 'annotation 1'),
    ]
    assert "field 'image_id' is 99" in report.problems[0].message


def test_frames_of_different_sizes_are_an_error_out_of_order_a_warning():
    data = clean_file()
    data['images'][1]['width'] = 32
    data['images'].reverse()
    report = check(data)
    kinds = {(p.severity, p.kind) for p in report.problems}
    assert ('error', 'frames of different sizes') in kinds
    assert ('warning', 'frames out of order') in kinds


def test_malformed_images_name_the_field():
    data = clean_file()
    data['images'][2]['height'] = 0
    del data['images'][1]['frame_id']
    report = check(data)
    messages = [str(p) for p in report.errors]
    assert any("frame 2 (fish_07/2.jpg): field 'height'" in m
               for m in messages)
    assert any("frame None (fish_07/1.jpg): field 'frame_id'" in m
               for m in messages)


def test_what_an_importer_left_out_is_a_skip_each():
    data = clean_file()
    data['import_skips'] = [
        dict(
            kind='zero confidence',
            where='seq/gt/gt.txt: video seq, track 4, frames 1-3',
            message="3 boxes: field 'conf' is 0")
    ]
    problem = only_problem(check(data))
    assert (problem.severity,
            problem.kind) == ('skip', 'zero confidence (left out on import)')
    assert str(problem) == ('seq/gt/gt.txt: video seq, track 4, frames 1-3: '
                            "3 boxes: field 'conf' is 0")
    data['import_skips'] = [dict(kind='zero confidence', where=3)]
    problem = only_problem(check(data))
    assert (problem.severity, problem.where) == ('error', 'import_skips #0')
    data['import_skips'] = 'none'
    assert "field 'import_skips' must be a list" in only_problem(
        check(data)).message


def test_official_format_and_non_objects_are_refused_with_advice():
    official = dict(
        videos=[dict(id=1, file_names=['a/0.jpg'], width=4, height=4)],
        categories=[],
        annotations=[])
    problem = only_problem(check(official))
    assert 'youtube_vis_to_mmdet.py' in problem.message
    assert only_problem(check([1, 2])).kind == 'not an annotation file'
    assert 'images' in only_problem(check(dict(categories=[]))).message


def test_raise_errors_lists_file_and_locations():
    data = clean_file()
    annotation(data, 2)['bbox'] = [4, 4, float('nan'), 10]
    with pytest.raises(VideoAnnotationError) as raised:
        check(data).raise_errors()
    message = str(raised.value)
    assert message.startswith('train.json: 1 annotation error(s)')
    assert f"{FRAME_1}, annotation 2: field 'bbox'" in message
    check(clean_file()).raise_errors()  # no error: no exception


def test_json_nan_literal_is_read_and_then_refused(tmp_path):
    data = clean_file()
    annotation(data, 2)['bbox'] = [4, 4, float('nan'), 10]
    path = tmp_path / 'nan.json'
    path.write_text(json.dumps(data))  # writes the NaN literal
    loaded = load_annotation_json(str(path))
    assert only_problem(check(loaded)).severity == 'error'


def test_truncated_malformed_and_missing_json_name_the_file(tmp_path):
    text = json.dumps(clean_file())
    truncated = tmp_path / 'truncated.json'
    truncated.write_text(text[:len(text) // 2])
    with pytest.raises(VideoAnnotationError, match='truncated') as raised:
        load_annotation_json(str(truncated))
    assert str(raised.value).startswith(f'{truncated}: not valid JSON at '
                                        'line 1 column')
    malformed = tmp_path / 'malformed.json'
    malformed.write_text('{"images": [],\n "categories": [,]}')
    with pytest.raises(VideoAnnotationError, match='line 2 column') as raised:
        load_annotation_json(str(malformed))
    assert 'the file ends there' not in str(raised.value)
    with pytest.raises(FileNotFoundError, match='missing.json'):
        load_annotation_json(str(tmp_path / 'missing.json'))
    binary = tmp_path / 'binary.json'
    binary.write_bytes(b'\xff\xfe\x00')
    with pytest.raises(VideoAnnotationError, match='not UTF-8'):
        load_annotation_json(str(binary))
