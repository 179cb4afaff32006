#!/usr/bin/env python3
"""Helpers for src/bench/compare.sh (standard library only, loopback only).

  compare.py ready PORT SECONDS          wait for a 220 banner on 127.0.0.1:PORT
  compare.py sample PID OUT.json         every 0.2 s, sum PSS and RSS over PID and all its
                                         descendants (smaps_rollup) until SIGTERM; write the peaks
                                         and the CPU seconds the tree used
  compare.py wait ROOT EXPECTED SECONDS T0 OUT.json
                                         count the files in every ROOT/*/*/{new,cur} until EXPECTED
                                         or SECONDS; the end is the latest time one of those folders
                                         changed, measured from T0 (epoch seconds)
  compare.py row TSV SCENARIO CLIENT SERVER RUN CLIENT_OUT SAMPLE_JSON [WAIT_JSON T0 T1 MESSAGES]
                                         append one run's figures to TSV (the client's output is the
                                         load's --json, or smtp-source's, timed T0..T1 by the script)
  compare.py table TSV                   the comparison table: median [min-max] per server, ratio
                                         listgate/Postfix per interleaved pair
"""
import json
import os
import signal
import socket
import statistics
import sys
import time

COLUMNS = [
    "scenario", "client", "server", "run", "started", "loadavg", "messages", "accepted",
    "accept_s", "accepted_per_s", "final_dot_p50_ms", "final_dot_p99_ms", "final_dot_max_ms",
    "errors", "expected", "delivered", "e2e_s", "delivered_per_s", "idle_banners",
    "peak_pss_mb", "peak_rss_mb", "max_proc_rss_mb", "max_procs", "server_cpu_s", "samples", "sample_hz",
    "client_exit",
]

# What the table shows for each scenario, in order, and which way is better.
METRICS = {
    "accepted_per_s": ("accepted msg/s", "higher"),
    "accept_s": ("accept s (whole client)", "lower"),
    "final_dot_p50_ms": ("final dot -> 250 p50 ms", "lower"),
    "final_dot_p99_ms": ("final dot -> 250 p99 ms", "lower"),
    "delivered_per_s": ("delivered files/s e2e", "higher"),
    "e2e_s": ("first MAIL -> last file s", "lower"),
    "idle_banners": ("idle banners", "higher"),
    "peak_pss_mb": ("peak PSS MB (tree)", "lower"),
    "peak_rss_mb": ("peak RSS MB (tree sum)", "lower"),
    "server_cpu_s": ("server CPU s", "lower"),
    "errors": ("errors", "lower"),
}
SHOWN = {
    "fanout10k": ["final_dot_p50_ms", "accept_s", "delivered_per_s", "e2e_s", "peak_pss_mb",
                  "peak_rss_mb", "server_cpu_s", "errors"],
    "fanout100k": ["final_dot_p50_ms", "accept_s", "delivered_per_s", "e2e_s", "peak_pss_mb",
                   "peak_rss_mb", "server_cpu_s", "errors"],
    "accept16": ["accepted_per_s", "final_dot_p50_ms", "final_dot_p99_ms", "delivered_per_s",
                 "e2e_s", "peak_pss_mb", "peak_rss_mb", "server_cpu_s", "errors"],
    "idle1000": ["idle_banners", "accepted_per_s", "final_dot_p50_ms", "final_dot_p99_ms",
                 "peak_pss_mb", "peak_rss_mb", "server_cpu_s", "errors"],
}


def cmd_ready(port, seconds):
    deadline = time.time() + float(seconds)
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", int(port)), timeout=2) as s:
                if s.recv(512).startswith(b"220"):
                    s.sendall(b"QUIT\r\n")
                    return 0
        except OSError:
            pass
        time.sleep(0.2)
    return 1


def children_map():
    kids = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat") as f:
                s = f.read()
            ppid = int(s[s.rindex(")") + 2:].split()[1])
            kids.setdefault(ppid, []).append(int(d))
        except (OSError, ValueError, IndexError):
            pass
    return kids


def tree(root):
    kids = children_map()
    out, todo = [], [root]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(kids.get(p, []))
    return out


def memory(pid):
    """(rss_kb, pss_kb, name, cpu_ticks) of one process, or None when it has gone."""
    try:
        rss = pss = 0
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Rss:"):
                    rss = int(line.split()[1])
                elif line.startswith("Pss:"):
                    pss = int(line.split()[1])
        with open(f"/proc/{pid}/stat") as f:
            s = f.read()
        name = s[s.index("(") + 1:s.rindex(")")]
        fields = s[s.rindex(")") + 2:].split()
        # utime stime cutime cstime: a child reaped by the master adds its time to the master's.
        ticks = sum(int(x) for x in fields[11:15])
        return rss, pss, name, ticks
    except (OSError, ValueError, IndexError):
        return None


def cmd_sample(pid, out):
    root = int(pid)
    peak = {"pss_kb": 0, "rss_kb": 0, "procs": 0, "max_proc_rss_kb": 0, "max_proc": ""}
    stop = []
    signal.signal(signal.SIGTERM, lambda *a: stop.append(1))
    samples = 0
    first_ticks = last_ticks = None
    began = time.monotonic()
    tick = 0
    while not stop:
        pss = rss = n = ticks = 0
        for p in tree(root):
            m = memory(p)
            if m is None:
                continue
            n += 1
            rss += m[0]
            pss += m[1]
            ticks += m[3]
            if m[0] > peak["max_proc_rss_kb"]:
                peak["max_proc_rss_kb"], peak["max_proc"] = m[0], m[2]
        if n:
            if samples == 0:
                open(out + ".ready", "w").close()  # compare.sh starts the client after this
            samples += 1
            peak["pss_kb"] = max(peak["pss_kb"], pss)
            peak["rss_kb"] = max(peak["rss_kb"], rss)
            peak["procs"] = max(peak["procs"], n)
            first_ticks = ticks if first_ticks is None else first_ticks
            last_ticks = ticks
        # Every 0.2 s on the clock, not 0.2 s after each sample: 5 a second unless a sample
        # takes longer (1,000 smtpd processes do), in which case the next starts at once.
        tick = max(tick + 1, int((time.monotonic() - began) / 0.2))
        time.sleep(max(0.0, began + tick * 0.2 - time.monotonic()))
    peak["samples"] = samples
    elapsed = time.monotonic() - began
    peak["hz"] = round(samples / elapsed, 1) if elapsed > 0 else 0
    hz = os.sysconf("SC_CLK_TCK")
    peak["cpu_s"] = (last_ticks - first_ticks) / hz if samples else 0
    with open(out, "w") as f:
        json.dump(peak, f)
    if os.path.exists(out + ".ready"):
        os.remove(out + ".ready")


def maildirs(root):
    for domain in os.scandir(root):
        if domain.is_dir():
            for box in os.scandir(domain.path):
                yield box.path


def count(root):
    files, latest = 0, 0.0
    if not os.path.isdir(root):
        return 0, 0.0
    for box in maildirs(root):
        for folder in ("new", "cur"):
            path = os.path.join(box, folder)
            try:
                files += len(os.listdir(path))
                latest = max(latest, os.stat(path).st_mtime)
            except OSError:
                pass
    return files, latest


def cmd_wait(root, expected, seconds, t0, out):
    expected, t0 = int(expected), float(t0)
    deadline = time.time() + float(seconds)
    while True:
        began = time.time()
        files, latest = count(root)
        took = time.time() - began
        if files >= expected or time.time() >= deadline:
            break
        time.sleep(min(5.0, max(0.05, 4 * took)))
    result = {"expected": expected, "delivered": files, "complete": files >= expected,
              "seconds": round(latest - t0, 3) if files and latest > t0 else None}
    with open(out, "w") as f:
        json.dump(result, f)
    return 0 if result["complete"] else 1


def cmd_row(tsv, scenario, client, server, run, client_out, sample_json, *extra):
    with open(sample_json) as f:
        mem = json.load(f)
    row = dict.fromkeys(COLUMNS, "")
    row.update(scenario=scenario, client=client, server=server, run=run,
               started=time.strftime("%Y-%m-%dT%H:%M:%S"),
               loadavg=open("/proc/loadavg").read().split()[0],
               peak_pss_mb=f"{mem['pss_kb'] / 1024:.1f}", peak_rss_mb=f"{mem['rss_kb'] / 1024:.1f}",
               max_proc_rss_mb=f"{mem['max_proc_rss_kb'] / 1024:.1f}", max_procs=mem["procs"],
               server_cpu_s=f"{mem['cpu_s']:.2f}", samples=mem["samples"], sample_hz=mem["hz"])
    if client == "load":
        with open(client_out) as f:
            text = f.read()
        try:
            r = json.loads(text[text.index("{"):])
        except ValueError:
            r = {"messages": 0, "accepted": 0, "errors": [{"count": 1}], "exitCode": 1}
        row.update(messages=r.get("messages", ""), accepted=r.get("accepted", ""),
                   accept_s=r.get("seconds", ""), accepted_per_s=r.get("acceptedPerSecond", ""),
                   errors=sum(e["count"] for e in r.get("errors", [])), client_exit=r.get("exitCode", ""))
        lat = r.get("latencyMillis")
        if lat and r.get("accepted"):
            row.update(final_dot_p50_ms=lat["p50"], final_dot_p99_ms=lat["p99"],
                       final_dot_max_ms=lat["max"])
        d = r.get("deliveries")
        if d:
            row.update(expected=d["expected"], delivered=d["delivered"], e2e_s=d["seconds"] or "",
                       delivered_per_s=d["perSecond"] or "")
            if not d["complete"]:
                row["errors"] = int(row["errors"] or 0) + d["expected"] - d["delivered"]
        idle = r.get("idle")
        if idle:
            row["idle_banners"] = idle["banners"]
    else:  # smtp-source: the script timed it; errors are its own complaints
        wait_json, t0, t1, messages = extra
        with open(client_out) as f:
            complaints = [l for l in f.read().splitlines() if l.strip()]
        secs = float(t1) - float(t0)
        row.update(messages=messages, accept_s=f"{secs:.3f}",
                   accepted_per_s=f"{int(messages) / secs:.1f}", errors=len(complaints),
                   client_exit=0 if not complaints else 1)
        row["accepted"] = messages if not complaints else ""
        if wait_json != "-":
            with open(wait_json) as f:
                w = json.load(f)
            delivered_per_s = (f"{w['delivered'] / w['seconds']:.1f}"
                               if w["seconds"] else "")
            row.update(expected=w["expected"], delivered=w["delivered"], e2e_s=w["seconds"] or "",
                       delivered_per_s=delivered_per_s)
            if not w["complete"]:
                row["errors"] = int(row["errors"]) + w["expected"] - w["delivered"]
    new = not os.path.exists(tsv)
    with open(tsv, "a") as f:
        if new:
            f.write("\t".join(COLUMNS) + "\n")
        f.write("\t".join(str(row[c]) for c in COLUMNS) + "\n")
    return row


def spread(values, digits):
    if not values:
        return "-"
    fmt = f"{{:,.{digits}f}}"
    m = fmt.format(statistics.median(values))
    if len(values) == 1:
        return m
    return f"{m} [{fmt.format(min(values))}-{fmt.format(max(values))}]"


def digits_for(values):
    top = max((abs(v) for v in values), default=0)
    return 0 if top >= 100 else 1 if top >= 10 else 2


def cmd_table(tsv):
    import csv
    with open(tsv) as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    groups = {}
    for r in rows:
        groups.setdefault((r["scenario"], r["client"]), []).append(r)
    with_postfix = any(r["server"] == "postfix" for r in rows)
    head = ["scenario", "client", "metric", "better", "listgate"]
    if with_postfix:
        head += ["Postfix", "listgate/Postfix"]
    lines = []
    for (scenario, client), rs in groups.items():
        for key in SHOWN.get(scenario, list(METRICS)):
            def values(server):
                out = {}
                for r in rs:
                    if r["server"] == server and r[key] not in ("", "None"):
                        out[int(r["run"])] = float(r[key])
                return out
            lg, pf = values("listgate"), values("postfix")
            if not lg and not pf:
                continue
            label, better = METRICS[key]
            d = 0 if key in ("errors", "idle_banners") else digits_for(
                list(lg.values()) + list(pf.values()))
            cells = [scenario, client, label, better, spread(list(lg.values()), d)]
            if with_postfix:
                ratios = [lg[k] / pf[k] for k in sorted(lg) if k in pf and pf[k] != 0]
                cells += [spread(list(pf.values()), d), spread(ratios, 2)]
            lines.append(cells)
    widths = [max(len(str(c)) for c in col) for col in zip(head, *lines)]
    print("  ".join(h.ljust(w) for h, w in zip(head, widths)).rstrip())
    for cells in lines:
        print("  ".join(str(c).ljust(w) for c, w in zip(cells, widths)).rstrip())


def main():
    # Ctrl-C reaches the helpers too: compare.sh cleans up and says so, a traceback would not help.
    signal.signal(signal.SIGINT, lambda *a: sys.exit(130))
    if len(sys.argv) < 2:
        print(__doc__)
        return 2
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "ready":
        return cmd_ready(*args)
    if cmd == "sample":
        cmd_sample(*args)
        return 0
    if cmd == "wait":
        return cmd_wait(*args)
    if cmd == "row":
        row = cmd_row(*args)
        keys = ["accepted_per_s", "final_dot_p50_ms", "delivered_per_s", "e2e_s", "idle_banners",
                "peak_pss_mb", "peak_rss_mb", "server_cpu_s", "errors"]
        print(f"  {row['scenario']} {row['client']} {row['server']} run {row['run']}: "
              + ", ".join(f"{k} {row[k]}" for k in keys if row[k] != ""))
        return 0
    if cmd == "table":
        cmd_table(*args)
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main())
