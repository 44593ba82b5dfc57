"""The image rungs of the mask-term ladder (``mask_term_ladder.py``): the
box losses in a plain U-Net (:mod:`.fcn`) and in the image Mask2Former
head (:mod:`.image_head`)."""
