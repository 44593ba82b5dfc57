# The tiny Mask2Former of the CPU configs, for video (../mfvis_tiny_cpu.py)
# and for images (../mfvis_coco_box_pretrain_tiny_cpu.py, whose checkpoint
# initialises the video one): ResNet-18 from scratch, 64 channels, one
# pixel-decoder encoder layer, 3 decoder layers, 10 queries. mmengine forbids
# a base to redefine `model` beside mmdet's config, so they are entries of a
# new key, which the configs merge into their model:
#   backbone=_base_.tiny_mask2former.backbone,
#   track_head=dict(_base_.tiny_mask2former.head, num_classes=...)
feat_channels = 64
tiny_mask2former = dict(
    backbone=dict(
        depth=18,
        norm_cfg=dict(type='BN', requires_grad=True),
        norm_eval=False,
        init_cfg=None),
    # the head's settings but its classes
    head=dict(
        in_channels=[64, 128, 256, 512],
        feat_channels=feat_channels,
        out_channels=feat_channels,
        num_queries=10,
        pixel_decoder=dict(
            norm_cfg=dict(type='GN', num_groups=8),
            encoder=dict(
                num_layers=1,
                layer_cfg=dict(
                    self_attn_cfg=dict(embed_dims=feat_channels, num_heads=4),
                    ffn_cfg=dict(
                        embed_dims=feat_channels, feedforward_channels=128))),
            positional_encoding=dict(num_feats=feat_channels // 2)),
        positional_encoding=dict(num_feats=feat_channels // 2),
        transformer_decoder=dict(
            num_layers=3,
            layer_cfg=dict(
                self_attn_cfg=dict(embed_dims=feat_channels, num_heads=4),
                cross_attn_cfg=dict(embed_dims=feat_channels, num_heads=4),
                ffn_cfg=dict(
                    embed_dims=feat_channels, feedforward_channels=128)))))
