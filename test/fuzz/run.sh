#!/bin/sh
# Runs libFuzzer targets: test/fuzz/run.sh SECONDS JOBS TARGET...  Each target replays its
# committed seeds (test/fuzz/corpus/TARGET, read-only) and what earlier runs found
# (build/fuzz/corpus/TARGET), then fuzzes for SECONDS under nice -n 19, JOBS targets at a time.
# Logs and any crashing input go to build/fuzz/log and build/fuzz/artifacts; a summary line
# per target (seconds, executions, corpus, crashes) ends the output. Non-zero if one failed.
# Checklist (test/SECURITY.md): SEC-85 fuzzing of every parser of untrusted input.
set -eu
seconds=$1
jobs=$2
shift 2
mkdir -p build/fuzz/log build/fuzz/artifacts

run_one() {
    t=$1
    mkdir -p "build/fuzz/corpus/$t" "test/fuzz/corpus/$t"
    dict=""
    [ -f "test/fuzz/$t.dict" ] && dict="-dict=test/fuzz/$t.dict"
    start=$(date +%s)
    set +e
    # shellcheck disable=SC2086
    nice -n 19 "./build/fuzz/$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
        -max_len=4096 -print_final_stats=1 -artifact_prefix="build/fuzz/artifacts/$t-" $dict \
        "build/fuzz/corpus/$t" "test/fuzz/corpus/$t" >"build/fuzz/log/$t.log" 2>&1
    rc=$?
    set -e
    end=$(date +%s)
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "build/fuzz/log/$t.log" | tail -1)
    units=$(ls "build/fuzz/corpus/$t" | wc -l)
    if [ "$rc" = 0 ]; then status="0 crashes"; else status="FAILED (rc $rc, see build/fuzz/log/$t.log)"; fi
    printf 'fuzz %-20s %5ss  %12s execs  %6s units in build/fuzz/corpus  %s\n' "$t" "$((end - start))" \
        "${execs:-?}" "$units" "$status" | tee "build/fuzz/log/$t.summary"
    [ "$rc" = 0 ]
}

failed=0
running=0
pids=""
for t in "$@"; do
    run_one "$t" &
    pids="$pids $!"
    running=$((running + 1))
    if [ "$running" -ge "$jobs" ]; then
        for pid in $pids; do wait "$pid" || failed=1; done
        pids=""
        running=0
    fi
done
for pid in $pids; do wait "$pid" || failed=1; done
echo "fuzz: $# targets, ${seconds}s each: $([ $failed = 0 ] && echo 'all passed' || echo 'FAILURES')"
exit $failed
