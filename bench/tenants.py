"""Hot tenants: 1, 100, 1,000 and 10,000 instances of the gateway workload element (distinct
tokens, api.key and api.secret per instance) on one elemental server each (one worker), every
request to the next instance round-robin (a wrk script cycling through the tokens), 128
connections, interleaved rounds with nginx-lua running the same workload (when available) as
the reference. Reported: startup (until the port listens), requests/s, p99, CPU per request,
RSS after the runs, and the first-request latency of a cold instance (the median of --cold
instances never called before, one request each with a plain HTTP client after the runs),
beside the same client's latency on a warm instance."""
import http.client, os, statistics, subprocess, time

import gateway
from common import NGINX, free_port, wait_port, measured, status_kib, med, lua_script

CONNECTIONS = 128

def _config(i):
    return {"api.key": f"key-{i}", "api.secret": f"secret-{i:05d}-{i * 7919 % 100003}", "page.size": "50"}

def _one_request(port, token):
    """One request on a new connection; seconds until the whole answer is read, and its status."""
    started = time.perf_counter()
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    c.request("GET", f"/elements/api-v2/records/42?{gateway.QUERY}",
              headers={"Authorization": f"Element {token}", "X-Request-Time": gateway.TIMESTAMP})
    r = c.getresponse()
    r.read()
    c.close()
    return time.perf_counter() - started, r.status

def hot_tenants(args, work, spawn, vendor_port):
    sizes = [int(s) for s in args.hot_sizes.split(",") if s.strip()]
    servers = {}
    for size in sizes:
        root = os.path.join(work, f"hot-{size}")
        elements = os.path.join(root, "elements")
        os.makedirs(elements)
        gateway.install_element(elements)
        entries = [gateway.instance_entry(i + 1, f"h{i}", vendor_port, _config(i)) for i in range(size)]
        entries += [gateway.instance_entry(size + i + 1, f"cold{i}", vendor_port, _config(size + i)) for i in range(args.cold)]
        open(os.path.join(root, "instances.yaml"), "w").write("instances:\n" + "".join(entries))
        port = free_port()
        started = time.time()
        p = spawn(args.wrapper.split() + [args.binary, "serve", "--elements", elements, "--instances", os.path.join(root, "instances.yaml"),
                   "--data", os.path.join(root, "data"), "--listen", f"127.0.0.1:{port}", "--workers", "1", "--reload-ms", "0"],
                  env={**os.environ, "RUST_LOG": "error"})
        wait_port(port, timeout=600)
        startup = time.time() - started
        _, status = _one_request(port, f"h{size - 1}")
        if status != 200:
            raise SystemExit(f"hot tenants: {size} instances: instance h{size - 1} answered {status}")
        ready = time.time() - started
        script = lua_script(os.path.join(root, "spread.lua"), {"X-Request-Time": gateway.TIMESTAMP}, rotate=("h", size))
        servers[size] = {"pid": p.pid, "port": port, "startup": startup, "ready": ready, "script": script,
                         "url": f"http://127.0.0.1:{port}/elements/api-v2/records/42?{gateway.QUERY}"}
        print(f"hot tenants: {size:,} instances listening after {startup:.2f} s, first answer after {ready:.2f} s", flush=True)
    reference = None
    if gateway.lua_available():
        os.makedirs(os.path.join(work, "hot-lua"), exist_ok=True)
        lua, lua_url = gateway.start_nginx_lua(NGINX, os.path.join(work, "hot-lua"), vendor_port, spawn)
        reference = (lua.pid, f"{lua_url}/records/42?{gateway.QUERY}", gateway.script(work, name="hot-ref.lua"))
    for size, server in servers.items():  # warm up: contexts for as many instances as the pool keeps
        measured(server["url"], 16, 2, server["pid"], server["script"])
    results = {}
    for round_ in range(args.rounds):
        if reference:
            r = measured(reference[1], CONNECTIONS, args.duration, reference[0], reference[2])
            results.setdefault("lua", []).append(r)
            print(f"hot round {round_ + 1} nginx-lua {r['rps']:>9.0f} rps  p99 {r['p99']:.2f} ms", flush=True)
        for size, server in servers.items():
            r = measured(server["url"], CONNECTIONS, args.duration, server["pid"], server["script"])
            results.setdefault(size, []).append(r)
            print(f"hot round {round_ + 1} {size:>6} instances {r['rps']:>9.0f} rps  p99 {r['p99']:.2f} ms  "
                  f"cpu {r['cpu_us']:.1f} µs/req  non-2xx {r['non2xx']}  socket errors {r['socket_errors']}", flush=True)
    base = med(results["lua"], "rps") if reference else None
    title = f", nginx-lua {base:,.0f} requests/s on the same workload in the same rounds" if base else ""
    lines = [f"### Hot tenants (the workload element, requests round-robin over every instance, {CONNECTIONS} connections, one worker{title})", "",
             "| instances | startup s (listening, first answer) | requests/s | p99 ms | CPU µs/request | vs nginx-lua | RSS MiB | peak RSS MiB | cold first request ms (median, max) | warm request ms (median) | non-2xx |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for size, server in servers.items():
        rss, peak = status_kib(server["pid"], "VmRSS") / 1024, status_kib(server["pid"], "VmHWM") / 1024
        cold = [_one_request(server["port"], f"cold{i}") for i in range(args.cold)]
        warm = [_one_request(server["port"], "h0") for _ in range(args.cold)]
        bad = sum(1 for _, s in cold + warm if s != 200)
        rs = results[size]
        cold_ms = [c * 1000 for c, _ in cold]
        lines.append(f"| {size:,} | {server['startup']:.2f}, {server['ready']:.2f} | {med(rs, 'rps'):,.0f} | {med(rs, 'p99'):.2f} | {med(rs, 'cpu_us'):.1f} | "
                     + (f"{med(rs, 'rps') / base:.2f}× | " if base else "— | ")
                     + f"{rss:.0f} | {peak:.0f} | {statistics.median(cold_ms):.1f} ({max(cold_ms):.1f}) | "
                     f"{statistics.median(w * 1000 for w, _ in warm):.1f} | {sum(r['non2xx'] for r in rs) + bad} |")
    lines.append("")
    return lines
