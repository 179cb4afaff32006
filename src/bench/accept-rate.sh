#!/usr/bin/env bash
# Accepted messages per second with spool.groupCommit on and off: A/B/A/B runs, each on a fresh
# site (empty spool, one user), `listgate load` with C persistent connections (EHLO once, then
# MAIL/RCPT/DATA as fast as the 250s come back, no pipelining) sending M messages to u1.
#
# What is measured: the SMTP acceptance path end to end over loopback — each 250 comes after the
# message is written to tmp/, forced, renamed into queue/ and queue/ forced (group commit shares
# the rename and the directory force among concurrent acceptances). Delivery is NOT switched off:
# the one recipient is local, so the queue manager writes (and fsyncs) a Maildir file and journal
# records for every message while the load runs, on the same disk and CPUs, in both variants.
# That is the honest steady state of a gateway, not the bare spool; the figures depend heavily on
# the disk's fsync latency and on what else runs on the machine. For listgate against Postfix,
# see src/bench/compare.sh.
#
# Usage: src/bench/accept-rate.sh [messages] [connections] [size]   (from the repository root)
#        PAIRS=2 (A/B pairs), THREADS=8 (delivery.threads)
set -euo pipefail
messages=${1:-4000}; clients=${2:-16}; size=${3:-4096}; pairs=${PAIRS:-2}
repo=$(pwd)
jar=$repo/target/listgate.jar
if [[ ! -f $jar ]] || [[ -n $(find "$repo/src/main" -newer "$jar" -name '*.java' -print -quit) ]]; then
    mvn -q -o -DskipTests package
fi

work=$(mktemp -d)
pid=
trap '[[ -n $pid ]] && kill -9 $pid 2>/dev/null; rm -rf "$work"' EXIT

# run GROUP_COMMIT: one fresh site, one server, one load run; prints the load's JSON report.
# (Called in this shell, not in \$(...), so that the EXIT trap knows the server's pid.)
run() {
    local site=$work/site-$1-$RANDOM
    mkdir -p "$site"
    printf 'alice@example.test\nu1@example.test\n' > "$site/users"
    : > "$site/lists"
    cat > "$site/listgate.properties" <<PROPS
smtp.bind = 127.0.0.1
smtp.hostname = bench.example.test
domains = example.test
directory.users = $site/users
directory.lists = $site/lists
spool.dir = $site/spool
maildir.root = $site/mail
events.file = $site/events.jsonl
delivery.threads = ${THREADS:-8}
spool.groupCommit = $1
PROPS
    java -jar "$jar" serve --config "$site/listgate.properties" --port 0 > "$site/serve.out" 2>&1 &
    pid=$!
    local port=
    for _ in $(seq 300); do
        port=$(grep -o '"id":1000,.*"port":[0-9]*' "$site/events.jsonl" 2>/dev/null | grep -o '[0-9]*$' || true)
        [[ -n $port ]] && break
        sleep 0.1
    done
    [[ -n $port ]] || { echo "listgate did not start:" >&2; cat "$site/serve.out" >&2; exit 1; }
    java -jar "$jar" load --port "$port" --connections "$clients" --messages "$messages" \
        --size "$size" --to-pattern 'u%d@example.test' --users 1 --from alice@example.test \
        --no-progress --json || true
    # The spool is thrown away: no need to wait for the backlog to be delivered.
    kill -9 $pid 2>/dev/null || true
    wait $pid 2>/dev/null || true
    pid=
    rm -rf "$site"
}

line() {  # line REPORT: the figures of one run
    python3 - "$1" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
errors = sum(e["count"] for e in r["errors"])
print(f"accepted {r['accepted']} in {r['seconds']} s: {r['acceptedPerSecond']}/s"
      f"  p50 {r['latencyMillis']['p50']} ms  p99 {r['latencyMillis']['p99']} ms  errors {errors}")
PY
}
rate() { python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["acceptedPerSecond"])' "$1"; }

declare -a on off
for _ in $(seq "$pairs"); do
    run true > "$work/report";  echo "groupCommit=true  $(line "$work/report")"; on+=("$(rate "$work/report")")
    run false > "$work/report"; echo "groupCommit=false $(line "$work/report")"; off+=("$(rate "$work/report")")
done
python3 - "${on[*]}" "${off[*]}" <<'PY'
import sys
on = [float(x) for x in sys.argv[1].split()]; off = [float(x) for x in sys.argv[2].split()]
a, b = sum(on) / len(on), sum(off) / len(off)
print(f"mean rate: groupCommit=true {a:.1f}/s  groupCommit=false {b:.1f}/s  ratio on/off {a / b:.2f}")
PY
