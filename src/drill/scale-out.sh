#!/usr/bin/env bash
# The scale-out drill: two listgate gateways, two OpenLDAP servers replicating in mirror mode and
# one Dovecot mailbox server (LMTP in, IMAP out), each in a network namespace of its own on one
# bridge, and a client namespace that sends Pegasus-style list mail to both gateways as MX hosts.
# Under that steady load it kills a gateway (SIGKILL), stops a directory server, changes the list
# on the one that is left, and brings everything back; then it accounts for every message: which
# gateway accepted it, whether every member got it once, twice or not at all. Lost must be 0.
# Last, it measures the throughput of two gateways against one under the same load.
#
# Run as root from the top of the repository, after `mvn -q -DskipTests package`:
#
#   src/drill/scale-out.sh [--rate N] [--seconds S] [--throughput-messages M]
#                          [--throughput-rounds R] [--report FILE] [--keep]
#
# The load is N messages a second (10) for S seconds (60), each to a list of 21 members; the
# throughput is measured R times (2) each way, one gateway and two alternating, M messages (400)
# as fast as they go.
#
# It needs ip (iproute2), slapd, ldap-utils, dovecot-lmtpd, dovecot-imapd, python3 and Java 17.
# Everything it makes (namespaces, veth pairs, a bridge, addresses 10.77.0.0/24 inside them, the
# processes, a folder under /tmp) it removes at the end, however it ends; --keep leaves the folder.
# --report FILE: the accounting as JSON (drill.json) is copied there.
#
# Exit 0: nothing lost, every RCPT of the list answered without a 5xx, both gateways used the list
# change, both queues drained. 1: one of those failed (the table says which). 2: it could not run.

set -euo pipefail

RATE=10
SECONDS_OF_LOAD=60
THROUGHPUT_MESSAGES=400
THROUGHPUT_ROUNDS=2
KEEP=0
REPORT=""
while [[ $# -gt 0 ]]; do
    case "$1" in
        --rate) RATE="$2"; shift 2 ;;
        --seconds) SECONDS_OF_LOAD="$2"; shift 2 ;;
        --throughput-messages) THROUGHPUT_MESSAGES="$2"; shift 2 ;;
        --throughput-rounds) THROUGHPUT_ROUNDS="$2"; shift 2 ;;
        --keep) KEEP=1; shift ;;
        --report) REPORT="$2"; shift 2 ;;
        -h|--help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "scale-out.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
done

fail() { echo "scale-out.sh: $*" >&2; exit 2; }
[[ $(id -u) -eq 0 ]] || fail "run as root: it creates network namespaces"
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
JAR="$TOP/target/listgate.jar"
[[ -f "$JAR" ]] || fail "no $JAR: run mvn -q -DskipTests package first"
for tool in ip slapd slapadd ldapmodify ldapsearch dovecot python3 java; do
    command -v "$tool" >/dev/null || [[ -x /usr/sbin/$tool ]] || fail "$tool is not installed"
done
export PATH="$PATH:/usr/sbin"
[[ -x /usr/lib/dovecot/lmtp ]] || fail "dovecot-lmtpd is not installed"

# The gateways run as the README's run command runs listgate.
JAVA_FLAGS=(-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xms16m -Xmx256m -Xmn8m
    -XX:MinHeapFreeRatio=20 -XX:MaxHeapFreeRatio=25 -XX:-ShrinkHeapInSteps
    -XX:+ExitOnOutOfMemoryError)

TAG="ld$(( $$ % 100000 ))"
WORK=$(mktemp -d /tmp/listgate-drill.XXXXXX)
chmod 755 "$WORK"
NET="$TAG-net"
declare -A ADDRESS=([client]=10.77.0.10 [gw1]=10.77.0.11 [gw2]=10.77.0.12
    [ldap1]=10.77.0.21 [ldap2]=10.77.0.22 [mbox]=10.77.0.30)
NODES=(client gw1 gw2 ldap1 ldap2 mbox)
declare -A PID=()

say() { printf '%s  %s\n' "$(date -u +%H:%M:%S)" "$*"; }
in_ns() { local node="$1"; shift; ip netns exec "$TAG-$node" "$@"; }
# Starts a server in a node's namespace, in the background, its output appended to a file. ip
# netns exec execs the command, so PID[name] is the server's own pid: what is killed is the server.
spawn() {
    local name="$1" node="$2" log="$3"
    shift 3
    ip netns exec "$TAG-$node" "$@" >>"$log" 2>&1 &
    PID[$name]=$!
}
now_ms() { date +%s%3N; }

cleanup() {
    local status=$?
    for node in "${!PID[@]}"; do
        kill -9 "${PID[$node]}" 2>/dev/null || true
    done
    wait 2>/dev/null || true
    for node in "${NODES[@]}"; do
        ip netns pids "$TAG-$node" 2>/dev/null | xargs -r kill -9 2>/dev/null || true
        ip netns delete "$TAG-$node" 2>/dev/null || true
    done
    ip netns delete "$NET" 2>/dev/null || true
    if [[ $KEEP -eq 1 ]]; then
        echo "scale-out.sh: kept $WORK"
    else
        rm -rf "$WORK"
    fi
    exit $status
}
trap cleanup EXIT
trap 'exit 2' INT TERM

# ---- the network: one bridge in a namespace of its own, a veth pair to each node ---------------
say "network: namespaces $TAG-*, bridge in $NET, 10.77.0.0/24"
ip netns add "$NET"
ip -n "$NET" link set lo up
ip -n "$NET" link add br0 type bridge
ip -n "$NET" link set br0 up
for node in "${NODES[@]}"; do
    ip netns add "$TAG-$node"
    ip -n "$TAG-$node" link set lo up
    ip link add "$TAG-$node" type veth peer name "$TAG-${node}p"
    ip link set "$TAG-$node" netns "$TAG-$node"
    ip link set "$TAG-${node}p" netns "$NET"
    ip -n "$TAG-$node" link set "$TAG-$node" name eth0
    ip -n "$TAG-$node" addr add "${ADDRESS[$node]}/24" dev eth0
    ip -n "$TAG-$node" link set eth0 up
    ip -n "$NET" link set "$TAG-${node}p" master br0
    ip -n "$NET" link set "$TAG-${node}p" up
done

# Waits until something listens on host:port, as seen from the client namespace.
# Waits until something listens on host:port, as seen from the client namespace, while the
# process PID[name] that is to listen there lives.
await_port() {
    local host="$1" port="$2" name="$3" log="$4" deadline=$(( $(date +%s) + 60 ))
    until in_ns client bash -c "exec 3<>/dev/tcp/$host/$port" 2>/dev/null; do
        kill -0 "${PID[$name]}" 2>/dev/null || fail "$name exited before listening: $(tail -5 "$log")"
        [[ $(date +%s) -lt $deadline ]] || fail "$name did not listen on $host:$port"
        sleep 0.1
    done
}

# ---- the directory: two slapd in mirror mode -----------------------------------------------------
SUFFIX="dc=example,dc=test"
ADMIN="cn=admin,$SUFFIX"
VALID=18
{
    printf 'dn: %s\nobjectClass: top\nobjectClass: dcObject\nobjectClass: organization\ndc: example\no: example.test\n\n' "$SUFFIX"
    printf 'dn: ou=people,%s\nobjectClass: organizationalUnit\nou: people\n\n' "$SUFFIX"
    printf 'dn: ou=groups,%s\nobjectClass: organizationalUnit\nou: groups\n\n' "$SUFFIX"
    for user in postmaster alice $(seq -f 'u%g' 1 20); do
        printf 'dn: uid=%s,ou=people,%s\nobjectClass: inetOrgPerson\nuid: %s\ncn: %s\nsn: %s\nmail: %s@example.test\n\n' \
            "$user" "$SUFFIX" "$user" "$user" "$user" "$user"
    done
    # The list: 18 members that exist, and three that do not (a DN, two addresses): each of
    # those gets its 4037 and its line in the sender's report, the others the message.
    printf 'dn: cn=staff,ou=groups,%s\nobjectClass: groupOfNames\nobjectClass: extensibleObject\ncn: staff\nmail: staff@example.test\n' "$SUFFIX"
    for n in $(seq 1 $VALID); do printf 'member: uid=u%d,ou=people,%s\n' "$n" "$SUFFIX"; done
    printf 'member: uid=gone,ou=people,%s\nrfc822MailMember: ghost1@example.test\nrfc822MailMember: ghost2@example.test\n\n' "$SUFFIX"
} > "$WORK/directory.ldif"

slapd_conf() {
    local id="$1" peer="$2" dir="$WORK/ldap$1"
    mkdir -p "$dir/db"
    cat > "$dir/slapd.conf" <<EOF
include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/nis.schema
include /etc/ldap/schema/inetorgperson.schema
include /etc/ldap/schema/misc.schema
pidfile $dir/slapd.pid
argsfile $dir/slapd.args
modulepath /usr/lib/ldap
moduleload back_mdb
moduleload syncprov
serverID $id
database mdb
suffix "$SUFFIX"
rootdn "$ADMIN"
rootpw secret
directory $dir/db
maxsize 104857600
index objectClass,entryCSN,entryUUID eq
index mail,uid,cn eq
access to * by * read
syncrepl rid=00$id provider=ldap://$peer/ bindmethod=simple binddn="$ADMIN" credentials=secret
  searchbase="$SUFFIX" type=refreshAndPersist retry="1 +" timeout=3
mirrormode on
overlay syncprov
syncprov-checkpoint 10 1
EOF
}
start_slapd() {
    local id="$1"
    spawn "ldap$id" "ldap$id" "$WORK/ldap$id/slapd.log" \
        slapd -h "ldap://${ADDRESS[ldap$id]}/" -f "$WORK/ldap$id/slapd.conf" -d none
    await_port "${ADDRESS[ldap$id]}" 389 "ldap$id" "$WORK/ldap$id/slapd.log"
}
# Members of the list as one slapd sees it.
staff_members() {
    in_ns client ldapsearch -x -LLL -H "ldap://$1/" -b "cn=staff,ou=groups,$SUFFIX" member 2>/dev/null |
        grep -c '^member:' || true
}

slapd_conf 1 "${ADDRESS[ldap2]}"
slapd_conf 2 "${ADDRESS[ldap1]}"
slapadd -f "$WORK/ldap1/slapd.conf" -l "$WORK/directory.ldif" -S 1 -w >"$WORK/ldap1/slapadd.log" 2>&1 ||
    fail "slapadd: $(cat "$WORK/ldap1/slapadd.log")"
say "directory: slapd 1 on ${ADDRESS[ldap1]}, slapd 2 on ${ADDRESS[ldap2]} (mirror mode; 2 starts empty)"
start_slapd 1
start_slapd 2
deadline=$(( $(date +%s) + 30 ))
until [[ $(staff_members "${ADDRESS[ldap2]}") -eq $(( VALID + 1 )) ]]; do
    [[ $(date +%s) -lt $deadline ]] || fail "slapd 2 did not replicate the directory"
    sleep 0.2
done

# ---- the mailbox server: Dovecot, LMTP and IMAP ---------------------------------------------------
MAIL="$WORK/mbox/mail"
mkdir -p "$WORK/mbox/run" "$WORK/mbox/state" "$MAIL" "$WORK/mbox/home"
chown mail:mail "$MAIL" "$WORK/mbox/home"
cat > "$WORK/mbox/dovecot.conf" <<EOF
base_dir = $WORK/mbox/run
state_dir = $WORK/mbox/state
log_path = $WORK/mbox/dovecot.log
instance_name = listgate-drill-$TAG
protocols = lmtp imap
listen = ${ADDRESS[mbox]}
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain
mail_location = maildir:$MAIL/%d/%n
mail_uid = mail
mail_gid = mail
first_valid_uid = 1
first_valid_gid = 1
passdb {
  driver = static
  args = password=secret
}
userdb {
  driver = static
  args = uid=mail gid=mail home=$WORK/mbox/home/%d/%n allow_all_users=yes
}
service lmtp {
  inet_listener lmtp {
    address = ${ADDRESS[mbox]}
    port = 24
  }
}
service imap-login {
  inet_listener imap {
    address = ${ADDRESS[mbox]}
    port = 143
  }
  inet_listener imaps {
    port = 0
  }
}
EOF
spawn mbox mbox "$WORK/mbox/dovecot.out" dovecot -F -c "$WORK/mbox/dovecot.conf"
await_port "${ADDRESS[mbox]}" 24 mbox "$WORK/mbox/dovecot.out"
say "mailbox server: Dovecot on ${ADDRESS[mbox]} (LMTP 24, IMAP 143)"

# ---- the gateways ----------------------------------------------------------------------------------
gateway_conf() {
    local n="$1" urls="$2" dir="$WORK/gw$1"
    mkdir -p "$dir"
    cat > "$dir/listgate.properties" <<EOF
smtp.bind = ${ADDRESS[gw$n]}
smtp.port = 25
smtp.hostname = gw$n.example.test
domains = example.test
directory.type = ldap
directory.ldap.urls = $urls
directory.ldap.baseDn = $SUFFIX
directory.ldap.cacheTtl = 5s
directory.ldap.timeout = 2s
delivery.lmtp = lmtp://${ADDRESS[mbox]}:24
spool.dir = $dir/spool
maildir.root = $dir/mail
events.file = $dir/events.jsonl
EOF
}
start_gateway() {
    local n="$1"
    spawn "gw$n" "gw$n" "$WORK/gw$n/console.log" \
        java "${JAVA_FLAGS[@]}" -jar "$JAR" serve --config "$WORK/gw$n/listgate.properties"
    await_port "${ADDRESS[gw$n]}" 25 "gw$n" "$WORK/gw$n/console.log"
}
queue_empty() { [[ -z $(ls -A "$WORK/gw$1/spool/queue" 2>/dev/null) ]]; }

# Each gateway asks its own slapd first and the other one after it.
gateway_conf 1 "ldap://${ADDRESS[ldap1]},ldap://${ADDRESS[ldap2]}"
gateway_conf 2 "ldap://${ADDRESS[ldap2]},ldap://${ADDRESS[ldap1]}"
start_gateway 1
start_gateway 2
say "gateways: gw1 on ${ADDRESS[gw1]}:25, gw2 on ${ADDRESS[gw2]}:25 (LMTP to the mailbox server)"

# ---- the drill under load ---------------------------------------------------------------------------
MESSAGES=$(( RATE * SECONDS_OF_LOAD ))
say "load: $MESSAGES messages to staff@example.test, $RATE a second, a connection each, MX gw1,gw2 of equal preference"
in_ns client java -jar "$JAR" load --host "${ADDRESS[gw1]},${ADDRESS[gw2]}" --spread \
    --new-connection-per-message --connections 4 --rate "$RATE" --messages "$MESSAGES" \
    --list staff@example.test \
    --from alice@example.test --size 3000 --reply-timeout 20s --log "$WORK/load.jsonl" \
    --json --no-progress >"$WORK/load.json" 2>"$WORK/load.err" &
LOAD=$!
at() { sleep "$(python3 -c "print(max(0, $1 - ($(now_ms) - $START) / 1000))")"; }
START=$(now_ms)
FAULTS=()
fault() { FAULTS+=("$(printf '+%5.1fs  %s' "$(python3 -c "print(($(now_ms) - $START) / 1000)")" "$*")"); say "$*"; }

# Every process of the mailbox server stopped (SIGSTOP) for a while, so that gw1 holds mail in
# its queue, and LMTP sessions in flight, when it is killed.
signal_mbox() { ip netns pids "$TAG-mbox" | xargs -r kill "-$1"; }
at $(( SECONDS_OF_LOAD * 10 / 100 ))
signal_mbox STOP
fault "mailbox server frozen (SIGSTOP)"

at $(( SECONDS_OF_LOAD * 15 / 100 ))
kill -9 "${PID[gw1]}"
wait "${PID[gw1]}" 2>/dev/null || true
KILLED_QUEUE=$(ls "$WORK/gw1/spool/queue" | wc -l)
fault "SIGKILL gw1 (its queue: $KILLED_QUEUE messages)"

at $(( SECONDS_OF_LOAD * 20 / 100 ))
signal_mbox CONT
fault "mailbox server thawed (SIGCONT)"

at $(( SECONDS_OF_LOAD * 25 / 100 ))
start_gateway 1
fault "gw1 started again"

at $(( SECONDS_OF_LOAD * 35 / 100 ))
kill "${PID[ldap1]}"
wait "${PID[ldap1]}" 2>/dev/null || true
unset 'PID[ldap1]'
fault "slapd 1 stopped"

at $(( SECONDS_OF_LOAD * 40 / 100 ))
CHANGE_MS=$(now_ms)
in_ns client ldapmodify -x -H "ldap://${ADDRESS[ldap2]}/" -D "$ADMIN" -w secret >/dev/null <<EOF
dn: cn=staff,ou=groups,$SUFFIX
changetype: modify
add: member
member: uid=u19,ou=people,$SUFFIX
EOF
fault "u19 added to staff on slapd 2"

at $(( SECONDS_OF_LOAD * 60 / 100 ))
RESTART_MS=$(now_ms)
start_slapd 1
deadline=$(( $(date +%s) + 30 ))
until [[ $(staff_members "${ADDRESS[ldap1]}") -eq $(( VALID + 2 )) ]]; do
    [[ $(date +%s) -lt $deadline ]] || break
    sleep 0.05
done
CATCH_UP_MS=$(( $(now_ms) - RESTART_MS ))
fault "slapd 1 started again; it had the change after $CATCH_UP_MS ms"

wait "$LOAD" || true
fault "load finished"
deadline=$(( $(date +%s) + 180 ))
until queue_empty 1 && queue_empty 2; do
    [[ $(date +%s) -lt $deadline ]] || break
    sleep 0.5
done
fault "queues drained: gw1 $(ls "$WORK/gw1/spool/queue" | wc -l), gw2 $(ls "$WORK/gw2/spool/queue" | wc -l) left"
sleep 1 # the last LMTP replies are in; Dovecot has renamed its files into new/

# ---- one gateway against two, the same load --------------------------------------------------------
# As fast as the gateways and the mailbox server go; every message makes 20 files (19 members and
# the sender's report on the three that do not exist). One gateway and two take turns, so that
# the machine's other work falls on both alike.
throughput() {
    local label="$1" hosts="$2"
    in_ns client java -jar "$JAR" load --host "$hosts" --spread --connections 8 \
        --messages "$THROUGHPUT_MESSAGES" --list staff@example.test --from alice@example.test \
        --size 3000 --maildir "$MAIL" --expect 20 --timeout 5m --json --no-progress \
        >"$WORK/throughput-$label.json" 2>>"$WORK/load.err" || true
}
say "throughput: $THROUGHPUT_MESSAGES messages, 8 connections: gw1 alone and gw1 with gw2, $THROUGHPUT_ROUNDS times each"
THROUGHPUT_FROM=$(now_ms)
for round in $(seq 1 "$THROUGHPUT_ROUNDS"); do
    throughput "one-$round" "${ADDRESS[gw1]}"
    throughput "two-$round" "${ADDRESS[gw1]},${ADDRESS[gw2]}"
done

# ---- the accounting ------------------------------------------------------------------------------------
printf '%s\n' "${FAULTS[@]}" >"$WORK/faults.txt"
STATUS=0
python3 "$HERE/account.py" --work "$WORK" --killed-queue "$KILLED_QUEUE" --mail "$MAIL/example.test" --valid "$VALID" \
    --change-ms "$CHANGE_MS" --until-ms "$THROUGHPUT_FROM" --catch-up-ms "$CATCH_UP_MS" \
    --cache-ttl-ms 5000 || STATUS=$?
if [[ -n "$REPORT" ]]; then
    cp "$WORK/drill.json" "$REPORT"
fi
exit $STATUS
