#!/bin/bash
# ghost's own scenario (sourced by the conformance runner, topology replica): a --gtid --checkpoint migration is
# held mid-copy with the socket's `throttle` and stopped with `panic` after its first checkpoint, resumed with --resume,
# held and stopped again once the resumed run has copied rows and written a checkpoint of its own, then resumed to the
# end. The event of create.sql writes all along. The original and the ghost table must then hold the same rows on the
# replica.

# The runner's throttle query would hold the copy while the event writes; the checkpoints need the copy to move.
export THROTTLE_SECONDS=0

socket="/tmp/gh-ost.test.sock"   # the runner rewrites this path into the case's own folder

# Sends one interactive command to the running ghost and prints its answer.
send_command() {
    if command -v socat >/dev/null 2>&1; then
        printf '%s\n' "$1" | timeout 5 socat -t 3 - "UNIX-CONNECT:$socket" 2>/dev/null
    elif command -v nc >/dev/null 2>&1; then
        printf '%s\n' "$1" | timeout 5 nc -U -q 3 "$socket" 2>/dev/null
    fi
}

send_panic() {
    send_command panic >/dev/null 2>&1
}

# The rows copied so far, from the status answer ("Copy: 120/8192 ..."); empty while the socket is not up.
copied_rows() {
    [ -S "$socket" ] || return 0
    send_command status | sed -n 's/.*Copy: \([0-9]*\)\/.*/\1/p' | head -1
}

# Holds the copy with the socket's `throttle` once it has copied more than `after` rows, so that the checkpoint the
# run then writes (checkpoints go on while throttled) falls mid-copy however fast the machine copies.
hold_copy_after() {
    local after=$1 pid=$2 copied
    for _ in $(seq 1 600); do
        copied=$(copied_rows)
        if [ -n "$copied" ] && [ "$copied" -gt "$after" ]; then
            send_command throttle >/dev/null
            return 0
        fi
        if ! kill -0 "$pid" 2>/dev/null; then
            echo "ERROR ghost exited before it copied more than $after rows"
            print_log_excerpt
            return 1
        fi
        sleep 0.1
    done
    echo "ERROR the copy did not pass $after rows within 60 s"
    print_log_excerpt
    return 1
}

# Stops the run in the background with `panic` (which keeps ghost's tables), or kill -9 when it does not answer.
interrupt() {
    local pid=$1
    send_panic
    for _ in $(seq 1 60); do
        kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null; return 0; }
        sleep 0.5
    done
    echo "runner note: no exit 30 s after panic; killing $pid"
    kill -9 "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
}

# Waits until the log holds `count` checkpoints written while rows were still being copied.
await_checkpoints() {
    local count=$1 pid=$2
    for _ in $(seq 1 240); do
        if grep -q "Row copy complete" "$test_logfile"; then
            echo "ERROR the copy completed before checkpoint $count was written; slow it down (--nice-ratio)"
            return 1
        fi
        if [ "$(grep -c 'checkpoint success at coords=' "$test_logfile")" -ge "$count" ]; then
            return 0
        fi
        if ! kill -0 "$pid" 2>/dev/null; then
            echo "ERROR ghost exited before checkpoint $count"
            print_log_excerpt
            return 1
        fi
        sleep 0.5
    done
    echo "ERROR no checkpoint $count within 120 s"
    print_log_excerpt
    return 1
}

require_tables() {
    local t
    for t in _gh_ost_test_gho _gh_ost_test_ghc _gh_ost_test_ghk; do
        if [ -z "$(gh-ost-test-mysql-replica test -ss -e "show tables like '$t'")" ]; then
            echo "ERROR table $t is missing after the interruption"
            return 1
        fi
    done
}

build_ghost_command
: >"$test_logfile"

# 1. Interrupted mid-copy: held with `throttle` once rows are copied, stopped after its first checkpoint.
bash -c "$cmd --nice-ratio=25" >>"$test_logfile" 2>&1 &
pid=$!
hold_copy_after 200 "$pid" || { interrupt "$pid"; return 1; }
await_checkpoints 1 "$pid" || { interrupt "$pid"; return 1; }
interrupt "$pid"
require_tables || return 1

# 2. Resumed, held once it has copied rows of its own, and interrupted again after a checkpoint of its own.
bash -c "$cmd --nice-ratio=25 --resume" >>"$test_logfile" 2>&1 &
pid=$!
resumed_at=""
for _ in $(seq 1 300); do
    grep -q 'Resuming from checkpoint' "$test_logfile" && resumed_at=$(copied_rows)
    [ -n "$resumed_at" ] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
done
if [ -z "$resumed_at" ]; then
    echo "ERROR the second run did not resume (or its socket did not answer)"
    print_log_excerpt
    interrupt "$pid"
    return 1
fi
hold_copy_after "$((resumed_at + 200))" "$pid" || { interrupt "$pid"; return 1; }
await_checkpoints 2 "$pid" || { interrupt "$pid"; return 1; }
interrupt "$pid"
require_tables || return 1

# 3. Resumed to the end, at full speed.
bash -c "$cmd --resume" >>"$test_logfile" 2>&1
execution_result=$?
if [ $execution_result -ne 0 ]; then
    echo "ERROR the last resume failed (exit $execution_result)"
    print_log_excerpt
    return 1
fi
if [ "$(grep -c 'Resuming from checkpoint' "$test_logfile")" -ne 2 ]; then
    echo "ERROR expected two runs resuming from a checkpoint"
    print_log_excerpt
    return 1
fi

# 4. The original and the ghost table hold the same rows (the runner stopped replication at the cut-over).
gh-ost-test-mysql-replica --default-character-set=utf8mb4 test -ss \
    -e "select * from gh_ost_test order by id" >"$orig_content_output_file"
gh-ost-test-mysql-replica --default-character-set=utf8mb4 test -ss \
    -e "select * from _gh_ost_test_gho order by id" >"$ghost_content_output_file"
if ! cmp -s "$orig_content_output_file" "$ghost_content_output_file"; then
    echo "ERROR the tables differ after two resumes"
    diff "$orig_content_output_file" "$ghost_content_output_file" | head -40
    return 1
fi
if [ "$(wc -l <"$orig_content_output_file")" -lt 8000 ]; then
    echo "ERROR only $(wc -l <"$orig_content_output_file") rows compared"
    return 1
fi
return 0
