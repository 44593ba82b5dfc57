"""MOTChallenge box tracks (MOT16/17/20, DanceTrack) as box-track videos.

A sequence folder holds ``seqinfo.ini`` (``[Sequence]`` with ``imDir``,
``seqLength``, ``imWidth``, ``imHeight``, ``imExt``), its frames in
``imDir`` (``img1/000001.jpg``...: frames count from 1) and ``gt/gt.txt``,
one box per line: ``frame, id, x, y, w, h, conf, class, visibility``
(x, y the top-left corner in pixels, as written: mmtracking's and
ByteTrack's converters take them as they are). As MOTChallenge does, rows
of ``conf`` 0 are left out; so are rows of other classes than the kept
ones and, optionally, rows under a visibility. Each is recorded in
:class:`ImportSkips`.
"""
import configparser
import fnmatch
import os
import os.path as osp
import sys
from typing import Dict, List, Optional, Sequence, Tuple

from tqdm import tqdm

from .box_tracks import (BoxTrackVideo, ImportSkips, TrackBox,
                         check_frames_on_disk, fail, numbered_frame_files)

__all__ = ['GT_COLUMNS', 'MOT17_CLASSES', 'mot_classes', 'read_mot_sequences']

# MOT16/MOT17's classes (Milan et al., MOT16, Table 4); MOTChallenge
# evaluates class 1 only.
MOT17_CLASSES = {
    1: 'pedestrian',
    2: 'person_on_vehicle',
    3: 'car',
    4: 'bicycle',
    5: 'motorbike',
    6: 'non_motorized_vehicle',
    7: 'static_person',
    8: 'distractor',
    9: 'occluder',
    10: 'occluder_on_the_ground',
    11: 'occluder_full',
    12: 'reflection',
}
GT_COLUMNS = ('frame', 'id', 'x', 'y', 'w', 'h', 'conf', 'class', 'visibility')
_INTEGER_COLUMNS = ('frame', 'id', 'class')


def mot_classes(class_ids: Sequence[int]) -> Dict[int, dict]:
    """The kept MOT classes: class number -> ``dict(id, name)`` of the
    output (the number is the category id; names from MOT17's list)."""
    return {
        number:
        dict(id=number, name=MOT17_CLASSES.get(number, f'class_{number}'))
        for number in class_ids
    }


def _seqinfo(folder: str, name: str) -> dict:
    """``imDir``, ``imExt``, ``seqLength``, ``imWidth``, ``imHeight`` of a
    sequence."""
    path = osp.join(folder, 'seqinfo.ini')
    where = f'video {name}'
    if not osp.isfile(path):
        fail(
            path, where, 'no such file: every MOTChallenge sequence '
            'folder has one (frames, their number and size)')
    parser = configparser.ConfigParser()
    try:
        parser.read(path, encoding='utf-8')
    except (configparser.Error, UnicodeDecodeError) as error:
        fail(path, where, f'not a readable ini file: {error}')
    if not parser.has_section('Sequence'):
        fail(path, where, 'no [Sequence] section (truncated?)')
    section = parser['Sequence']
    info = dict(
        imDir=section.get('imDir', 'img1'), imExt=section.get('imExt', '.jpg'))
    for key in ('seqLength', 'imWidth', 'imHeight'):
        value = section.get(key)
        if value is None or not value.strip().isdigit() or int(value) <= 0:
            fail(
                path, f'{where}, [Sequence]', f"field '{key}' must be a "
                f'positive integer, got {value!r} (truncated?)')
        info[key] = int(value)
    return info


def _frames(folder: str, name: str, info: dict,
            source: str) -> List[Tuple[int, str]]:
    """(frame id, path relative to the sequences folder) of frames 1 to
    ``seqLength``, by the number in their file names."""
    numbered = numbered_frame_files(
        osp.join(folder, info['imDir']), info['imExt'], source)
    frames = []
    for number in range(1, info['seqLength'] + 1):
        if number not in numbered:
            fail(
                source, f'video {name}, frame {number}',
                f"no {info['imExt']} file numbered {number} in "
                f"{osp.join(folder, info['imDir'])} (seqinfo.ini gives "
                f"seqLength={info['seqLength']}): frame missing from disk")
        frames.append((number - 1, f"{name}/{info['imDir']}/"
                       f'{numbered[number]}'))
    return frames


def _parse_value(text: str, column: str):
    """A field's number, or None where it is not one."""
    try:
        value = float(text)
    except ValueError:
        return None
    if column in _INTEGER_COLUMNS:
        return int(value) if value.is_integer() else None
    return value


def _row_values(line: str, where: str, source: str, last: bool) -> dict:
    ends_here = ('; the file ends within this line: it is truncated?'
                 if last else '')
    fields = line.split(',')
    if len(fields) != len(GT_COLUMNS):
        fail(
            source, where, f'{len(fields)} fields, expected '
            f'{len(GT_COLUMNS)} ({", ".join(GT_COLUMNS)}){ends_here}')
    values = {}
    for index, (column, text) in enumerate(zip(GT_COLUMNS, fields)):
        values[column] = _parse_value(text.strip(), column)
        if values[column] is None:
            kind = 'an integer' if column in _INTEGER_COLUMNS else 'a number'
            fail(
                source, where, f"field '{column}' (column {index + 1}) must "
                f'be {kind}, got {text.strip()!r}{ends_here}')
    return values


def _row_skip(values: dict,
              min_visibility: float) -> Optional[Tuple[str, str]]:
    if values['conf'] == 0:
        return ('zero confidence',
                "field 'conf' is 0: MOTChallenge leaves the row out "
                '(ignored region or class)')
    # MOT15-style files give no visibility (-1): filtered only when asked
    if min_visibility > 0 and values['visibility'] < min_visibility:
        return ('visibility under the minimum',
                f"field 'visibility' is under {min_visibility}")
    return None


def _read_gt(video: BoxTrackVideo, min_visibility: float) -> None:
    """The boxes of ``gt/gt.txt`` into ``video.boxes``."""
    try:
        with open(video.source, encoding='utf-8') as file:
            text = file.read()
    except FileNotFoundError:
        fail(video.source, f'video {video.name}', 'no such file: a '
             'test-split sequence has no ground truth')
    except UnicodeDecodeError as error:
        fail(video.source, f'video {video.name}',
             f'not UTF-8 text (byte {error.start})')
    lines = text.splitlines()
    for index, line in enumerate(lines):
        if not line.strip():
            continue
        last = index == len(lines) - 1 and not text.endswith('\n')
        values = _row_values(line, f'line {index + 1}', video.source, last)
        x, y, w, h = (values[key] for key in ('x', 'y', 'w', 'h'))
        video.boxes.append(
            TrackBox(
                frame_id=values['frame'] - 1,
                track=values['id'],
                category=values['class'],
                bbox=[x, y, w, h],
                where=(f"line {index + 1} (frame {values['frame']}, track "
                       f"{values['id']})"),
                skip=_row_skip(values, min_visibility)))


def _sequence_folders(sequences_dir: str,
                      patterns: Optional[Sequence[str]]) -> List[str]:
    if not osp.isdir(sequences_dir):
        fail(sequences_dir, 'sequences', 'no such folder')
    names = sorted(
        name for name in os.listdir(sequences_dir)
        if osp.isdir(osp.join(sequences_dir, name)) and (
            patterns is None or any(
                fnmatch.fnmatch(name, pattern) for pattern in patterns)))
    if not names:
        fail(
            sequences_dir, 'sequences', 'no sequence folder' +
            (f' matches {list(patterns)}' if patterns else ''))
    return names


def read_mot_sequences(
    sequences_dir: str,
    class_ids: Sequence[int] = (1, ),
    min_visibility: float = 0.0,
    patterns: Optional[Sequence[str]] = None,
    show_progress: bool = False
) -> Tuple[List[BoxTrackVideo], Dict[int, dict], ImportSkips]:
    """Read every sequence folder of ``sequences_dir``.

    Args:
        sequences_dir (str): e.g. ``MOT17/train``; frame paths are relative
            to it.
        class_ids (Sequence[int]): the MOT classes to keep, in label order
            (default 1, pedestrian).
        min_visibility (float): rows of a lower ``visibility`` are left out.
        patterns (Sequence[str], optional): only the sequences whose
            folder name matches one of these shell patterns.
        show_progress (bool): a progress bar over the sequences.

    Returns:
        tuple: the videos (frames checked on disk), the kept classes (see
        :func:`mot_classes`) and the rows left out so far, for
        :func:`box_tracks_to_mmdet`.

    Raises:
        BoxTrackFormatError: a sequence without ``seqinfo.ini`` or
            ``gt/gt.txt``, a frame missing from disk, a malformed or
            truncated row; naming the file, line, frame, track and field.
    """
    videos = []
    for name in tqdm(
            _sequence_folders(sequences_dir, patterns),
            desc='reading sequences',
            file=sys.stderr,
            disable=not show_progress):
        folder = osp.join(sequences_dir, name)
        source = osp.join(folder, 'gt', 'gt.txt')
        info = _seqinfo(folder, name)
        video = BoxTrackVideo(
            name=name,
            source=source,
            frames=_frames(folder, name, info, source),
            width=info['imWidth'],
            height=info['imHeight'],
            first_frame_number=1,
            category_field='class',
            box_field='x, y, w, h')
        check_frames_on_disk(video, sequences_dir)
        _read_gt(video, min_visibility)
        videos.append(video)
    return videos, mot_classes(class_ids), ImportSkips()
