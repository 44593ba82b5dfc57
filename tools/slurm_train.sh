#!/usr/bin/env bash
# Train under Slurm, one task per GPU:
#   [GPUS=16 GPUS_PER_NODE=8] tools/slurm_train.sh PARTITION JOB_NAME CONFIG WORK_DIR [train.py options]
set -euo pipefail
. "$(dirname "$0")/launch_helpers.sh"
require_arguments 4 "PARTITION JOB_NAME CONFIG WORK_DIR [train.py options]" \
    "$@"
PARTITION=$1
JOB_NAME=$2
CONFIG=$3
WORK_DIR=$4
run_with_srun "$PARTITION" "$JOB_NAME" train.py "$CONFIG" \
    --work-dir="$WORK_DIR" --launcher slurm "${@:5}"
