"""What a check of an annotation file found: errors, skips and warnings.

- an **error** stops loading: the file is inconsistent and training on it
  would give a wrong number (a NaN box, a category of no class, one object
  changing class between frames...);
- a **skip** drops one annotation (or video) from training and evaluation,
  for a reason mmdet also drops it (a box smaller than a pixel, outside
  its frame...); mmfvis logs each kind with counts and examples instead of
  dropping it silently;
- a **warning** keeps the data but points at something odd (a box partly
  outside its frame, a video shorter than the training clips...).

Every problem names where it is: the video (id and name), frame (index
and file), annotation id and the field at fault.
"""
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Dict, List, Optional, Set

__all__ = [
    'AnnotationProblem', 'AnnotationReport', 'SEVERITIES',
    'VideoAnnotationError'
]

SEVERITIES = ('error', 'skip', 'warning')


class VideoAnnotationError(ValueError):
    """An annotation file that cannot be trained or evaluated on as is."""


@dataclass(frozen=True)
class AnnotationProblem:
    """One problem of an annotation file.

    Attributes:
        severity (str): ``'error'``, ``'skip'`` or ``'warning'``.
        kind (str): what is wrong, shared by problems of the same sort
            (reports group by it), e.g. ``'box smaller than a pixel'``.
        where (str): e.g. ``'video 3 (fish_01), frame 5 (fish_01/5.jpg),
            annotation 17'``.
        message (str): the field at fault and its value.
    """
    severity: str
    kind: str
    where: str
    message: str

    def __str__(self) -> str:
        return f'{self.where}: {self.message}'


class AnnotationReport:
    """The problems and the counts of one checked annotation file.

    Args:
        source (str): the file, quoted in every message.
    """

    def __init__(self, source: str):
        self.source = source
        self.problems: List[AnnotationProblem] = []
        self.counts: Dict[str, int] = {}
        self.skipped_annotation_ids: Set = set()

    def add(self,
            severity: str,
            kind: str,
            where: str,
            message: str,
            annotation_id=None) -> None:
        """Record a problem; a skipped annotation's id is remembered."""
        if severity not in SEVERITIES:
            raise ValueError(f'severity must be one of {SEVERITIES}, '
                             f'got {severity!r}')
        self.problems.append(AnnotationProblem(severity, kind, where, message))
        if severity == 'skip' and annotation_id is not None:
            self.skipped_annotation_ids.add(annotation_id)

    def of_severity(self, severity: str) -> List[AnnotationProblem]:
        return [p for p in self.problems if p.severity == severity]

    @property
    def errors(self) -> List[AnnotationProblem]:
        return self.of_severity('error')

    def kind_counts(self, severity: str) -> Counter:
        """How many problems of each kind, for one severity."""
        return Counter(p.kind for p in self.of_severity(severity))

    def counts_line(self) -> str:
        """e.g. ``'12 videos, 340 frames, 25 instances, 800 boxes'``."""
        return ', '.join(f'{number} {name}'
                         for name, number in self.counts.items())

    def format(self,
               severities=SEVERITIES,
               max_examples: Optional[int] = 20) -> List[str]:
        """The report as lines: per severity and kind, the count, then
        each problem (at most ``max_examples`` per kind; None: all)."""
        lines = []
        for severity in severities:
            by_kind = defaultdict(list)
            for problem in self.of_severity(severity):
                by_kind[problem.kind].append(problem)
            for kind, problems in by_kind.items():
                lines.append(f'{severity.upper()}: {kind}: '
                             f'{len(problems)} in {self.source}')
                shown = problems if max_examples is None else \
                    problems[:max_examples]
                lines += [f'  {problem}' for problem in shown]
                if len(shown) < len(problems):
                    lines.append(f'  ... and {len(problems) - len(shown)} '
                                 'more')
        return lines

    def raise_errors(self, max_examples: int = 10) -> None:
        """Raise :class:`VideoAnnotationError` if there is any error; its
        message names the file and lists the errors."""
        errors = self.errors
        if not errors:
            return
        lines = self.format(('error', ), max_examples)
        raise VideoAnnotationError(
            f'{self.source}: {len(errors)} annotation error(s); run '
            f'`python tools/misc/check_dataset.py {self.source}` for the '
            'full report\n' + '\n'.join(lines))
