"""tools/analysis/benchmark_data_path.py: a step's time and memory measured
from outside, the memory cap, resuming, the targets of the table; and the
bound on building a dataset of 2,000 generated videos."""
import dataclasses
import os.path as osp
import sys

from .imported_videos import read_json
from .tool_loading import load_tool

benchmark = load_tool('analysis/benchmark_data_path.py')
generator = load_tool('analysis/generate_dataset_files.py')
youtube_vis_to_mmdet = load_tool('dataset_converters/youtube_vis_to_mmdet.py')
# Building the training dataset of 2,000 YouTube-VIS videos (5 frames, 1.7
# instances each): the memory it adds to the process once torch and mmdet
# are imported (0.03 GiB measured; the file is 3 MiB serialized), and the
# process in all (0.44 GiB measured).
BUILD_GROWTH_GIB = 0.1
BUILD_BOUND_GIB = 1.0


def python_code(code):
    return [sys.executable, '-c', code]


def test_building_a_dataset_of_2000_videos_stays_under_the_bound(tmp_path):
    preset = dataclasses.replace(
        generator.PRESETS['ytvis2019'], videos=2000, frames=(5, 5))
    written = generator.generate(
        'ytvis2019', str(tmp_path), preset=preset, with_frames=False)
    boxes = str(tmp_path / 'boxes.json')
    youtube_vis_to_mmdet.main([written['annotations'], boxes, '--boxes-only'])
    config = osp.join(benchmark.REPO_ROOT, 'configs', 'mfvis_ytvis.py')
    measured = benchmark.measure(
        benchmark.python(benchmark.STEPS_SCRIPT, 'build', config, boxes,
                         written['img_root']),
        memory_cap_gib=4)
    assert measured.returncode == 0, measured.output_tail
    assert measured.figures['videos'] == 2000
    assert measured.figures['serialize_data']
    assert measured.peak_rss_gib < BUILD_BOUND_GIB
    growth = measured.peak_rss_gib - measured.figures['rss_before_gib']
    assert growth < BUILD_GROWTH_GIB


def test_measure_reads_the_peak_memory_and_the_last_json_line():
    measured = benchmark.measure(
        python_code('import time; data = b"x" * (300 * 2**20); '
                    'time.sleep(0.6); del data; print(\'{"done": 1}\')'),
        memory_cap_gib=4)
    assert measured.returncode == 0
    assert 0.29 < measured.peak_rss_gib < 0.5
    assert measured.wall_s >= 0.6
    assert 0 < measured.cpu_s < measured.wall_s - 0.5  # it slept 0.6 s
    assert measured.figures == dict(done=1)


def test_a_step_over_the_memory_cap_is_stopped():
    measured = benchmark.measure(
        python_code('import time\nheld = []\nfor _ in range(40):\n'
                    '    held.append(b"x" * 2**25); time.sleep(0.1)'),
        memory_cap_gib=0.3)
    assert measured.returncode == -9
    assert measured.peak_tree_gib > 0.3


def step(name, code):
    return benchmark.Step('tiny', name, python_code(code), 'other')


def test_finished_steps_are_kept_and_a_rerun_goes_on(tmp_path):
    progress = str(tmp_path / 'steps.json')
    runs = tmp_path / 'runs.txt'
    count = f'open({str(runs)!r}, "a").write("x")'
    steps = [step('first', count), step('second', count)]
    benchmark.run_steps(steps[:1], progress, [], [], 4, lambda: None)
    benchmark.run_steps(steps, progress, [], [], 4, lambda: None)
    assert runs.read_text() == 'xx'  # the first step ran once
    benchmark.run_steps(steps, progress, ['tiny: sec*'], [], 4, lambda: None)
    assert runs.read_text() == 'xxx'
    assert set(read_json(progress)['steps']) == {'tiny: first', 'tiny: second'}
    benchmark.run_steps(steps, progress, [], ['*first'], 4, lambda: None)
    assert runs.read_text() == 'xxxx'  # only the first, finished or not


def test_a_rerun_step_keeps_its_first_figures_as_before():
    steps = [
        benchmark.Step('mot20', 'import', [], 'import'),
        benchmark.Step('mot20', 'dataloader, 2 workers', [], 'dataloader')
    ]
    first = {
        'mot20: import': record(40.0, 1.5),
        'mot20: dataloader, 2 workers': record(1714.0, 1.7)
    }
    before = benchmark.kept_as_before(steps, ['mot20: data*'], first, {})
    assert before == {'mot20: dataloader, 2 workers': record(1714.0, 1.7)}
    # a second fix of the same step: the before stays the first figures
    second = dict(first, **{'mot20: dataloader, 2 workers': record(90, 1.2)})
    assert benchmark.kept_as_before(steps, ['mot20: *'], second,
                                    before) == dict(
                                        before,
                                        **{'mot20: import': record(40, 1.5)})


def test_a_before_that_failed_is_dropped_and_a_source_is_named():
    failed = dict(record(0.1, 0.01), returncode=1)
    given = dict(record(334.0, 4.4), source='issue 24')
    before = benchmark.merged_before(
        {
            'bdd100k: import': failed,
            'bdd100k: check_dataset.py': failed
        }, {'bdd100k: import': given})
    assert before == {'bdd100k: import': given}
    steps = [benchmark.Step('bdd100k', 'import', [], 'import')]
    row = benchmark.table_lines(steps, {'bdd100k: import': record(120, 3.2)},
                                before)[2]
    assert row == ('| bdd100k | import | 334.0 -> 120.0 | 4.40 -> 3.20 | '
                   'before: issue 24 | < 300 s, < 4 GiB | yes |')


def test_a_time_target_is_judged_on_cpu_seconds_where_recorded():
    """On shared cores a step's wall time holds other jobs' time too."""
    steps = [benchmark.Step('cvat', 'build dataset', [], 'build')]
    build = record(
        95.0, 1.5, serialize_data=True, videos=100, data_mib=72, build_s=80.0)
    rows = [
        benchmark.table_lines(steps, {'cvat: build dataset': measured}, {})[2]
        for measured in (build, dict(build, cpu_s=40.0))
    ]
    assert rows[0].startswith('| cvat | build dataset | 95.0 | 1.50 |')
    assert rows[0].endswith('| no |')
    assert rows[1].startswith('| cvat | build dataset | 95.0 (CPU 40) |')
    assert rows[1].endswith('| yes |')


def record(wall_s, peak_rss_gib, **figures):
    return dict(
        wall_s=wall_s,
        peak_rss_gib=peak_rss_gib,
        peak_tree_gib=peak_rss_gib,
        returncode=0,
        figures=figures,
        output_tail='')


def workers_at(*rss):
    return dict(main=dict(rss=1.0), workers=[dict(rss=value) for value in rss])


def test_the_table_holds_each_target_and_whether_it_is_met():
    steps = [
        benchmark.Step('bdd100k', 'import', [], 'import'),
        benchmark.Step('bdd100k', 'build dataset', [], 'build'),
        benchmark.Step('bdd100k', 'dataloader, 2 workers', [], 'dataloader')
    ]
    records = {
        'bdd100k: import':
        record(334.0, 4.4),
        'bdd100k: build dataset':
        record(
            20.0,
            2.0,
            videos=1400,
            serialize_data=True,
            data_mib=300.0,
            build_s=15.0),
        'bdd100k: dataloader, 2 workers':
        record(
            60.0,
            2.0,
            clips_per_s=9.0,
            memory=[
                dict(clip=100, **workers_at(0.50, 0.50)),
                dict(clip=500, **workers_at(0.52, 0.60))
            ]),
    }
    before = {'bdd100k: import': record(400.0, 5.0)}
    rows = benchmark.table_lines(steps, records, before)[2:]
    assert rows[0] == ('| bdd100k | import | 400.0 -> 334.0 | 5.00 -> 4.40 |'
                       ' before: run of ? | < 300 s, < 4 GiB | no |')
    assert rows[1].endswith('| < 60 s, serialized | yes |')
    assert 'serialize_data on (300 MiB)' in rows[1]
    # the second worker grew by 20 %
    assert 'worker RSS at clip 100/500: 0.50/0.52, 0.50/0.60 GiB' in rows[2]
    assert rows[2].endswith('| worker RSS +10% at most | no |')
