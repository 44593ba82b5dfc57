#!/usr/bin/env bash
# Test under Slurm, one task per GPU:
#   [GPUS=8 GPUS_PER_NODE=8] tools/slurm_test.sh PARTITION JOB_NAME CONFIG CHECKPOINT [test.py options]
set -euo pipefail
. "$(dirname "$0")/launch_helpers.sh"
require_arguments 4 "PARTITION JOB_NAME CONFIG CHECKPOINT [test.py options]" \
    "$@"
PARTITION=$1
JOB_NAME=$2
CONFIG=$3
CHECKPOINT=$4
run_with_srun "$PARTITION" "$JOB_NAME" test.py "$CONFIG" "$CHECKPOINT" \
    --launcher slurm "${@:5}"
