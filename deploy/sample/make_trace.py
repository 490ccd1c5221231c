#!/usr/bin/env python3
"""Writes sample-trace.csv: two working days of one cell (Mon 23 - Tue 24 March 2026, Europe/Amsterdam, UTC+1).

Deterministic (seeded). Only needed to regenerate the committed sample; `edgegw simulate` supersedes it.
Stack light green/yellow/red, setup key, cycle and scrap pulses, power every 30 s.
"""
import random
from datetime import datetime, timedelta, timezone

rnd = random.Random(42)
start = datetime(2026, 3, 22, 23, 0, tzinfo=timezone.utc)   # Mon 00:00 local
end = datetime(2026, 3, 24, 23, 0, tzinfo=timezone.utc)     # Wed 00:00 local
events = []

def at(t, signal, value):
    events.append((t, signal, value))

def local_minutes(t):
    local = t + timedelta(hours=1)
    return local.hour * 60 + local.minute

def planned(t):
    m = local_minutes(t)
    return 6 * 60 <= m < 22 * 60 and not (600 <= m < 615) and not (1080 <= m < 1110)

state = None
def set_state(t, new):
    global state
    if new == state:
        return
    for signal in ("green", "yellow", "red", "setup"):
        want = 1 if signal == new else 0
        was = 1 if signal == state else 0
        if state is None or want != was:
            at(t, signal, want)
    state = new

t = start
set_state(t, "off")
while t < end:
    if not planned(t):
        set_state(t, "off")
        t += timedelta(minutes=1)
        continue
    roll = rnd.random()
    if roll < 0.015:                       # failure 5-40 min
        set_state(t, "red"); t += timedelta(minutes=rnd.randint(5, 40)); continue
    if roll < 0.035:                       # minor stop 20-100 s
        set_state(t, "red"); t += timedelta(seconds=rnd.randint(20, 100)); continue
    if roll < 0.045:                       # setup 10-30 min
        set_state(t, "setup"); t += timedelta(minutes=rnd.randint(10, 30)); continue
    if roll < 0.06:                        # waiting for material
        set_state(t, "yellow"); t += timedelta(minutes=rnd.randint(2, 12)); continue
    set_state(t, "green")
    for _ in range(rnd.randint(5, 20)):   # a run of parts
        t += timedelta(seconds=30 * rnd.uniform(1.0, 1.25))
        if not planned(t) or t >= end:
            break
        at(t, "cycle", 1)
        if rnd.random() < 0.02:
            at(t, "scrap", 1)

power = {"off": 0.3, "green": 7.5, "yellow": 1.2, "red": 0.8, "setup": 1.5}
events.sort(key=lambda e: e[0])
merged, i, state_now, p = [], 0, "off", start
while p <= end:
    while i < len(events) and events[i][0] <= p:
        merged.append(events[i])
        if events[i][2] == 1 and events[i][1] in power:
            state_now = events[i][1]
        elif events[i][1] in ("green", "yellow", "red", "setup") and events[i][2] == 0 and state_now == events[i][1]:
            state_now = "off"
        i += 1
    merged.append((p, "power", round(power[state_now] * rnd.uniform(0.95, 1.05), 2)))
    p += timedelta(seconds=30)
merged = [e for e in merged if e[0] <= end]

with open("sample-trace.csv", "w") as f:
    f.write("# EdgeGateway sample trace: cell-1 of site sme-0042, Mon 23 - Tue 24 March 2026 (see make_trace.py)\n")
    f.write("timestamp,signal,value\n")
    for t, signal, value in merged:
        f.write(f"{t.strftime('%Y-%m-%dT%H:%M:%S')}.{t.microsecond // 1000:03d}Z,{signal},{value:g}\n")
