#!/usr/bin/env bash
# Build the mmfvis virtual environment from nothing; safe to run again.
#
#   tools/misc/install_env.sh [VENV_DIR]        (default: .venv)
#
# TORCH_SPEC (default torch==2.13.0) is installed only when the environment
# has no torch: a CUDA build of torch that is already there is kept.
# INSTALL_PIP_FLAGS (default -q) are given to every pip install; '-v' shows
# the compiler's lines while mmcv builds. (Not PIP_QUIET: pip reads PIP_*
# variables as its own options.)
set -euo pipefail

VENV=${1:-.venv}
PYTHON=${PYTHON:-python3}
TORCH_SPEC=${TORCH_SPEC:-torch==2.13.0}
MMCV_SPEC=${MMCV_SPEC:-mmcv==2.1.0}
INSTALL_PIP_FLAGS=${INSTALL_PIP_FLAGS:--q}

say() { printf '==> %s\n' "$*"; }
cd "$(dirname "$0")/../.."
. tools/misc/wait_for.sh

if [ ! -x "$VENV/bin/python" ]; then
    if "$PYTHON" -c 'import torch' 2>/dev/null; then
        say "creating $VENV on $PYTHON, which already has torch: keeping it"
        "$PYTHON" -m venv --system-site-packages "$VENV"
    else
        say "creating $VENV"
        "$PYTHON" -m venv "$VENV"
    fi
fi
VPY="$VENV/bin/python"
pip_install() { "$VPY" -m pip install $INSTALL_PIP_FLAGS "$@"; }

# Run a long, quiet command, printing the elapsed time every minute so that a
# terminal or a CI log shows it is alive.
with_heartbeat() {
    local what=$1 start=$SECONDS
    shift
    "$@" &
    local pid=$!
    while ! wait_for "$pid" 60; do
        say "$what: $(((SECONDS - start) / 60)) min elapsed"
    done
    wait "$pid"
}

if "$VPY" -c 'import torch' 2>/dev/null; then
    say "keeping $("$VPY" -c 'import torch; print("torch", torch.__version__, "cuda", torch.version.cuda)')"
else
    say "installing $TORCH_SPEC"
    pip_install "$TORCH_SPEC"
fi

# mmcv 2.1.0 builds its ops with setup.py and pkg_resources, gone from
# setuptools 81; ninja compiles the ops in parallel.
say "installing build tools and mmengine"
pip_install 'setuptools<81' wheel ninja numpy 'mmengine==0.10.7'

if "$VPY" -c 'import mmcv, mmcv.ops; assert mmcv.__version__ == "2.1.0"' 2>/dev/null; then
    say "keeping mmcv $("$VPY" -c 'import mmcv; print(mmcv.__version__)') with its ops"
else
    say "building $MMCV_SPEC with its ops (about 20 minutes on two cores the first time; pip caches the wheel)"
    with_heartbeat "building mmcv" env MAX_JOBS="${MAX_JOBS:-$(nproc)}" \
        "$VPY" -m pip install $INSTALL_PIP_FLAGS --no-build-isolation "$MMCV_SPEC"
fi

say "installing mmfvis (editable) with mmdet, pycocotools, kornia and the test tools"
pip_install --no-build-isolation -e '.[tests]'

"$VPY" -c 'import mmfvis, mmdet, mmcv.ops, torch; print("==> ready: mmfvis", mmfvis.__version__, "| mmdet", mmdet.__version__, "| torch", torch.__version__)'
