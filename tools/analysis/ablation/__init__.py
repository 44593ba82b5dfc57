"""What the loss-ablation tools of ``tools/analysis`` share.

The tools (``davis_benchmark.py``, ``blobs_benchmark.py``,
``demo_rows.py``) import it as the package beside them (``from ablation
import driver``), as Python finds it when it runs a script of this folder.

- :mod:`.specs`: the runs of a benchmark and the rows' names;
- :mod:`.overrides`: the config overrides of a run;
- :mod:`.records`: the runs done, kept in the results file;
- :mod:`.scheduler`: runs in subprocesses, wave after wave;
- :mod:`.worker`: one run, in its process;
- :mod:`.summary`: means, spreads and the targets on them;
- :mod:`.markdown`: the tables and the results section;
- :mod:`.machine`: what a benchmark ran on;
- :mod:`.colour_pairs`: the pairwise term's colour pairs on a dataset,
  and those the true masks and the boxes cut;
- :mod:`.box_terms`: the box terms at a model's masks and at the truth;
- :mod:`.pictures`: loss curves and predictions beside the ground truth;
- :mod:`.driver`: one benchmark from its command line to its results;
- :mod:`.ladder`: the image rungs of the mask-term ladder.
"""
