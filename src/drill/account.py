#!/usr/bin/env python3
"""The scale-out drill's accounting (scale-out.sh runs it): sets what the client was told
(load --log: which gateway accepted each message) against what the mailbox server holds (each
member's Maildir, read by Message-ID) and what the gateways logged (their event logs), prints
the table and writes drill.json. Exit 0 when nothing was lost, no RCPT of the list got a 5xx,
both gateways used the list change and both queues drained; 1 otherwise."""

import argparse
import email.parser
import json
import os
import sys
from collections import Counter
from datetime import datetime


def lines(path):
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8", errors="replace") as f:
        return [json.loads(line) for line in f if line.strip().startswith("{")]


def events(path):
    found = []
    for record in lines(path):
        try:
            record["_ms"] = int(
                datetime.fromisoformat(record["time"].replace("Z", "+00:00")).timestamp() * 1000)
        except (KeyError, ValueError):
            record["_ms"] = 0
        found.append(record)
    return found


def message_ids(folder):
    """Message-ID of each file in a Maildir (new/ and cur/), and the text of each."""
    parser = email.parser.BytesHeaderParser()
    for sub in ("new", "cur"):
        path = os.path.join(folder, sub)
        if not os.path.isdir(path):
            continue
        for name in os.listdir(path):
            with open(os.path.join(path, name), "rb") as f:
                data = f.read()
            yield parser.parsebytes(data).get("Message-ID", "").strip(), data


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--work", required=True)
    ap.add_argument("--mail", required=True, help="the domain's folder of Maildirs")
    ap.add_argument("--valid", type=int, required=True, help="members u1..uN that exist")
    ap.add_argument("--change-ms", type=int, required=True)
    ap.add_argument("--until-ms", type=int, required=True, help="where the drill's events end")
    ap.add_argument("--catch-up-ms", type=int, required=True)
    ap.add_argument("--cache-ttl-ms", type=int, required=True)
    ap.add_argument("--killed-queue", type=int, required=True, help="gw1's queue when killed")
    a = ap.parse_args()
    work = a.work

    sent = lines(os.path.join(work, "load.jsonl"))
    report = json.load(open(os.path.join(work, "load.json")))
    gateway_of = {}
    for n, props in ((1, "gw1"), (2, "gw2")):
        with open(os.path.join(work, props, "listgate.properties")) as f:
            bind = next(l.split("=", 1)[1].strip() for l in f if l.startswith("smtp.bind"))
        gateway_of[bind + ":25"] = props
    accepted = {m["messageId"]: gateway_of.get(m.get("server"), m.get("server"))
                for m in sent if m["accepted"]}
    refused = [m for m in sent if not m["accepted"]]
    by_gateway = Counter(accepted.values())
    ours = {m["messageId"] for m in sent}

    members = ["u%d" % n for n in range(1, a.valid + 1)]
    copies = Counter()
    for user in members + ["u19"]:
        for message_id, _ in message_ids(os.path.join(a.mail, user)):
            if message_id in ours:
                copies[(message_id, user)] += 1
    lost = [(m, u) for m in accepted for u in members if copies[(m, u)] == 0]
    duplicated = sum(c - 1 for (m, u), c in copies.items() if u != "u19" and c > 1)
    duplicated_messages = len({m for (m, u), c in copies.items() if c > 1})
    unacknowledged = len({m for (m, u) in copies if m not in accepted})
    delivered = sum(c for (m, u), c in copies.items() if u != "u19")

    reports = Counter()
    for _, data in message_ids(os.path.join(a.mail, "alice")):
        text = data.decode("ascii", "replace")
        for token in text.split():
            if token.startswith("<load.") and token in ours:
                reports[token] += 1
                break

    log = {g: [e for e in events(os.path.join(work, g, "events.jsonl")) if e["_ms"] <= a.until_ms]
           for g in ("gw1", "gw2")}
    seen = {}
    for g, records in log.items():
        first = [e["_ms"] for e in records
                 if e.get("id") == 2003 and e.get("recipient") == "u19@example.test"]
        seen[g] = (min(first) - a.change_ms) if first else None
    isolated = {g: sum(1 for e in r if e.get("id") == 4037) for g, r in log.items()}
    faults = {g: sum(1 for e in r if e.get("id") == 9001) for g, r in log.items()}
    resumed = {g: sum(1 for e in r if e.get("id") == 2005) for g, r in log.items()}
    ldap_outages = {g: sum(1 for e in r if e.get("id") == 3014) for g, r in log.items()}
    rcpt_5xx = sum(e["count"] for e in report.get("errors", [])
                   if e.get("stage", "").upper().startswith("RCPT")
                   and str(e.get("reply", "")).startswith("5"))
    errors = {"%s %s" % (e.get("stage"), e.get("reply")): e["count"] for e in report.get("errors", [])}
    left = {g: len(os.listdir(os.path.join(work, g, "spool", "queue")))
            for g in ("gw1", "gw2") if os.path.isdir(os.path.join(work, g, "spool", "queue"))}

    throughput = {"one": [], "two": []}
    for name in sorted(os.listdir(work)):
        if not (name.startswith("throughput-") and name.endswith(".json")):
            continue
        label = name[len("throughput-"):-len(".json")].split("-")[0]
        t = json.load(open(os.path.join(work, name)))
        d = t.get("deliveries") or {}
        throughput[label].append({
            "accepted": t.get("accepted"),
            "acceptedPerSecond": t.get("acceptedPerSecond"),
            "acceptedByServer": {gateway_of.get(k, k): v
                                 for k, v in t.get("acceptedByServer", {}).items()},
            "deliveredPerSecond": d.get("perSecond"),
            "complete": d.get("complete"),
        })

    def median(label, key):
        values = sorted(run[key] for run in throughput[label] if run.get(key))
        return values[len(values) // 2] if values else None

    def ratio(key):
        one, two = median("one", key), median("two", key)
        return round(two / one, 2) if one and two else None

    changed = all(v is not None for v in seen.values())
    ok = not lost and rcpt_5xx == 0 and changed and not any(left.values())
    result = {
        "messages": len(sent),
        "accepted": len(accepted),
        "acceptedByGateway": dict(sorted(by_gateway.items())),
        "notAccepted": len(refused),
        "passedOver": report.get("passedOver"),
        "failovers": report.get("failovers"),
        "copiesExpected": len(accepted) * len(members),
        "copiesDelivered": delivered,
        "lost": len(lost),
        "duplicatedCopies": duplicated,
        "messagesWithDuplicates": duplicated_messages,
        "deliveredWithoutA250": unacknowledged,
        "reportsToSender": sum(reports.values()),
        "isolated4037": isolated,
        "exceptions9001": faults,
        "queueWhenKilled": a.killed_queue,
        "resumedAfterRestart2005": resumed,
        "directoryOutages3014": ldap_outages,
        "rcpt5xx": rcpt_5xx,
        "clientErrors": errors,
        "listChangeSeenMs": seen,
        "listChangeBoundMs": a.cache_ttl_ms,
        "slapdCatchUpMs": a.catch_up_ms,
        "queuesLeft": left,
        "throughput": throughput,
        "throughputRatioAccepted": ratio("acceptedPerSecond"),
        "throughputRatioDelivered": ratio("deliveredPerSecond"),
        "ok": ok,
    }
    with open(os.path.join(work, "drill.json"), "w") as f:
        json.dump(result, f, indent=2)

    faults_text = open(os.path.join(work, "faults.txt")).read().rstrip()
    print()
    print("what was done, from the start of the load")
    print("\n".join("  " + l for l in faults_text.splitlines()))
    print()
    rows = [
        ("messages sent", len(sent)),
        ("accepted (250)", "%d: %s" % (len(accepted), ", ".join(
            "%s %d" % kv for kv in sorted(by_gateway.items())))),
        ("not accepted", len(refused)),
        ("sessions that passed over a dead gateway", report.get("passedOver")),
        ("messages sent again after a lost connection", report.get("failovers")),
        ("copies expected (accepted x %d members)" % len(members), len(accepted) * len(members)),
        ("copies delivered", delivered),
        ("LOST", len(lost)),
        ("duplicated copies", "%d (%d messages)" % (duplicated, duplicated_messages)),
        ("delivered without a 250 (killed before replying)", unacknowledged),
        ("reports to the sender (3 members that do not exist)", sum(reports.values())),
        ("4037 per gateway", ", ".join("%s %d" % kv for kv in sorted(isolated.items()))),
        ("9001 per gateway", ", ".join("%s %d" % kv for kv in sorted(faults.items()))),
        ("gw1's queue when killed / resumed after its restart (2005)",
         "%d / %d" % (a.killed_queue, resumed.get("gw1", 0))),
        ("RCPT answered 5xx", rcpt_5xx),
        ("client errors", ", ".join("%s x%d" % kv for kv in sorted(errors.items())) or "none"),
        ("list change used by gw1 / gw2 after", " / ".join(
            "%.1f s" % (v / 1000) if v is not None else "never" for v in (seen["gw1"], seen["gw2"]))
         + " (cacheTtl 5 s)"),
        ("slapd 1 had the change after its restart", "%.1f s" % (a.catch_up_ms / 1000)),
        ("left in the queues", ", ".join("%s %d" % kv for kv in sorted(left.items()))),
    ]
    for label, key in (("one gateway", "one"), ("two gateways", "two")):
        runs = throughput[key]
        if runs:
            rows.append(("throughput, %s (each run)" % label, "; ".join(
                "%s accepted/s, %s copies/s delivered%s" % (
                    r["acceptedPerSecond"], r["deliveredPerSecond"],
                    "" if r["complete"] else " (INCOMPLETE)") for r in runs)))
    if throughput["one"] and throughput["two"]:
        rows.append(("two gateways / one (medians)", "%sx accepted, %sx delivered" % (
            ratio("acceptedPerSecond"), ratio("deliveredPerSecond"))))
    width = max(len(r[0]) for r in rows)
    for label, value in rows:
        print("  %-*s  %s" % (width, label, value))
    print()
    print("PASS: nothing lost" if ok else "FAIL: see above (lost, RCPT 5xx, list change, queues)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
