"""Noisy neighbour (issue 17): one elemental server (one worker) with instances of the workload
element; tenant B runs the normal workload with 16 connections, alone and then beside tenant A
(16 connections of its own, two wrk processes at once) doing one of:
  - spin: A's pre hook is a busy loop of a minute (the engine's budget stops it),
  - vendor hangs: A's vendor accepts and never answers (bench/peers/slow_server.py /hang),
  - slow outbound call: A's pre hook waits on fetch() of a local endpoint answering after 3 s.
A starts 1 s before B and goes on 12 s after it (wrk --timeout 30 s), so answers the engine
gives only at its 10 s hook budget are counted. Each scenario gets a fresh server, so one scenario's backlog never reaches the next.
Reported: B's requests/s, p99, non-2xx and socket errors (wrk's timeouts: 2 s), and A's answers
counted by status (a wrk response() callback) plus its socket errors."""
import os, subprocess, statistics, sys, time

import gateway
from common import free_port, wait_port, wrk_cmd, parse_wrk, med, stop, lua_script

CONNECTIONS = 16
SLOW_MS = 3000  # under 5 s: the engine's outbound calls time out at 5 s today (README says 30 s)
A_AFTER = 12  # A goes on this long after B stops, so answers the engine gives only after its 10 s hook budget are counted
TALLY = """
counts = {}
response = function(status, headers, body) counts[status] = (counts[status] or 0) + 1 end
local threads = {}
setup = function(thread) table.insert(threads, thread) end
done = function(summary, latency, requests)
  local all = {}
  for _, t in ipairs(threads) do
    for k, v in pairs(t:get("counts") or {}) do all[k] = (all[k] or 0) + v end
  end
  local parts = {}
  for k, v in pairs(all) do parts[#parts + 1] = k .. "=" .. v end
  table.sort(parts)
  io.write("STATUS " .. table.concat(parts, " ") .. "\\n")
end
"""
SCENARIOS = [("B alone", None, None), ("A spins in its pre hook", "na", "spin"),
             ("A's vendor hangs", "nh", "records"), ("A's hook waits on a slow outbound call", "ns", "slow")]

def _server(args, root, spawn):
    port = free_port()
    p = spawn(args.wrapper.split() + [args.binary, "serve", "--elements", os.path.join(root, "elements"),
               "--instances", os.path.join(root, "instances.yaml"), "--data", os.path.join(root, f"data-{port}"),
               "--listen", f"127.0.0.1:{port}", "--workers", "1", "--reload-ms", "0"], env={**os.environ, "RUST_LOG": "error"})
    wait_port(port, timeout=120)
    return p, f"http://127.0.0.1:{port}/elements/api-v2"

def noisy_neighbour(args, work, spawn, vendor_port):
    root = os.path.join(work, "noisy")
    os.makedirs(os.path.join(root, "elements"))
    gateway.install_element(os.path.join(root, "elements"))
    slow_port = free_port()
    spawn([sys.executable, os.path.join(gateway.PEERS, "slow_server.py"), str(slow_port)])
    wait_port(slow_port)
    slow = f', slow.url: "http://127.0.0.1:{slow_port}/slow?ms={SLOW_MS}"'
    entries = [gateway.instance_entry(1, "nb", vendor_port), gateway.instance_entry(2, "na", vendor_port),
               gateway.instance_entry(3, "nh", f"{slow_port}/hang"), gateway.instance_entry(4, "ns", vendor_port, extra=slow)]
    open(os.path.join(root, "instances.yaml"), "w").write("instances:\n" + "".join(entries))
    b_script = gateway.script(root, "nb", "b.lua")
    a_scripts = {}
    for token in ("na", "nh", "ns"):
        path = lua_script(os.path.join(root, f"a-{token}.lua"), {"Authorization": f"Element {token}", "X-Request-Time": gateway.TIMESTAMP})
        open(path, "a").write(TALLY)
        a_scripts[token] = path
    q = f"42?{gateway.QUERY}"
    results = {}
    for round_ in range(args.rounds):
        for name, token, route in SCENARIOS:
            server, base = _server(args, root, spawn)
            try:
                subprocess.run(wrk_cmd(f"{base}/records/{q}", 4, 1, b_script), capture_output=True)  # warm B
                a = None
                if token:
                    a = subprocess.Popen(wrk_cmd(f"{base}/{route}/{q}", CONNECTIONS, args.duration + 1 + A_AFTER, a_scripts[token], timeout=30),
                                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
                    time.sleep(1)
                b = parse_wrk(subprocess.run(wrk_cmd(f"{base}/records/{q}", CONNECTIONS, args.duration, b_script),
                                             capture_output=True, text=True).stdout)
                a_result = parse_wrk(a.communicate(timeout=args.duration + 60)[0]) if a else None
            finally:
                stop(server)
            results.setdefault(name, []).append((b, a_result))
            a_text = (f"  A: {a_result['statuses'] or 'no answers'}, socket errors {a_result['socket_errors']}" if a_result else "")
            print(f"noisy round {round_ + 1} {name:<40} B {b['rps']:>8.0f} rps  p99 {b['p99']:.2f} ms  non-2xx {b['non2xx']}  "
                  f"socket errors {b['socket_errors']}{a_text}", flush=True)
    alone = med([b for b, _ in results[SCENARIOS[0][0]]], "rps")
    lines = [f"### Noisy neighbour (one worker; tenant B: the workload, {CONNECTIONS} connections; tenant A: {CONNECTIONS} connections at once; "
             f"{args.duration} s, medians of {args.rounds} rounds; A's answers summed over the rounds)", "",
             "| scenario | B requests/s | B vs alone | B p99 ms | B non-2xx | B socket errors | A answers by status | A socket errors (timeouts) |",
             "|---|---:|---:|---:|---:|---:|---|---:|"]
    for name, token, _ in SCENARIOS:
        bs = [b for b, _ in results[name]]
        as_ = [a for _, a in results[name] if a]
        statuses = {}
        for a in as_:
            for k, v in a["statuses"].items():
                statuses[k] = statuses.get(k, 0) + int(v)
        a_text = ", ".join(f"{k}: {v}" for k, v in sorted(statuses.items())) or ("none" if token else "—")
        a_err = f"{sum(a['socket_errors'] for a in as_)} ({sum(a['timeouts'] for a in as_)})" if token else "—"
        p99 = f"{med(bs, 'p99'):.2f}" if all(b['requests'] for b in bs) else "— (no answers in a round)"
        lines.append(f"| {name} | {med(bs, 'rps'):,.0f} | {med(bs, 'rps') / alone:.2f}× | {p99} | "
                     f"{sum(b['non2xx'] for b in bs)} | {sum(b['socket_errors'] for b in bs)} | {a_text} | {a_err} |")
    lines.append("")
    return lines
