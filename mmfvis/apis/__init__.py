from .track_linking import VideoTrack, WindowTrack, WindowTrackLinker
from .video_inference import (VideoPrediction, build_frames_pipeline,
                              inference_vis_video, init_vis_model,
                              predict_window, window_tracks)
from .video_io import (IMAGE_EXTENSIONS, VideoFrames, open_video_writer,
                       read_dataset_frames)
from .video_outputs import (draw_beside_ground_truth, frame_instances,
                            ground_truth_instances, prediction_to_json,
                            write_overlay_video)

__all__ = [
    'IMAGE_EXTENSIONS', 'VideoFrames', 'VideoPrediction', 'VideoTrack',
    'WindowTrack', 'WindowTrackLinker', 'build_frames_pipeline',
    'draw_beside_ground_truth', 'frame_instances', 'ground_truth_instances',
    'inference_vis_video', 'init_vis_model', 'open_video_writer',
    'prediction_to_json', 'predict_window', 'read_dataset_frames',
    'window_tracks', 'write_overlay_video'
]
