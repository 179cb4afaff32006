#!/usr/bin/env bash
# Accepted messages per second with spool.groupCommit on and off: A/B/A/B runs, each on a fresh
# site (empty spool, one user), 16 persistent client connections (AcceptLoad: EHLO once, then
# MAIL/RCPT/DATA/RSET as fast as the 250s come back, no pipelining) for S seconds.
#
# What is measured: the SMTP acceptance path end to end over loopback — each 250 comes after the
# message is written to tmp/, forced, renamed into queue/ and queue/ forced (group commit shares
# the rename and the directory force among concurrent acceptances). Delivery is NOT switched off:
# the one recipient is local, so the queue manager writes (and fsyncs) a Maildir file and journal
# records for every message while the load runs, on the same disk and CPUs, in both variants.
# That is the honest steady state of a gateway, not the bare spool; the figures depend heavily on
# the disk's fsync latency and on what else runs on the machine.
#
# Usage: src/bench/accept-rate.sh [seconds] [clients] [size]     (from the repository root)
#        PAIRS=2 (A/B pairs), THREADS=8 (delivery.threads)
set -euo pipefail
seconds=${1:-15}; clients=${2:-16}; size=${3:-4096}; pairs=${PAIRS:-2}
repo=$(pwd)
jar=$repo/target/listgate.jar
load_class=$repo/target/test-classes/org/listgate/bench/AcceptLoad.class
if [[ ! -f $jar || ! -f $load_class ]] || [[ -n $(find "$repo/src" -newer "$jar" -name '*.java' -print -quit) ]]; then
    mvn -q -o -DskipTests package   # compiles the tests too (AcceptLoad)
fi

work=$(mktemp -d)
pid=
trap '[[ -n $pid ]] && kill -9 $pid 2>/dev/null; rm -rf "$work"' EXIT

# run GROUP_COMMIT: one fresh site, one server, one load run; prints AcceptLoad's line.
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
    java -cp "$repo/target/test-classes" org.listgate.bench.AcceptLoad --host 127.0.0.1 --port "$port" \
        --clients "$clients" --seconds "$seconds" --size "$size" --to u1@example.test
    # The spool is thrown away: no need to wait for the backlog to be delivered.
    kill -9 $pid 2>/dev/null || true
    wait $pid 2>/dev/null || true
    pid=
    rm -rf "$site"
}

rate() { grep -o 'rate=[0-9.]*' "$1" | cut -d= -f2; }

declare -a on off
for i in $(seq "$pairs"); do
    run true > "$work/line";  echo "groupCommit=true  $(cat "$work/line")"; on+=("$(rate "$work/line")")
    run false > "$work/line"; echo "groupCommit=false $(cat "$work/line")"; off+=("$(rate "$work/line")")
done
python3 - "${on[*]}" "${off[*]}" <<'PY'
import sys
on = [float(x) for x in sys.argv[1].split()]; off = [float(x) for x in sys.argv[2].split()]
a, b = sum(on) / len(on), sum(off) / len(off)
print(f"mean rate: groupCommit=true {a:.1f}/s  groupCommit=false {b:.1f}/s  ratio on/off {a / b:.2f}")
PY
