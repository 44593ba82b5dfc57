from mmfvis.models.dense_heads.box_supervised_head_mixin import _describe_batch


def test_the_mixin_names_the_images_or_videos_of_the_batch():
    assert _describe_batch([dict(video_id=[3, 3]),
                            dict(video_id=[8, 8])]) == \
        'batch of videos [3, 8]'
    assert _describe_batch([dict(img_path='a.jpg'), dict(img_id=7)]) == \
        'batch of images [\'a.jpg\', 7]'
