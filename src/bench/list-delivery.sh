#!/usr/bin/env bash
# Measures, for a list of N members (one in ten invalid), the time from the first MAIL to the last
# Maildir file (`listgate load --list ... --maildir`), the final dot -> 250 latency, and the gateway
# JVM's peak RSS (VmHWM). Loopback only. For listgate against Postfix on the 10,000 and 100,000
# member lists, with memory sampled over the run, see src/bench/compare.sh.
# Usage: src/bench/list-delivery.sh N [port]     (run from the repository, after mvn package)
set -euo pipefail
n=${1:-1000}; port=${2:-2599}
jar=$(pwd)/target/listgate.jar
work=$(mktemp -d)
cd "$work"
awk -v n="$n" 'BEGIN {
    print "alice@example.test" > "users"
    printf "staff: " > "lists"
    valid = 0
    for (i = 1; i <= n; i++) {
        if (i % 10 == 0) { m = "ghost" i "@example.test" } else { m = "u" i "@example.test"; print m > "users"; valid++ }
        printf "%s%s", (i > 1 ? ",\n  " : ""), m > "lists"
    }
    print "" > "lists"
    print valid > "expected"
}'
cat > listgate.properties <<PROPS
smtp.bind=127.0.0.1
smtp.hostname=bench.example.test
domains=example.test
directory.users=users
directory.lists=lists
limits.maxExpansion=1000000
delivery.threads=${THREADS:-8}
PROPS
java -jar "$jar" serve --config listgate.properties --port "$port" > serve.out 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 100); do grep -q '"id":1000' data/events.jsonl 2>/dev/null && break; sleep 0.1; done
expected=$(cat expected)
java -jar "$jar" load --port "$port" --list staff@example.test --messages 1 --from alice@example.test \
    --maildir data/mail --expect "$expected" --timeout 15m --no-progress --json > report.json || true
hwm=$(awk '/^VmHWM/ { print $2 }' "/proc/$pid/status")
python3 - "$n" "$hwm" report.json <<'PY'
import json, sys
r = json.load(open(sys.argv[3]))
d = r["deliveries"]
print(f"members={sys.argv[1]} delivered={d['delivered']} of {d['expected']}"
      f" final_dot_ms={r['latencyMillis']['p50']} seconds_first_mail_to_last_file={d['seconds']}"
      f" files_per_s={d['perSecond']} peak_rss_MiB={int(sys.argv[2]) // 1024}")
PY
