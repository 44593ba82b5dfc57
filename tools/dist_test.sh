#!/usr/bin/env bash
# Test on GPUS processes per node with torchrun:
#   tools/dist_test.sh CONFIG CHECKPOINT GPUS [test.py options]
# Several nodes: run it on each node with NNODES, NODE_RANK, MASTER_ADDR
# (and the same PORT). Without CUDA the processes run on the CPU (gloo).
set -euo pipefail
. "$(dirname "$0")/launch_helpers.sh"
require_arguments 3 "CONFIG CHECKPOINT GPUS [test.py options]" "$@"
CONFIG=$1
CHECKPOINT=$2
GPUS=$3
run_with_torchrun "$GPUS" test.py "$CONFIG" "$CHECKPOINT" --launcher pytorch \
    "${@:4}"
