# What the launchers share, sourced by dist_{train,test}.sh and
# slurm_{train,test}.sh (not run on its own): the usage check, the Python
# to run (the repository's environment of make install unless PYTHON names
# another) and the torchrun and srun command lines, with the repository
# on PYTHONPATH.
TOOLS=$(dirname "${BASH_SOURCE[0]}")
VENV_PYTHON="$TOOLS/../.venv/bin/python"
[ -x "$VENV_PYTHON" ] && DEFAULT_PYTHON=$VENV_PYTHON || DEFAULT_PYTHON=python
PYTHON=${PYTHON:-$DEFAULT_PYTHON}
export PYTHONPATH="$TOOLS/..${PYTHONPATH:+:$PYTHONPATH}"

# require_arguments COUNT USAGE ARGS...: exit 2 with the usage on stderr
# when ARGS are fewer than COUNT.
require_arguments() {
    local count=$1 usage=$2
    shift 2
    if [ $# -lt "$count" ]; then
        echo "usage: $0 $usage" >&2
        exit 2
    fi
}

# run_with_torchrun GPUS TOOL ARGS...: tools/TOOL on GPUS processes of this
# node; NNODES, NODE_RANK, MASTER_ADDR and PORT place it among the nodes.
run_with_torchrun() {
    local gpus=$1 tool=$2
    shift 2
    "$PYTHON" -m torch.distributed.run \
        --nnodes="${NNODES:-1}" \
        --node_rank="${NODE_RANK:-0}" \
        --master_addr="${MASTER_ADDR:-127.0.0.1}" \
        --nproc_per_node="$gpus" \
        --master_port="${PORT:-29500}" \
        "$TOOLS/$tool" "$@"
}

# run_with_srun PARTITION JOB_NAME TOOL ARGS...: tools/TOOL as a Slurm job
# of GPUS tasks (default 8), GPUS_PER_NODE (8) a node, CPUS_PER_TASK (5)
# each; SRUN_ARGS are added to srun's options.
run_with_srun() {
    local partition=$1 job_name=$2 tool=$3
    shift 3
    local gpus_per_node=${GPUS_PER_NODE:-8}
    # shellcheck disable=SC2086  # SRUN_ARGS are several words
    srun -p "$partition" \
        --job-name="$job_name" \
        --gres=gpu:"$gpus_per_node" \
        --ntasks="${GPUS:-8}" \
        --ntasks-per-node="$gpus_per_node" \
        --cpus-per-task="${CPUS_PER_TASK:-5}" \
        --kill-on-bad-exit=1 \
        ${SRUN_ARGS:-} \
        "$PYTHON" -u "$TOOLS/$tool" "$@"
}
