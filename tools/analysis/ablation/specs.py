"""The runs of a benchmark and the names of its rows."""
from dataclasses import dataclass, field
from typing import Callable, List, Optional, Sequence

# the loss weights each box row sets to 0
BOX_ROWS = {
    'projection': ('loss_pair', 'loss_temp'),
    'boxinst': ('loss_temp', ),
    'maskfreevis': (),
}
MASKS = 'masks'
LABELS = {
    'projection': 'projection',
    'boxinst': 'projection + pairwise (BoxInst)',
    'maskfreevis': 'projection + pairwise + TK (MaskFreeVIS)',
    MASKS: 'mask supervision (upper bound)',
}
FILLED = 'ground-truth boxes, filled'


@dataclass
class RunSpec:
    """One run of a benchmark.

    Attributes:
        name (str): ``<row>/seed<k>``: its folder under the work directory
            and its key in the results file.
        row (str): the table row it belongs to.
        seed (int): ``randomness.seed``.
        options (dict): config overrides.
        train (bool): train before testing.
        test (bool): evaluate (mask AP, J&F) after training.
        checkpoint (str, optional): the file a later wave starts from;
            such a run is done when that file exists, and runs only when a
            later run needs it.
    """
    name: str
    row: str
    seed: int
    options: dict = field(default_factory=dict)
    train: bool = True
    test: bool = True
    checkpoint: Optional[str] = None


def run_name(row: str, seed: int) -> str:
    return f'{row}/seed{seed}'


def seeded_runs(rows: Sequence[str], seeds: Sequence[int],
                mask_seeds: Sequence[int],
                options_of: Callable[[str], dict]) -> List[RunSpec]:
    """The runs of some rows, each at its seeds (``mask_seeds`` for mask
    supervision), with the options ``options_of(row)``."""
    runs = []
    for row in rows:
        options = options_of(row)
        for seed in mask_seeds if row == MASKS else seeds:
            runs.append(
                RunSpec(
                    name=run_name(row, seed),
                    row=row,
                    seed=seed,
                    options=options))
    return runs
