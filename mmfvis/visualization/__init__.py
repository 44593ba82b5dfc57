from .vis_local_visualizer import VISLocalVisualizer, track_color

__all__ = ['VISLocalVisualizer', 'track_color']
