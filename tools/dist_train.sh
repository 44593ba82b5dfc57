#!/usr/bin/env bash
# Train on GPUS processes per node with torchrun:
#   tools/dist_train.sh CONFIG GPUS [train.py options]
# Several nodes: run it on each node with NNODES, NODE_RANK, MASTER_ADDR
# (and the same PORT). Without CUDA the processes run on the CPU (gloo).
set -euo pipefail
. "$(dirname "$0")/launch_helpers.sh"
require_arguments 2 "CONFIG GPUS [train.py options]" "$@"
CONFIG=$1
GPUS=$2
run_with_torchrun "$GPUS" train.py "$CONFIG" --launcher pytorch "${@:3}"
