"""The runs done, as a benchmark's results file keeps them."""
import json
import os.path as osp
import threading
from typing import Dict, List, Optional

import mmengine

from mmfvis.fileio import write_file_atomically
from .specs import RunSpec

# a setting that may differ when the runs are only read (``--report``):
# the digest of the config's text, which a restructuring of the config
# files changes while the runs it made stay what they were
TEXT_DIGEST = 'config_digest'


def dump_json(obj, path: str) -> None:
    """Write ``obj`` as indented json, whole or not at all."""
    write_file_atomically(path, json.dumps(obj, indent=1).encode())


class Records:
    """The runs done, as the results file (``<results>.json``) keeps them
    beside the work directory's metrics files.

    Both are tied to ``settings`` (everything that changes a run's
    figures): a results file or work directory made under other settings is
    refused, never mixed in. Reading only (``--report``, which adds no
    run), settings that differ in :data:`TEXT_DIGEST` alone are taken with
    a warning, and the saved settings are kept.

    Args:
        path (str): the results json.
        work_dir (str): the benchmark's work directory.
        settings (dict): json-ready settings of this benchmark.
        reading_only (bool): the runs are read, not added to.
    """

    def __init__(self,
                 path: str,
                 work_dir: str,
                 settings: dict,
                 reading_only: bool = False):
        self.path, self.work_dir = path, work_dir
        self.reading_only = reading_only
        self.settings = json.loads(json.dumps(settings))
        self.runs: Dict[str, dict] = {}
        self.baselines: Dict[str, dict] = {}
        # the command lines that ran runs, in order
        self.commands: List[str] = []
        if osp.isfile(path):
            saved = mmengine.load(path)
            self._check(saved.get('settings'), path, 'results file')
            self.runs.update(saved.get('runs', {}))
            self.baselines.update(saved.get('baselines', {}))
            self.commands.extend(saved.get('commands', []))
        settings_file = osp.join(work_dir, 'settings.json')
        if osp.isfile(settings_file):
            self._check(
                mmengine.load(settings_file), settings_file, 'work directory')
        elif not reading_only:
            dump_json(self.settings, settings_file)
        self.lock = threading.Lock()

    def _check(self, saved: Optional[dict], path: str, what: str) -> None:
        saved = saved or {}
        differ = sorted(
            key for key in set(saved) | set(self.settings)
            if saved.get(key) != self.settings.get(key))
        if not differ:
            return
        if self.reading_only and differ == [TEXT_DIGEST]:
            print(
                f'{path}: runs of config text {saved[TEXT_DIGEST]}, read '
                f'with config text {self.settings[TEXT_DIGEST]} (the '
                'config files changed since: their runs are drawn with '
                'the config of today)',
                flush=True)
            self.settings = saved
            return
        described = [
            f'{key}: {saved.get(key)!r} there, '
            f'{self.settings.get(key)!r} now' for key in differ
        ]
        raise SystemExit(f'{path}: this {what} holds runs of other '
                         f"settings ({'; '.join(described)}): give another "
                         'one or remove it')

    def metrics_file(self, spec: RunSpec) -> str:
        return osp.join(self.work_dir, spec.name, 'metrics.json')

    def done(self, spec: RunSpec) -> bool:
        if spec.checkpoint is not None:
            return osp.isfile(spec.checkpoint)
        return spec.name in self.runs or osp.isfile(self.metrics_file(spec))

    def collect(self, spec: RunSpec) -> Optional[dict]:
        """The run's metrics, read into the records if its file exists."""
        if osp.isfile(self.metrics_file(spec)):
            self.runs[spec.name] = mmengine.load(self.metrics_file(spec))
        return self.runs.get(spec.name)

    def runs_of(self, row: str) -> List[dict]:
        """The recorded runs of a row, by seed."""
        return [
            metrics for name, metrics in sorted(self.runs.items())
            if name.split('/')[0] == row
        ]

    def note_command(self, command: str) -> None:
        """Keep a command that runs runs (once)."""
        if command not in self.commands:
            self.commands.append(command)

    def save(self) -> None:
        dump_json(
            dict(
                settings=self.settings,
                baselines=self.baselines,
                commands=self.commands,
                runs=dict(sorted(self.runs.items()))), self.path)
