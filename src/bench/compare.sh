#!/usr/bin/env bash
# src/bench/compare.sh - listgate against Postfix on this machine, in the same run, interleaved.
#
#   src/bench/compare.sh [--runs N] [--scenarios fanout10k,accept16,idle1000,fanout100k]
#                        [--no-postfix] [--postfix-100k] [--messages N] [--work DIR]
#                        [--ports LISTGATE,POSTFIX] [--cold]             (as root, for Postfix)
#
# Sets up both servers on 127.0.0.1 with the same users (1u..Nu, u, bounce, postmaster) and the
# same lists (all@: 10,000 members, everyone@: 100,000, one in ten of each not a user), Maildirs
# made beforehand for both; Postfix as a private instance under the work folder
# (src/bench/postfix/setup.sh), listgate with the README's run command and a configuration
# written here. Then, for each scenario and each client (Postfix's smtp-source, listgate load),
# RUNS times: listgate, Postfix, listgate, Postfix... Each run starts from empty Maildirs and an
# empty queue, with listgate freshly started; the PSS and RSS of the server's whole process tree
# are sampled every 0.2 s. At the end, a table: median [min-max] for each server and the ratio
# listgate/Postfix of each interleaved pair. README: "Comparing with Postfix".
#
# Warm-up: before each measured run, each server is sent the same small load (one message to
# warm@, 2,000 members, and 40 one-recipient messages on 4 sessions), its copies are removed and
# the disk synced; only then does the measurement start. So a run measures a server that has been
# up a while, as one on port 25 is: for listgate, a JVM past loading its classes and compiling its
# hot code (about a third of a fresh process's first 10,000-member fan-out); Postfix's processes
# are already running between its runs. --cold leaves the warm-up out: each listgate run is then
# the first mail of a fresh process.
#
# Scenarios (5 KB messages, sender bounce@example.test, which also gets the reports):
#   fanout10k   one message to all@ (10,000 members, 9,000 valid): final dot -> 250, files/s
#   fanout100k  one message to everyone@ (100,000 members, 90,000 valid): the same, with listgate
#               load only, and listgate only unless --postfix-100k
#   accept16    --messages (2,000) messages of one recipient (1u, 2u, ...), 16 sessions:
#               accepted/s and delivered/s end to end
#   idle1000    1,000 idle connections, opened one by one, each waiting for its banner, then 200
#               messages on one more: is it served promptly, and what do the idle ones cost
set -euo pipefail

runs=3
scenarios=fanout10k,accept16,idle1000,fanout100k
postfix_wanted=1
postfix_100k=0
messages=2000
warm=1
work=/var/tmp/listgate-compare
lg_port=12525
pf_port=12526

usage() { sed -n '3,6p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
die() { echo "compare.sh: $*" >&2; exit 2; }

while [[ $# -gt 0 ]]; do
    case $1 in
        --runs) runs=${2:?}; shift 2 ;;
        --scenarios) scenarios=${2:?}; shift 2 ;;
        --no-postfix) postfix_wanted=0; shift ;;
        --postfix-100k) postfix_100k=1; shift ;;
        --messages) messages=${2:?}; shift 2 ;;
        --work) work=${2:?}; shift 2 ;;
        --ports) lg_port=${2%,*}; pf_port=${2#*,}; shift 2 ;;
        --cold) warm=0; shift ;;
        -h|--help) usage ;;
        *) echo "compare.sh: unknown option $1" >&2; usage ;;
    esac
done
[[ $runs =~ ^[1-9][0-9]*$ ]] || die "--runs must be a positive number, not '$runs'"
[[ $messages =~ ^[1-9][0-9]*$ && $messages -le 10000 ]] || die "--messages must be 1 to 10000"
[[ $lg_port =~ ^[0-9]+$ && $pf_port =~ ^[0-9]+$ && $lg_port != "$pf_port" ]] \
    || die "--ports must be two different port numbers, LISTGATE,POSTFIX"
IFS=, read -r -a scenario_list <<< "$scenarios"
for s in "${scenario_list[@]}"; do
    case $s in fanout10k|fanout100k|accept16|idle1000) ;; *) die "unknown scenario '$s'" ;; esac
done

repo=$(cd "$(dirname "$0")/../.." && pwd)
bench=$repo/src/bench
py=(python3 "$bench/compare.py")
command -v python3 >/dev/null || die "python3 is needed"
command -v java >/dev/null || die "java is needed"

postfix=0
if [[ $postfix_wanted -eq 1 ]]; then
    if ! command -v postfix >/dev/null || ! command -v smtp-source >/dev/null; then
        echo "compare.sh: Postfix is not installed: listgate's figures alone" >&2
    elif [[ $(id -u) -ne 0 ]]; then
        die "Postfix needs root: run as root, or with --no-postfix"
    else
        postfix=1
    fi
fi

mkdir -p "$work"
exec 9> "$work/.lock"
flock -n 9 || die "another compare.sh is using $work (--work DIR for another folder)"
for port in "$lg_port" "$pf_port"; do
    if (exec 3<> "/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
        die "port $port is in use on 127.0.0.1 (--ports LISTGATE,POSTFIX for others)"
    fi
done

# ---- the jar, and the command the README runs it with --------------------------------------
jar=$repo/target/listgate.jar
if [[ ! -f $jar ]] || [[ -n $(find "$repo/src/main" "$repo/pom.xml" -newer "$jar" -type f -print -quit) ]]; then
    echo "building $jar"
    (cd "$repo" && { mvn -B -q -o -DskipTests package || mvn -B -q -DskipTests package; })
fi
# The process measured is the one README.md's run command starts, JVM options and all: they are
# read from its first line "... java [OPTIONS] -jar target/listgate.jar serve ...", so a change
# there is what the next comparison measures. Options are split at blanks (no quoting).
run_line=$(grep -m1 -E '(^|[[:space:]])java[[:space:]].*-jar[[:space:]]+target/listgate\.jar[[:space:]]+serve' \
    "$repo/README.md") || die "README.md has no run command (java ... -jar target/listgate.jar serve ...)"
jvm_options=$(sed -E 's/.*(^|[[:space:]])java[[:space:]]+(.*)-jar[[:space:]]+target\/listgate\.jar[[:space:]]+serve.*/\2/' \
    <<< "$run_line")
read -r -a jvm_opts <<< "$jvm_options"
serve=(java "${jvm_opts[@]}" -jar target/listgate.jar serve)
load=(java -jar "$jar" load --no-progress --json --from bounce@example.test)

# ---- the directory: one set of users and lists for both servers ------------------------------
# The same users in every comparison; only how many Maildirs are made beforehand depends on the
# scenarios (100,000 take a minute or two to make for each server, once).
users=100000
maildirs=10003 pf_maildirs=10003
for s in "${scenario_list[@]}"; do
    if [[ $s == fanout100k ]]; then
        maildirs=100003
        [[ $postfix_100k -eq 1 ]] && pf_maildirs=100003
    fi
done
dir=$work/directory
mkdir -p "$dir"
if [[ ! -f $dir/users || $(wc -l < "$dir/users") -ne $((users + 3)) ]] \
    || ! grep -q '^warm: .*2000u@' "$dir/lists" 2>/dev/null; then
    echo "writing the directory: $users users, lists all@ (10,000), everyone@ (100,000), warm@ (2,000)"
    { printf '%s\n' bounce@example.test postmaster@example.test u@example.test
      seq 1 "$users" | sed 's/$/u@example.test/'; } > "$dir/users"
    list() {  # list NAME N: members 1..N, every tenth <n>x (no such user)
        awk -v name="$1" -v n="$2" 'BEGIN { printf "%s: ", name
            for (i = 1; i <= n; i++) printf "%s%d%s@example.test", (i > 1 ? ", " : ""), i, (i % 10 ? "u" : "x")
            print "" }'
    }
    { list all 10000; list everyone 100000
      seq 1 2000 | sed 's/$/u@example.test/' | paste -sd, - | sed 's/,/, /g; s/^/warm: /'; } > "$dir/lists"
fi

lg=$work/listgate
mkdir -p "$lg/mail/example.test"
cat > "$lg/listgate.properties" <<PROPS
# Written by src/bench/compare.sh: listgate's defaults but for the paths and these lines.
smtp.bind = 127.0.0.1
smtp.port = $lg_port
smtp.hostname = mx.example.test
domains = example.test
directory.users = $dir/users
directory.lists = $dir/lists
spool.dir = $lg/spool
maildir.root = $lg/mail
events.file = $lg/events.jsonl
# As Postfix's smtpd here (1100 processes, loopback exempt from per-client limits): 1,000 idle
# connections and a client must all be served.
smtp.maxConnections = 1100
smtp.maxConnectionsPerClient = 1100
PROPS
echo "making Maildirs: the first $maildirs users (kept between runs)"
awk -v b="$lg/mail/example.test" -v n="$maildirs" 'NR <= n { split($1, a, "@"); m = b "/" a[1]
        print m "/tmp"; print m "/new"; print m "/cur" }' "$dir/users" | xargs -r -n 3000 mkdir -p
pf=$work/postfix
if [[ $postfix -eq 1 ]]; then
    postfix -c "$pf/etc" stop >/dev/null 2>&1 || true
    bash "$bench/postfix/setup.sh" "$pf" "$pf_port" "$dir/users" "$dir/lists" "$pf_maildirs"
fi

# ---- processes, and cleaning up after them ---------------------------------------------------
lg_pid=
sampler=
pf_running=0
cleanup() {  # every step may fail (set -e is still on): none may stop the others
    if [[ -n $sampler ]]; then kill "$sampler" 2>/dev/null || true; fi
    if [[ -n $lg_pid ]]; then
        kill "$lg_pid" 2>/dev/null || true
        wait "$lg_pid" 2>/dev/null || true
    fi
    if [[ $pf_running -eq 1 ]]; then postfix -c "$pf/etc" stop >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT
trap 'echo "compare.sh: interrupted" >&2; exit 130' INT TERM

start_listgate() {
    rm -rf "$lg/spool" "$lg/events.jsonl"
    (cd "$repo" && exec "${serve[@]}" --config "$lg/listgate.properties" > "$lg/serve.out" 2>&1) &
    lg_pid=$!
    "${py[@]}" ready "$lg_port" 120 || { tail -5 "$lg/serve.out" >&2; die "listgate did not start"; }
}

stop_listgate() {
    kill "$lg_pid" 2>/dev/null || true
    for _ in $(seq 300); do kill -0 "$lg_pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$lg_pid" 2>/dev/null || true
    wait "$lg_pid" 2>/dev/null || true
    lg_pid=
}

pf_queue() { find "$pf/spool/"{maildrop,incoming,active,deferred,hold} -type f 2>/dev/null | wc -l; }

start_postfix() {
    pf_running=1  # before the start: an interrupt during it must still stop it
    postfix -c "$pf/etc" start >/dev/null
    "${py[@]}" ready "$pf_port" 60 || die "Postfix did not start (see $pf/postfix.log)"
}

# Empty Maildirs and queue, writes on disk, before every run.
clean() {
    local server=$1
    if [[ $server == postfix ]]; then
        for _ in $(seq 600); do [[ $(pf_queue) -eq 0 ]] && break; sleep 0.5; done
        [[ $(pf_queue) -eq 0 ]] || postsuper -c "$pf/etc" -d ALL >/dev/null 2>&1 || true
        find "$pf/mail/example.test" -mindepth 3 -maxdepth 3 -type f -delete
        : > "$pf/postfix.log"
    else
        find "$lg/mail/example.test" -mindepth 3 -maxdepth 3 -type f -delete
    fi
    sync
    sleep 1
}

# The warm-up (see the top): the same for both servers, its copies removed before the run.
warm_up() {
    local server=$1 port=$2 mail=$3 out=$4
    [[ $warm -eq 1 ]] || return 0
    "${load[@]}" --port "$port" --maildir "$mail" --timeout 60s --reply-timeout 60s \
        --messages 1 --list warm@example.test --expect 2000 > "$out.warmup" 2>&1 || true
    "${load[@]}" --port "$port" --maildir "$mail" --timeout 60s --reply-timeout 60s \
        --connections 4 --messages 40 --recipients 1 --to-pattern '%du@example.test' --users 100 \
        >> "$out.warmup" 2>&1 || true
    if [[ $server == postfix ]]; then
        for _ in $(seq 600); do [[ $(pf_queue) -eq 0 ]] && break; sleep 0.1; done
    fi
    # Every file in the Maildirs is the warm-up's: they were emptied before it.
    find "$mail/example.test" -mindepth 3 -maxdepth 3 -type f -delete
    sync
    sleep 1
}

# ---- one run -----------------------------------------------------------------------------------
stamp=$(date +%Y%m%d-%H%M%S)
results=$work/results/$stamp
mkdir -p "$results"
tsv=$results/runs.tsv
{
    echo "date: $(date -u +%FT%TZ)  host: $(uname -n)  kernel: $(uname -r)  cpus: $(nproc)"
    echo "listgate: $(cd "$repo" && git describe --always --dirty 2>/dev/null || echo unknown)"
    echo "run command: ${serve[*]} --config $lg/listgate.properties"
    [[ $postfix -eq 1 ]] && echo "postfix: $(postconf -c "$pf/etc" -h mail_version) on 127.0.0.1:$pf_port"
    echo "runs: $runs  scenarios: $scenarios  messages: $messages  warm-up: $([[ $warm -eq 1 ]] && echo yes || echo "no (--cold)")"
} | tee "$results/env.txt"

# run SERVER SCENARIO CLIENT RUN
run() {
    local server=$1 scenario=$2 client=$3 r=$4 port mail root_pid
    clean "$server"
    if [[ $server == listgate ]]; then
        start_listgate
        port=$lg_port mail=$lg/mail root_pid=$lg_pid
    else
        port=$pf_port mail=$pf/mail root_pid=$(tr -d ' ' < "$pf/spool/pid/master.pid")
    fi
    local out=$results/$scenario-$client-$server-$r
    warm_up "$server" "$port" "$mail" "$out"
    "${py[@]}" sample "$root_pid" "$out.mem.json" &
    sampler=$!
    for _ in $(seq 100); do [[ -f $out.mem.json.ready ]] && break; sleep 0.1; done
    local expect=0 timeout=300
    case $scenario in
        fanout10k) expect=9001 ;;
        fanout100k) expect=90001 timeout=900 ;;
        accept16) expect=$messages ;;
    esac
    if [[ $client == load ]]; then
        # A reply may be slow (Postfix expands a list before its 250), a banner may not.
        local args=(--port "$port" --maildir "$mail" --timeout "${timeout}s" --reply-timeout "${timeout}s")
        case $scenario in
            fanout10k) args+=(--messages 1 --list all@example.test --expect "$expect") ;;
            fanout100k) args+=(--messages 1 --list everyone@example.test --expect "$expect") ;;
            accept16) args+=(--connections 16 --messages "$messages" --recipients 1
                             --to-pattern '%du@example.test' --users 10000) ;;
            idle1000) args=(--port "$port" --maildir "$mail" --timeout "${timeout}s" --reply-timeout 10s
                            --idle 1000 --messages 200 --recipients 1
                            --to-pattern '%du@example.test' --users 10000) ;;
        esac
        "${load[@]}" "${args[@]}" > "$out.client" 2>&1 || true
        kill "$sampler"; wait "$sampler" 2>/dev/null || true; sampler=
        "${py[@]}" row "$tsv" "$scenario" load "$server" "$r" "$out.client" "$out.mem.json"
    else
        local args=(-l 5120 -f bounce@example.test -M load.example.test) count=1 t0 t1 rc=0
        case $scenario in
            fanout10k) args+=(-s 1 -m 1 -t all@example.test) ;;
            fanout100k) args+=(-s 1 -m 1 -t everyone@example.test) ;;
            accept16) args+=(-s 16 -m "$messages" -N -t u@example.test); count=$messages ;;
        esac
        t0=$(date +%s.%N)
        smtp-source "${args[@]}" "127.0.0.1:$port" > "$out.client" 2>&1 || rc=$?
        t1=$(date +%s.%N)
        [[ $rc -eq 0 ]] || echo "smtp-source exit $rc" >> "$out.client"
        "${py[@]}" wait "$mail" "$expect" "$timeout" "$t0" "$out.wait.json" || true
        kill "$sampler"; wait "$sampler" 2>/dev/null || true; sampler=
        "${py[@]}" row "$tsv" "$scenario" smtp-source "$server" "$r" "$out.client" "$out.mem.json" \
            "$out.wait.json" "$t0" "$t1" "$count"
    fi
    if [[ $server == listgate ]]; then
        stop_listgate
        cp "$lg/serve.out" "$out.serve.out"
    fi
}

[[ $postfix -eq 1 ]] && start_postfix
for scenario in "${scenario_list[@]}"; do
    clients=(load smtp-source)
    # smtp-source cannot hold idle connections; for 100,000 members one client is enough (each
    # run takes minutes), and the load's final-dot latency is what is wanted there.
    [[ $scenario == idle1000 || $scenario == fanout100k ]] && clients=(load)
    for client in "${clients[@]}"; do
        [[ $client == smtp-source ]] && ! command -v smtp-source >/dev/null && continue
        echo "== $scenario, client $client"
        for r in $(seq "$runs"); do
            run listgate "$scenario" "$client" "$r"
            if [[ $postfix -eq 1 && ( $scenario != fanout100k || $postfix_100k -eq 1 ) ]]; then
                run postfix "$scenario" "$client" "$r"
            fi
        done
    done
done

echo
"${py[@]}" table "$tsv" | tee "$results/table.txt"
echo
echo "raw data: $results (runs.tsv, table.txt, env.txt, per run: client output, memory samples)"
