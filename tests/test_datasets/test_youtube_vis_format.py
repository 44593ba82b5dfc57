import copy

from mmfvis.datasets import check_youtube_vis, convert_youtube_vis

OFFICIAL = dict(
    categories=[dict(id=1, name='fish'),
                dict(id=2, name='crab')],
    videos=[
        dict(
            id=7,
            width=20,
            height=10,
            length=3,
            file_names=['v7/0.jpg', 'v7/1.jpg', 'v7/2.jpg']),
        dict(
            id=9,
            width=20,
            height=10,
            length=2,
            file_names=['v9/0.jpg', 'v9/1.jpg']),
    ],
    annotations=[
        dict(
            id=1,
            video_id=7,
            category_id=2,
            iscrowd=0,
            bboxes=[[1, 2, 3, 4], None, [2, 2, 3, 4]],
            areas=[12, None, 10],
            segmentations=[{
                'size': [10, 20],
                'counts': 'a'
            }, None, {
                'size': [10, 20],
                'counts': 'b'
            }]),
        dict(
            id=2,
            video_id=9,
            category_id=1,
            iscrowd=0,
            bboxes=[None, [0, 0, 5, 5]],
            areas=None,
            segmentations=None),
    ])


def test_frames_become_images_in_video_order():
    converted = convert_youtube_vis(OFFICIAL)
    assert [(i['id'], i['video_id'], i['frame_id'], i['file_name'])
            for i in converted['images']] == [(1, 7, 0, 'v7/0.jpg'),
                                              (2, 7, 1, 'v7/1.jpg'),
                                              (3, 7, 2, 'v7/2.jpg'),
                                              (4, 9, 0, 'v9/0.jpg'),
                                              (5, 9, 1, 'v9/1.jpg')]
    assert [v['name'] for v in converted['videos']] == ['v7', 'v9']


def test_tracks_become_per_frame_annotations():
    annotations = convert_youtube_vis(OFFICIAL)['annotations']
    assert [(a['id'], a['image_id'], a['instance_id'], a['category_id'],
             a['bbox'], a['area']) for a in annotations] == [
                 (1, 1, 1, 2, [1, 2, 3, 4], 12.0),
                 (2, 3, 1, 2, [2, 2, 3, 4], 10.0),
                 (3, 5, 2, 1, [0, 0, 5, 5], 25.0),
             ]
    assert annotations[1]['segmentation'] == {'size': [10, 20], 'counts': 'b'}
    assert 'segmentation' not in annotations[2]


def test_boxes_only_drops_every_mask():
    annotations = convert_youtube_vis(OFFICIAL, boxes_only=True)['annotations']
    assert len(annotations) == 3
    assert all('segmentation' not in a for a in annotations)


def test_check_reports_the_validation_error_with_its_location():
    official = copy.deepcopy(OFFICIAL)
    official['annotations'][0]['bboxes'][2] = [2, 2, float('nan'), 4]
    [problem] = check_youtube_vis(official, 'train.json').problems
    assert problem.severity == 'error'
    assert problem.where == 'annotation 1 (video 7), frame 2 (v7/2.jpg)'
    assert "field 'bboxes'" in problem.message


def test_check_gives_the_skips_and_warnings_of_training():
    official = copy.deepcopy(OFFICIAL)
    official['annotations'][0]['areas'][0] = 0  # skip; frame 2 remains
    official['annotations'][1]['bboxes'][1] = [30, 0, 5, 5]  # off frame
    report = check_youtube_vis(official, 'train.json', clip_frames=2)
    assert [(p.severity, p.kind, p.where) for p in report.problems] == [
        ('skip', 'zero area', 'annotation 1 (video 7), frame 0 (v7/0.jpg)'),
        ('skip', 'box outside its frame',
         'annotation 2 (video 9), frame 1 (v9/1.jpg)'),
        ('warning', 'instance without any kept box', 'annotation 2 '
         '(video 9)'),
        ('warning', 'video shorter than the clip', 'video 7 (v7)'),
        ('skip', 'video without any annotated frame', 'video 9 (v9)'),
    ]
    assert report.counts == dict(
        videos=2, frames=5, instances=2, boxes=3, categories=2)
