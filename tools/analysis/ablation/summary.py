"""Means and spreads over seeds, and the targets checked on them."""
import statistics
from typing import Dict, Optional, Sequence, Tuple

from .specs import BOX_ROWS


def mean_std(runs: Sequence[dict], metric: str = 'segm_mAP') -> tuple:
    """Mean and sample standard deviation (0 for one run)."""
    values = [run[metric] for run in runs]
    spread = statistics.stdev(values) if len(values) > 1 else 0.0
    return statistics.mean(values), spread


def mean_minutes(runs: Sequence[dict], key: str) -> str:
    """The mean of a seconds figure in minutes, one decimal; '-' where no
    run has it."""
    values = [run[key] for run in runs if key in run]
    return f'{statistics.mean(values) / 60:.1f}' if values else '-'


def gap_check(upper: Tuple[str, Sequence[dict]],
              lower: Tuple[str, Sequence[dict]]) -> Optional[str]:
    """'A - B: +x AP, seed noise y: target V': the target that A beats B
    by more than the larger standard deviation of the two. V is missed for
    a gap within that noise (or below zero), undecided for a larger gap
    while either row has a single seed, else met."""
    if not upper[1] or not lower[1]:
        return None
    (high, high_sd), (low, low_sd) = mean_std(upper[1]), mean_std(lower[1])
    noise = max(high_sd, low_sd)
    if high - low <= noise:
        verdict = 'missed'
    elif min(len(upper[1]), len(lower[1])) < 2:
        # one run has no spread: any positive gap would pass
        verdict = 'undecided (a row has one seed: no noise estimate)'
    else:
        verdict = 'met'
    return (f'- {upper[0]} - {lower[0]}: {high - low:+.3f} AP, seed noise '
            f'(larger std) {noise:.3f}: target {verdict}')


def ordering_targets(records, labels: Dict[str, str],
                     filled: Optional[dict]) -> str:
    """The ordering MaskFreeVIS > BoxInst > projection, beyond the seed
    noise (:func:`gap_check`), and the best box row against the filled
    boxes' AP (``filled``: their metrics, if evaluated).

    Args:
        records (Records): the runs done.
        labels (dict): row: its title.
    """
    runs = {row: records.runs_of(row) for row in BOX_ROWS}
    lines = [
        gap_check((labels[a], runs[a]), (labels[b], runs[b]))
        for a, b in (('maskfreevis', 'boxinst'), ('boxinst', 'projection'))
    ]
    done = [row for row in BOX_ROWS if runs[row]]
    if filled and done:
        best = max(done, key=lambda row: mean_std(runs[row])[0])
        ratio = mean_std(runs[best])[0] / max(filled['segm_mAP'], 1e-3)
        lines.append(f'- best box row ({labels[best]}) / filled boxes: '
                     f'{ratio:.1f}x (filled-box AP floored at 0.001)')
    return '\n'.join(line for line in lines if line)
