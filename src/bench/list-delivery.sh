#!/usr/bin/env bash
# Measures, for a list of N members (one in ten invalid), the time from the 250 after DATA to the
# last Maildir file, and the gateway JVM's peak RSS (VmHWM). Loopback only.
# Usage: src/bench/list-delivery.sh N [port]     (run from the repository, after mvn package)
set -euo pipefail
n=${1:-1000}; port=${2:-2599}
jar=$(pwd)/target/listgate.jar
work=$(mktemp -d)
cd "$work"
python3 - "$n" <<'PY'
import sys
n=int(sys.argv[1])
users=[]; members=[]
for i in range(1,n+1):
    if i % 10 == 0:
        members.append(f"ghost{i}@example.test")
    else:
        users.append(f"u{i}@example.test"); members.append(f"u{i}@example.test")
open("users","w").write("alice@example.test\n"+"\n".join(users)+"\n")
open("lists","w").write("staff: "+",\n  ".join(members)+"\n")
import os
open("listgate.properties","w").write("""smtp.bind=127.0.0.1
smtp.hostname=bench.example.test
domains=example.test
directory.users=users
directory.lists=lists
limits.maxExpansion=1000000
delivery.threads="""+os.environ.get("THREADS","8")+"""
""")
print(len(users), file=open("expected","w"))
PY
java -jar "$jar" serve --config listgate.properties --port "$port" > serve.out 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 100); do grep -q '"id":1000' data/events.jsonl 2>/dev/null && break; sleep 0.1; done
expected=$(cat expected)
python3 - "$port" "$expected" "$pid" <<'PY'
import socket, sys, time, os
port, expected, pid = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
s = socket.create_connection(("127.0.0.1", port)); f = s.makefile("rb")
def reply():
    while True:
        line = f.readline().decode()
        if line[3:4] != "-": return line.strip()
reply()
for c in ["HELO pegasus.example.test", "MAIL FROM:<alice@example.test>", "RCPT TO:<staff@example.test>", "DATA"]:
    s.sendall((c + "\r\n").encode()); reply()
s.sendall(b"From: alice@example.test\r\nTo: Staff list: ;\r\nSubject: bench\r\nX-mailer: Pegasus Mail for Win32 (v3.01d)\r\n\r\n" + b"x" * 5000 + b"\r\n.\r\n")
r = reply(); t0 = time.monotonic()
assert r.startswith("250"), r
def count():
    total = 0
    for root, dirs, files in os.walk("data/mail"):
        if root.endswith("/new"): total += len(files)
    return total
while count() < expected: time.sleep(0.005)
t1 = time.monotonic()
hwm = [l for l in open(f"/proc/{pid}/status") if l.startswith("VmHWM")][0].split()[1]
print(f"members={expected*10//9 if expected % 9 == 0 else '?'} delivered={expected} seconds_250_to_last_file={t1-t0:.3f} peak_rss_MiB={int(hwm)/1024:.0f}")
s.sendall(b"QUIT\r\n")
PY
