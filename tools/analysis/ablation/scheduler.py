"""Runs in subprocesses, wave after wave, a few at a time."""
import os
import os.path as osp
import shlex
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor, as_completed
from typing import Callable, List, Sequence

import mmengine

from .records import Records
from .specs import RunSpec


def launch(spec: RunSpec, work_dir: str, threads: int,
           tool_command: List[str]) -> None:
    """Run one run in a subprocess (log: ``run.log`` in its folder).

    Args:
        tool_command (list[str]): the tool's command line (interpreter,
            script, arguments), to which ``--worker`` and ``--threads`` are
            added.
    """
    out_dir = osp.join(work_dir, spec.name)
    mmengine.mkdir_or_exist(out_dir)
    command = [*tool_command, '--worker', spec.name, '--threads', str(threads)]
    env = dict(
        os.environ, OMP_NUM_THREADS=str(threads), MKL_NUM_THREADS=str(threads))
    log_file = osp.join(out_dir, 'run.log')
    with open(log_file, 'w') as log:
        result = subprocess.run(
            command, stdout=log, stderr=subprocess.STDOUT, env=env)
    if result.returncode != 0:
        raise RuntimeError(f'{spec.name} failed (exit {result.returncode}): '
                           f'see {log_file}')


def execute(waves: Sequence[Sequence[RunSpec]], records: Records, jobs: int,
            on_done: Callable[[], None], tool_command: List[str]) -> List[str]:
    """Run every run not done yet, wave after wave, ``jobs`` at a time.

    A wave's runs share the cores: each gets ``jobs // runs`` threads (at
    least 1), so a lone run (the first stage) uses them all. A run with a
    ``checkpoint`` runs only when a later run is still to be done.
    ``on_done`` is called, under the records' lock, after every run that
    ends well. ``tool_command``: see :func:`launch`.

    Returns:
        list[str]: the errors of the runs that failed (their later waves
        are not run).
    """
    todo = [[spec for spec in wave if not records.done(spec)]
            for wave in waves]
    for index, wave in enumerate(todo):
        later = any(todo[index + 1:])
        wave = [s for s in wave if s.checkpoint is None or later]
        if not wave:
            continue
        threads = max(1, jobs // len(wave))
        print(
            f'{len(wave)} run(s) to do: {[s.name for s in wave]}', flush=True)
        errors = []
        with ThreadPoolExecutor(max_workers=jobs) as pool:
            futures = {}
            for spec in wave:
                futures[pool.submit(launch, spec, records.work_dir, threads,
                                    tool_command)] = spec
            for future in as_completed(futures):
                spec = futures[future]
                try:
                    future.result()
                except RuntimeError as error:
                    print(error, flush=True)
                    errors.append(str(error))
                    continue
                with records.lock:
                    records.collect(spec)
                    on_done()
                print(f'done: {spec.name}', flush=True)
        if errors:
            return errors
    return []


def command_line(script: str, argv: Sequence[str], repo: str) -> str:
    """An invocation of a tool, as a shell command from the repository
    root ``repo``."""
    return shlex.join(['python', osp.relpath(script, repo), *argv])


def run_all(waves: Sequence[Sequence[RunSpec]], records: Records, jobs: int,
            refresh: Callable[[], None], script: str, argv: Sequence[str],
            repo: str) -> None:
    """:func:`execute` the runs of a tool (``script`` with its ``argv``);
    after each, note the command in the records and ``refresh`` the
    results. Exits naming the failed runs' logs, if any."""
    this = command_line(script, argv, repo)

    def run_done():
        records.note_command(this)
        refresh()

    errors = execute(
        waves, records, jobs, run_done,
        [sys.executable, osp.abspath(script), *argv])
    if errors:
        raise SystemExit('\n'.join(errors))
