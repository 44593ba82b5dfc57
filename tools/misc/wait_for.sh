# Sourced by tools/misc/install_env.sh and tools/analysis/gpu_checks.sh.
# wait_for PID SECONDS: true once process PID has exited, false if it is
# still running after SECONDS.
wait_for() {
    local i
    for ((i = 0; i < $2; i++)); do
        kill -0 "$1" 2>/dev/null || return 0
        sleep 1
    done
    ! kill -0 "$1" 2>/dev/null
}
