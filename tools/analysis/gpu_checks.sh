#!/usr/bin/env bash
# The GPU checks, as one run on a GPU machine that reaches no
# package registry (docs/benchmarks/gpu_checks.md):
#
#   install   mmfvis's packages from the wheels carried beside the repository
#             (tools/misc/prepare_device_wheels.sh), mmfvis itself editable
#   mmcv      mmcv 2.1.0 built from its source with its CUDA ops, timed, cut
#             at --build-timeout; if it fails, mmcv's CPU ops alone: without
#             compiled ops mmdet's models, hence mmfvis, cannot be imported,
#             and the loss benchmark's losses are plain torch on the GPU
#   losses    tools/analysis/benchmark_losses.py on the device
#   training  tools/analysis/benchmark_training_speed.py on the device,
#             configs/mfvis_ytvis.py at 360x640 (needs mmcv's CUDA ops)
#   transfer  with the budget's time left: tools/analysis/davis_benchmark.py
#             at 854x480 (the shared 427x240 frames upsampled), T = 5, one
#             seed a row, on the DAVIS subset that --prepare-davis copies
#
# On the device machine (the repository root; carry device_wheels and
# device_data):
#   bash tools/analysis/gpu_checks.sh --wheels device_wheels --out "$OUT"
# Here, beforehand (the data; the wheels: tools/misc/prepare_device_wheels.sh):
#   bash tools/analysis/gpu_checks.sh --prepare-davis ../shared/data/davis2016
# On a CPU, at tiny sizes (what tests/test_tools/test_gpu_checks.py runs):
#   PYTHON=.venv/bin/python bash tools/analysis/gpu_checks.sh --device cpu \
#       --tiny --out /tmp/gpu_checks
#
# install and mmcv skip themselves when their packages import already. A
# failed step is reported and the next one runs where it can. Under --out
# (at most 8 files, what the device machine sends back): gpu_checks.log
# (everything printed), summary.md (each step's status and seconds),
# mmcv_build.log, losses.md, training_speed.md, transfer.md, and with
# --save-mmcv-wheel the CUDA build's wheel in parts of 15 MiB at most
# (`cat` them back into one file). Exit status 1 when a step failed (a loss
# benchmark whose acceptance checks fail has run: its FAIL lines are results),
# 2 for a bad option or --device cuda where torch sees no GPU.
set -euo pipefail

usage() {
    sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'
    cat <<'EOF'

Options:
  --device cuda|cpu     where the benchmarks run (default cuda)
  --tiny                tiny sizes and budgets: a test of this script
  --out DIR             results (default $OUT, else gpu_checks_out)
  --wheels DIR          wheels and mmcv's source (default device_wheels)
  --davis DIR           DAVIS-2016 folder (default device_data/davis2016 if
                        it is there, else ../shared/data/davis2016)
  --steps LIST          comma-separated steps to run (default all:
                        install,mmcv,losses,training,transfer)
  --budget S            seconds for the whole run (default 480)
  --build-timeout S     seconds for mmcv's build, of its CUDA ops (of its
                        CPU ops with --device cpu; default 300)
  --save-mmcv-wheel     send back the wheel the CUDA build made, to carry
                        next time instead of building
  --prepare-davis SRC   copy the DAVIS subset from SRC into
                        device_data/davis2016 and exit (run it here)
EOF
}

DEVICE=cuda
TINY=0
OUT_DIR=${OUT:-gpu_checks_out}
WHEELS=device_wheels
DAVIS=
STEPS=install,mmcv,losses,training,transfer
BUDGET=480
BUILD_TIMEOUT=300
SAVE_WHEEL=0
PREPARE_DAVIS=
PYTHON=${PYTHON:-python3}

# A path given on the command line, from where the script is called (the
# defaults are in the repository's root).
absolute() { case $1 in /*) echo "$1" ;; *) echo "$PWD/$1" ;; esac }

while [ $# -gt 0 ]; do
    case $1 in
    --device) DEVICE=$2 && shift ;;
    --tiny) TINY=1 ;;
    --out) OUT_DIR=$(absolute "$2") && shift ;;
    --wheels) WHEELS=$(absolute "$2") && shift ;;
    --davis) DAVIS=$(absolute "$2") && shift ;;
    --steps) STEPS=$2 && shift ;;
    --budget) BUDGET=$2 && shift ;;
    --build-timeout) BUILD_TIMEOUT=$2 && shift ;;
    --save-mmcv-wheel) SAVE_WHEEL=1 ;;
    --prepare-davis) PREPARE_DAVIS=$(absolute "$2") && shift ;;
    -h | --help) usage && exit 0 ;;
    *) echo "unknown option $1 (--help lists them)" >&2 && exit 2 ;;
    esac
    shift
done
case $DEVICE in cuda | cpu) ;; *)
    echo "--device: cuda or cpu, not $DEVICE" >&2 && exit 2 ;;
esac
for step in ${STEPS//,/ }; do
    case $step in install | mmcv | losses | training | transfer) ;; *)
        echo "--steps: no step $step (install, mmcv, losses, training," \
            "transfer)" >&2 && exit 2 ;;
    esac
done

cd "$(dirname "$0")/../.."
. tools/misc/wait_for.sh
REPO=$PWD
# mmfvis from this checkout, whatever is installed
export PYTHONPATH=$REPO${PYTHONPATH:+:$PYTHONPATH}
export PYTHONUNBUFFERED=1
# not nproc, which answers OMP_NUM_THREADS
CORES=$(getconf _NPROCESSORS_ONLN)
if [ "$DEVICE" = cpu ]; then
    # the tools' runners would take a GPU that is there
    export CUDA_VISIBLE_DEVICES=
fi

# The transfer subset: every class (animal, person, vehicle) in both sets,
# 11 MiB of frames; --tiny takes the first video of each.
INIT_VIDEOS=(libby scooter-black paragliding-launch)
TARGET_VIDEOS=(motocross-jump kite-surf camel)
DAVIS_SUBSET=device_data/davis2016

prepare_davis() {
    local source=$1 video
    if [ ! -f "$source/annotations/davis2016_ytvis.json" ]; then
        echo "--prepare-davis: no annotations/davis2016_ytvis.json in" \
            "$source" >&2
        return 2
    fi
    if ! git check-ignore -q "$DAVIS_SUBSET/probe"; then
        echo "$DAVIS_SUBSET is not ignored by git" >&2
        return 2
    fi
    mkdir -p "$DAVIS_SUBSET/annotations" "$DAVIS_SUBSET/JPEGImages"
    cp "$source/annotations/davis2016_ytvis.json" "$DAVIS_SUBSET/annotations/"
    for video in "${INIT_VIDEOS[@]}" "${TARGET_VIDEOS[@]}"; do
        rm -rf "${DAVIS_SUBSET:?}/JPEGImages/$video"
        cp -r "$source/JPEGImages/$video" "$DAVIS_SUBSET/JPEGImages/"
    done
    # the shared copy is read-only; this one is ours to replace
    chmod -R u+w "$DAVIS_SUBSET"
    echo "$DAVIS_SUBSET: $(du -sh "$DAVIS_SUBSET" | cut -f1) (carry it)"
}

if [ -n "$PREPARE_DAVIS" ]; then
    prepare_davis "$PREPARE_DAVIS"
    exit
fi
if [ -z "$DAVIS" ]; then
    DAVIS=$DAVIS_SUBSET
    [ -d "$DAVIS" ] || DAVIS=../shared/data/davis2016
fi
if [ "$TINY" = 1 ]; then
    INIT_VIDEOS=("${INIT_VIDEOS[0]}")
    TARGET_VIDEOS=("${TARGET_VIDEOS[0]}")
    LOSS_ARGS=(--no-scans --num-instances 2 --num-frames 3 --height 12
        --width 16 --num-layers 1 --repeats 1)
    TRAIN_ARGS=(--size 64 96 --clips 1 --iters 1 --warmup 0 --threads 1)
    TRANSFER_ARGS=(--size 107 60 --num-frames 2 --iters 2 --init-iters 2
        --rows maskfreevis)
else
    # the main clip (N=10, T=5, 90x160 logits: 360x640 frames at 1/4, 10
    # layers), then 50 instances and 360x640 logits (2 layers)
    LOSS_ARGS=(--repeats 5 --scan-instances 50 --scan-sizes 360x640
        --scan-repeats 3)
    TRAIN_ARGS=(--size 360 640 --clips 2 --iters 5 --warmup 2)
    TRANSFER_ARGS=(--size 854 480 --num-frames 5 --iters 100
        --init-iters 200)
fi
SDIST=$WHEELS/mmcv-2.1.0.tar.gz
mkdir -p "$OUT_DIR"
OUT_DIR=$(cd "$OUT_DIR" && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/gpu_checks.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
BUILD_LOG=$OUT_DIR/mmcv_build.log
START=$SECONDS
FAILED=0
SUMMARY=()
MMCV_OPS=unknown

say() { printf '[%4d s] %s\n' $((SECONDS - START)) "$*"; }
remaining() { echo $((BUDGET - (SECONDS - START))); }

# The seconds a step may take: at most $1, leaving $2 of the budget for the
# steps after it; 0 when less than 20 s would be left for this one.
allowance() {
    local left=$(($(remaining) - $2))
    [ "$left" -lt "$1" ] || left=$1
    [ "$left" -ge 20 ] || left=0
    echo "$left"
}

# $2... limited to $1 seconds, their whole process group killed at the end;
# exit status 124 when cut.
limited() {
    local seconds=$1
    shift
    timeout --kill-after=10 "$seconds" "$@"
}

cut_off() { [ "$1" = 124 ] || [ "$1" = 137 ]; }

py() { "$PYTHON" "$@"; }
imports() { py -c "import $1" >/dev/null 2>&1; }

# A step sets STATUS (fail, skip or its own) and returns 1 when it failed.
fail() {
    STATUS="failed: $*"
    return 1
}
skip() { STATUS="skipped: $*"; }

run_step() {
    local name=$1 started=$SECONDS
    case ",$STEPS," in *",$name,"*) ;; *) return 0 ;; esac
    echo
    say "===== $name ====="
    STATUS=ok
    if ! "step_$name"; then
        FAILED=$((FAILED + 1))
    fi
    local seconds=$((SECONDS - started))
    SUMMARY+=("| $name | $STATUS | $seconds |")
    say "$name: $STATUS ($seconds s)"
    # rewritten after each step: a run cut from outside keeps the steps done
    write_summary
}

# ------------------------------------------------------------ environment
describe_machine() {
    say "python: $(py -c 'import sys
print(sys.executable, sys.version.split()[0])')"
    say "torch: $(py -c 'import torch
print(torch.__version__, "CUDA", torch.version.cuda,
      "available:", torch.cuda.is_available())')"
    if command -v nvidia-smi >/dev/null; then
        say "GPU: $(nvidia-smi --query-gpu=name,driver_version,memory.total \
            --format=csv,noheader 2>&1 | head -1)"
    fi
    if command -v nvcc >/dev/null; then
        say "nvcc: $(nvcc --version | grep -o 'release [0-9.]*')"
    fi
    say "cores: $CORES; device: $DEVICE; tiny: $TINY; budget: $BUDGET s"
    say "commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
}

# ---------------------------------------------------------------- install
step_install() {
    if imports 'mmengine, kornia, pycocotools, shapely, terminaltables' &&
        py -c 'import importlib.metadata as m; m.version("mmdet")' \
            >/dev/null 2>&1; then
        skip 'mmengine, mmdet, kornia, pycocotools importable already'
        return 0
    fi
    local wheels
    mapfile -t wheels < <(find "$WHEELS" -maxdepth 1 -name '*.whl' \
        ! -name 'mmcv-*' 2>/dev/null | sort)
    if [ "${#wheels[@]}" = 0 ]; then
        fail "no wheels in $WHEELS: run tools/misc/prepare_device_wheels.sh" \
            "where PyPI is reachable and carry the folder"
        return 1
    fi
    # --no-deps: torch, numpy and opencv stay the machine's
    py -m pip install -q --no-index --no-deps --no-cache-dir "${wheels[@]}" ||
        { fail "pip install of the wheels (exit $?)"; return 1; }
    py -m pip install -q --no-index --no-deps --no-build-isolation -e . ||
        { fail "pip install -e . (exit $?)"; return 1; }
    imports 'mmengine, kornia, pycocotools, shapely' ||
        { fail 'the installed packages do not import'; return 1; }
    STATUS="ok: ${#wheels[@]} wheels and mmfvis (editable)"
}

# ------------------------------------------------------------------- mmcv
# 'cuda', 'cpu' (ops compiled without CUDA) or 'none'
mmcv_ops_kind() {
    py -c 'import mmcv.ops
print("cpu" if mmcv.ops.get_compiling_cuda_version() == "not available"
      else "cuda")' 2>/dev/null || echo none
}

# The last "[finished/total]" of ninja in build log $1.
ninja_progress() {
    grep -ao '\[[0-9]*/[0-9]*\]' "$1" 2>/dev/null | tail -1 || true
}

# Build mmcv's wheel from its source into $WORK/mmcv-$1, limited to $2
# seconds, with the environment $3...; a line every 30 s; the log is
# appended to mmcv_build.log. BUILD_SECONDS and BUILD_NOTE say how it went.
build_mmcv() {
    local label=$1 seconds=$2 started=$SECONDS rc=0
    shift 2
    local log=$WORK/build-$label.log
    env "$@" MAX_JOBS="$CORES" timeout --kill-after=15 "$seconds" \
        "$PYTHON" -m pip wheel -v --no-deps --no-index --no-build-isolation \
        -w "$WORK/mmcv-$label" "$SDIST" >"$log" 2>&1 &
    local pid=$!
    while ! wait_for "$pid" 30; do
        say "mmcv $label build: $((SECONDS - started)) s," \
            "ninja $(ninja_progress "$log")"
    done
    wait "$pid" || rc=$?
    BUILD_SECONDS=$((SECONDS - started))
    if [ "$rc" = 0 ]; then
        BUILD_NOTE="$label build done in $BUILD_SECONDS s"
    elif cut_off "$rc"; then
        BUILD_NOTE="$label build cut after $BUILD_SECONDS s, ninja at"
        BUILD_NOTE+=" $(ninja_progress "$log") (finished/total)"
    else
        BUILD_NOTE="$label build failed (exit $rc) after $BUILD_SECONDS s"
    fi
    {
        echo "===== $label build ($*): $BUILD_NOTE"
        # nvcc's warnings can be many: the head and the tail come back
        if [ "$(wc -c <"$log")" -gt 12000000 ]; then
            head -c 2000000 "$log"
            echo "[... cut ...]"
            tail -c 8000000 "$log"
        else
            cat "$log"
        fi
    } >>"$BUILD_LOG"
    tail -5 "$log"
    return "$rc"
}

install_mmcv_wheel() {
    py -m pip install -q --no-index --no-deps --force-reinstall "$1"
}

# A CUDA op of mmcv, to see the build's kernels run on this GPU.
cuda_op_runs() {
    py - <<'PYTHON'
import torch
from mmcv.ops import roi_align
features = torch.arange(64.0, device='cuda').view(1, 1, 8, 8)
rois = torch.tensor([[0.0, 0.0, 0.0, 4.0, 4.0]], device='cuda')
pooled = roi_align(features, rois, (2, 2), 1.0, 2, 'avg', True)
expected = roi_align(features.cpu(), rois.cpu(), (2, 2), 1.0, 2, 'avg', True)
assert torch.allclose(pooled.cpu(), expected), (pooled, expected)
print('roi_align on CUDA equals the CPU:', pooled.flatten().tolist())
PYTHON
}

# The wheel $1 under --out, in parts of 15 MiB at most.
save_wheel() {
    local name parts
    name=$(basename "$1")
    split -b 15M -d "$1" "$OUT_DIR/$name.part"
    parts=$(find "$OUT_DIR" -name "$name.part*" | wc -l)
    say "wheel saved in $parts part(s) of $(du -h "$1" | cut -f1): cat" \
        "$name.part* > device_wheels/$name, and carry it"
    if [ "$parts" -gt 2 ]; then
        say "$parts parts and the 6 files of results are more than the 8" \
            "files the device machine sends back: run the install and mmcv" \
            "steps alone (--steps install,mmcv)"
    fi
}

# Build mmcv with its CUDA ops for this GPU (sm_90) and install it.
build_cuda_mmcv() {
    local seconds wheel
    # 120 s stay for the fallback and the loss benchmark
    seconds=$(allowance "$BUILD_TIMEOUT" 120)
    if [ "$seconds" = 0 ]; then
        BUILD_NOTE='no time left for the CUDA build'
        return 1
    fi
    say "building mmcv with its CUDA ops (sm_90), at most $seconds s"
    build_mmcv cuda "$seconds" MMCV_WITH_OPS=1 FORCE_CUDA=1 \
        TORCH_CUDA_ARCH_LIST=9.0 || return 1
    wheel=$(find "$WORK/mmcv-cuda" -name 'mmcv-*.whl' | head -1)
    if ! install_mmcv_wheel "$wheel" || ! cuda_op_runs; then
        BUILD_NOTE+=', but its CUDA op does not run'
        return 1
    fi
    MMCV_OPS=cuda
    [ "$SAVE_WHEEL" = 0 ] || save_wheel "$wheel"
}

# Build mmcv with its CPU ops alone (the GPU hidden from its setup.py), in
# at most $1 s, and install it.
build_cpu_mmcv() {
    local seconds wheel
    seconds=$(allowance "$1" 60)
    if [ "$seconds" = 0 ]; then
        BUILD_NOTE='no time left for the CPU build'
        return 1
    fi
    build_mmcv cpu "$seconds" MMCV_WITH_OPS=1 FORCE_CUDA=0 \
        CUDA_VISIBLE_DEVICES= || return 1
    wheel=$(find "$WORK/mmcv-cpu" -name 'mmcv-*.whl' | head -1)
    if ! install_mmcv_wheel "$wheel"; then
        BUILD_NOTE+=', but pip does not install it'
        return 1
    fi
    MMCV_OPS=cpu
}

install_prebuilt_mmcv() {
    if ! install_mmcv_wheel "$1"; then
        fail "pip install $1"
        return 1
    fi
    MMCV_OPS=$(mmcv_ops_kind)
    if [ "$DEVICE" = cuda ] && ! cuda_op_runs; then
        fail "$1 installed, but its CUDA ops do not run here"
        return 1
    fi
    STATUS="ok: installed $(basename "$1") ($MMCV_OPS ops)"
}

step_mmcv() {
    MMCV_OPS=$(mmcv_ops_kind)
    if [ "$MMCV_OPS" != none ]; then
        skip "mmcv $(py -c 'import mmcv; print(mmcv.__version__)') with" \
            "its $MMCV_OPS ops importable already"
        return 0
    fi
    local prebuilt cuda_note=
    prebuilt=$(find "$WHEELS" -maxdepth 1 -name 'mmcv-2.1.0-*.whl' \
        2>/dev/null | head -1)
    if [ -n "$prebuilt" ]; then
        install_prebuilt_mmcv "$prebuilt"
        return
    fi
    if [ ! -f "$SDIST" ]; then
        fail "no $SDIST: run tools/misc/prepare_device_wheels.sh"
        return 1
    fi
    local cpu_seconds=$BUILD_TIMEOUT
    if [ "$DEVICE" = cuda ]; then
        if build_cuda_mmcv; then
            STATUS="ok: $BUILD_NOTE"
            return 0
        fi
        cuda_note=$BUILD_NOTE
        say "$cuda_note; falling back to mmcv's CPU ops"
        # the time left, but 60 s for the loss benchmark
        cpu_seconds=600
    fi
    if ! build_cpu_mmcv "$cpu_seconds"; then
        fail "${cuda_note:+$cuda_note; }$BUILD_NOTE"
        return 1
    fi
    if [ -n "$cuda_note" ]; then
        fail "$cuda_note; fallback, CPU ops only: $BUILD_NOTE"
        return 1
    fi
    STATUS="ok: $BUILD_NOTE"
}

# ------------------------------------------------------------- benchmarks
needs_mmfvis() {
    local error
    if ! error=$(py -c 'import mmfvis' 2>&1); then
        fail "mmfvis does not import: $(echo "$error" | tail -1)"
        return 1
    fi
}

step_losses() {
    needs_mmfvis || return 1
    local seconds rc=0 table=$OUT_DIR/losses.md scans=()
    seconds=$(allowance 150 0)
    [ "$seconds" -gt 0 ] || { skip 'the budget is spent' && return 0; }
    if [ "$seconds" -lt 150 ]; then
        say "$seconds s left: the main clip alone, without the scans"
        scans=(--no-scans)
    fi
    limited "$seconds" "$PYTHON" tools/analysis/benchmark_losses.py \
        --device "$DEVICE" "${LOSS_ARGS[@]}" "${scans[@]}" >"$table" || rc=$?
    cat "$table"
    if [ "$rc" = 0 ]; then
        STATUS="ok: every check passed (losses.md)"
    elif [ "$rc" = 1 ] && grep -q '^FAIL: ' "$table"; then
        STATUS="ran: $(grep -c '^FAIL: ' "$table") acceptance check(s)"
        STATUS+=" failed (losses.md)"
    elif cut_off "$rc"; then
        fail "cut at $seconds s"
    else
        fail "exit $rc"
    fi
}

# Models on CUDA need mmcv's CUDA ops: Mask2Former's deformable attention.
needs_cuda_ops() {
    [ "$DEVICE" = cuda ] || return 0
    [ "$MMCV_OPS" != unknown ] || MMCV_OPS=$(mmcv_ops_kind)
    if [ "$MMCV_OPS" != cuda ]; then
        fail "mmcv has no CUDA ops ($MMCV_OPS): Mask2Former's deformable" \
            "attention needs them"
        return 1
    fi
}

step_training() {
    needs_mmfvis || return 1
    needs_cuda_ops || return 1
    local seconds rc=0 raw=$WORK/training.out
    seconds=$(allowance 180 0)
    [ "$seconds" -gt 0 ] || { skip 'the budget is spent' && return 0; }
    limited "$seconds" "$PYTHON" tools/analysis/benchmark_training_speed.py \
        configs/mfvis_ytvis.py --device "$DEVICE" "${TRAIN_ARGS[@]}" \
        >"$raw" || rc=$?
    # the table without the progress bar's lines
    grep -E '^\||clips a batch|^optimizer step|^same numbers' "$raw" \
        >"$OUT_DIR/training_speed.md" || true
    cat "$OUT_DIR/training_speed.md"
    if [ "$rc" = 0 ]; then
        STATUS='ok (training_speed.md)'
    elif cut_off "$rc"; then
        fail "cut at $seconds s"
    else
        tail -20 "$raw"
        fail "exit $rc"
    fi
}

# Runs of the transfer benchmark that wrote their metrics.
transfer_runs_done() {
    find "$WORK/davis" -name metrics.json 2>/dev/null | wc -l
}

# The end of the log of each run that wrote no metrics.
show_unfinished_runs() {
    local log
    while read -r log; do
        [ -f "$(dirname "$log")/metrics.json" ] && continue
        echo "--- $log"
        tail -15 "$log"
    done < <(find "$WORK/davis" -name run.log 2>/dev/null)
}

step_transfer() {
    local video missing=()
    [ -f "$DAVIS/annotations/davis2016_ytvis.json" ] || missing+=(annotations)
    for video in "${INIT_VIDEOS[@]}" "${TARGET_VIDEOS[@]}"; do
        [ -d "$DAVIS/JPEGImages/$video" ] || missing+=("$video")
    done
    if [ "${#missing[@]}" -gt 0 ]; then
        skip "no DAVIS-2016 ${missing[*]} in $DAVIS: run --prepare-davis" \
            "here and carry $DAVIS_SUBSET"
        return 0
    fi
    needs_mmfvis || return 1
    needs_cuda_ops || return 1
    local seconds rc=0
    seconds=$(allowance 100000 5)
    if [ "$seconds" -lt 60 ]; then
        skip "$(remaining) s left of the budget"
        return 0
    fi
    say "transfer protocol on $DAVIS, at most $seconds s"
    limited "$seconds" "$PYTHON" tools/analysis/davis_benchmark.py \
        --data "$DAVIS" --work-dir "$WORK/davis" \
        --results-md "$WORK/transfer.md" --seeds 0 --mask-seeds 0 --jobs 1 \
        --init-videos "${INIT_VIDEOS[@]}" \
        --target-videos "${TARGET_VIDEOS[@]}" "${TRANSFER_ARGS[@]}" || rc=$?
    [ ! -f "$WORK/transfer.md" ] || cp "$WORK/transfer.md" "$OUT_DIR/"
    local done_runs
    done_runs=$(transfer_runs_done)
    if [ "$rc" = 0 ]; then
        STATUS="ok: $done_runs runs (transfer.md)"
    elif cut_off "$rc"; then
        # bounded by the budget on purpose: what finished is the result
        STATUS="cut at the budget ($seconds s) after $done_runs runs"
        STATUS+=" (transfer.md)"
    else
        show_unfinished_runs
        fail "exit $rc after $done_runs runs"
    fi
}

# ---------------------------------------------------------------- summary
write_summary() {
    {
        echo "# GPU checks, $(date -u '+%Y-%m-%d %H:%M UTC')"
        echo
        echo "Command: \`bash tools/analysis/gpu_checks.sh $COMMAND_LINE\`"
        echo
        echo '```'
        grep -E '^\[ *[0-9]+ s\] (python|torch|GPU|nvcc|cores|commit):' \
            "$OUT_DIR/gpu_checks.log" || true
        echo '```'
        echo
        echo '| step | status | seconds |'
        echo '| --- | --- | ---: |'
        printf '%s\n' "${SUMMARY[@]}"
        echo
        echo "Total: $((SECONDS - START)) s of the $BUDGET s budget;" \
            "steps failed: $FAILED."
    } >"$OUT_DIR/summary.md"
}

main() {
    say "gpu_checks: results in $OUT_DIR"
    describe_machine
    if [ "$DEVICE" = cuda ] &&
        ! py -c 'import torch; assert torch.cuda.is_available()' 2>/dev/null
    then
        say "--device cuda: torch sees no CUDA device here (--device cpu" \
            "runs the checks on the CPU)"
        return 2
    fi
    run_step install
    run_step mmcv
    run_step losses
    run_step training
    run_step transfer
    echo
    cat "$OUT_DIR/summary.md"
    [ "$FAILED" = 0 ]
}

COMMAND_LINE="--device $DEVICE --steps $STEPS --budget $BUDGET"
[ "$TINY" = 0 ] || COMMAND_LINE+=" --tiny"
main 2>&1 | tee "$OUT_DIR/gpu_checks.log"
