#!/usr/bin/env python3
"""Side-by-side proxy benchmark, interleaved (A B C … A B C …), on 127.0.0.1 only.

Contenders: the vendor directly (nginx returning a fixed ~1 KB JSON), nginx as a plain reverse
proxy, elemental without hooks, elemental with three hooks (global pre: CE HMAC-SHA256 of the
path as a header; resource pre: a query parameter; post: parse the JSON body and map fields),
the same with require('lodash') in the post hook, and event ingest (POST to the webhook
endpoint of a second elemental server, so its processing backlog does not run during the
others). Load by wrk, one thread. Each server gets one worker, so the figures compare the
cost per core. Reports requests/s, p50, p99, CPU per request (user+system time of the
contender's processes over the run / requests) and the ratio to nginx-plain in the same run.
Then the elements-loaded runs (--scale): 1, 10, 100 and 1,000 copies of the three-hook element,
one server each, requests to one instance and spread over all, with RSS. Every process
started here is stopped by its PID.

usage: bench/proxy.py [--rounds 3] [--duration 8] [--connections 32,128] [--scale 1,10,100,1000]
                      [--out bench/results.md] [--only "name;name"] [--binary PATH] [--baseline PATH]
                      [--wrapper "valgrind --tool=callgrind --callgrind-out-file=F"] [--perf DIR]
"""
import argparse, json, os, re, shutil, signal, socket, statistics, subprocess, sys, tempfile, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import ROOT, BINARY, NGINX, free_port, wait_port, cpu_seconds, children, wrk, status_kib, stop
import gateway, tenants, noisy
ITEM = {"id": 42, "first_name": "Ada", "last_name": "Lovelace", "email_address": "ada@example.com",
        "company": "Analytical Engines Ltd", "phone": "+44 20 7946 0000", "title": "Countess",
        "address": {"street": "12 St James's Square", "city": "London", "postcode": "SW1Y 4JH", "country": "GB"},
        "tags": ["mathematics", "poetry", "engines", "notes"], "created_at": "1843-07-01T10:00:00Z",
        "updated_at": "1852-11-27T09:30:00Z", "notes": "Wrote the first algorithm intended for a machine; " * 8}
BODY = json.dumps(ITEM)

# The element of the hooked contenders; `{key}` differs per copy in the elements-loaded runs.
ELEMENT = """key: {key}
configuration:
  - key: base.url
  - key: api.key
    type: PASSWORD
  - key: event.notification.enabled
    type: BOOLEAN
hooks:
  - type: preRequest
    body: |
      request_vendor_headers['X-Signature'] = CE.hmacSha256Hex(configuration['api.key'], request_vendor_path);
      done({{ request_vendor_headers: request_vendor_headers }});
  - type: event
    body: |
      done({{ events: [{{ event_type: 'CREATED', event_object_type: 'orders', event_object_id: events.id }}] }});
resources:
  - method: GET
    path: /plain
    vendorPath: /v1/items/42
  - method: GET
    path: /hooked
    vendorPath: /v1/items/42
    hooks:
      - type: preRequest
        body: |
          done({{ request_vendor_parameters: {{ include: 'address' }} }});
      - type: postRequest
        body: |
          const c = response_body;
          done({{ response_body: {{ id: String(c.id), firstName: c.first_name, lastName: c.last_name, email: c.email_address, city: c.address.city, tags: c.tags.length }} }});
  - method: GET
    path: /lodash
    vendorPath: /v1/items/42
    hooks:
      - type: preRequest
        body: |
          done({{ request_vendor_parameters: {{ include: 'address' }} }});
      - type: postRequest
        body: |
          const _ = require('lodash');
          const c = response_body;
          done({{ response_body: _.mapKeys(_.pick(c, ['id', 'first_name', 'last_name', 'email_address']), (v, k) => _.camelCase(k)) }});
"""

GATEWAY = ["nginx-lua, workload", "node 20, shared vm, workload", "node 20, vm per request, workload"]

def scale_runs(args, work, spawn, vendor_port, nginx_url, nginx_pid):
    """Elements loaded: one server per count (1, 10, 100, 1,000 copies of the three-hook
    element, an instance each), all running at once and measured interleaved at 128
    connections: requests to one instance, then spread round-robin over every instance
    (each instance has its own pooled context). RSS is read after the runs."""
    counts = [int(c) for c in args.scale.split(",")]
    servers = {}
    for count in counts:
        root = os.path.join(work, f"scale-{count}")
        os.makedirs(root)
        entries = []
        for i in range(count):
            folder = os.path.join(root, "elements", f"bench{i}")
            os.makedirs(folder)
            open(os.path.join(folder, "element.yaml"), "w").write(ELEMENT.format(key=f"bench{i}"))
            entries.append(f"""  - id: {i + 1}
    element: bench{i}
    token: t{i}
    configuration: {{base.url: "http://127.0.0.1:{vendor_port}", api.key: s3cret-key, event.notification.enabled: false}}
""")
        open(os.path.join(root, "instances.yaml"), "w").write("instances:\n" + "".join(entries))
        scripts = {}
        for name, spread in (("one", 1), ("spread", count)):
            path = os.path.join(root, f"{name}.lua")
            open(path, "w").write(f"local n = 0\nrequest = function() n = n + 1\n"
                                  f" return wrk.format(nil, nil, {{Authorization = 'Element t' .. (n % {spread})}}) end\n")
            scripts[name] = path
        port = free_port()
        started = time.time()
        p = spawn(args.wrapper.split() + [args.binary, "serve", "--elements", os.path.join(root, "elements"),
                   "--instances", os.path.join(root, "instances.yaml"), "--data", os.path.join(root, "data"),
                   "--listen", f"127.0.0.1:{port}", "--workers", "1", "--reload-ms", "0"], env={**os.environ, "RUST_LOG": "error"})
        wait_port(port, timeout=300)
        servers[count] = {"pid": p.pid, "url": f"http://127.0.0.1:{port}/elements/api-v2/hooked", "scripts": scripts,
                          "startup": time.time() - started}
        for name in scripts:
            wrk(servers[count]["url"], 8, 2, scripts[name])  # warm up: a pooled context per instance
    connections = 128
    results = {}
    for round_ in range(args.rounds):
        r = wrk(nginx_url, connections, args.duration)
        results.setdefault("nginx", []).append(r)
        print(f"scale round {round_ + 1} nginx-plain {r['rps']:>9.0f} rps", flush=True)
        for count, server in servers.items():
            for name, script in server["scripts"].items():
                before = cpu_seconds(children(server["pid"]))
                r = wrk(server["url"], connections, args.duration, script)
                r["cpu_us"] = (cpu_seconds(children(server["pid"])) - before) / max(r["requests"], 1) * 1e6
                results.setdefault((count, name), []).append(r)
                print(f"scale round {round_ + 1} {count:>5} elements {name:<6} {r['rps']:>9.0f} rps  p99 {r['p99']:.2f} ms  "
                      f"cpu {r['cpu_us']:.1f} µs/req  non-2xx {r['non2xx']}", flush=True)
    base = statistics.median(r["rps"] for r in results["nginx"])
    lines = [f"### Elements loaded (three-hook element copies, 128 connections, nginx-plain {base:,.0f} requests/s in the same rounds)", "",
             "| elements | startup s | one instance: requests/s | p99 ms | vs nginx | spread over all: requests/s | p99 ms | vs nginx | RSS MiB | peak RSS MiB |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for count, server in servers.items():
        one, spread = results[(count, "one")], results[(count, "spread")]
        med = lambda rs, k: statistics.median(r[k] for r in rs)
        non2xx = sum(r["non2xx"] for r in one + spread)
        lines.append(f"| {count:,} | {server['startup']:.1f} | {med(one, 'rps'):,.0f} | {med(one, 'p99'):.2f} | {med(one, 'rps') / base:.2f}× | "
                     f"{med(spread, 'rps'):,.0f} | {med(spread, 'p99'):.2f} | {med(spread, 'rps') / base:.2f}× | "
                     f"{status_kib(server['pid'], 'VmRSS') / 1024:.0f} | {status_kib(server['pid'], 'VmHWM') / 1024:.0f} |"
                     + (f" ({non2xx} non-2xx)" if non2xx else ""))
    lines.append("")
    return lines

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--duration", type=int, default=8)
    ap.add_argument("--connections", default="32,128")
    ap.add_argument("--out", default=os.path.join(ROOT, "bench", "results.md"))
    ap.add_argument("--binary", default=BINARY, help="the elemental binary to measure")
    ap.add_argument("--baseline", default="", help="a second elemental binary (an older build): its server runs the same "
                    "no-hook and three-hook contenders, interleaved with the first, for a before/after table from one run")
    ap.add_argument("--wrapper", default="", help="a command elemental runs under, e.g. 'valgrind --tool=callgrind' to count instructions")
    ap.add_argument("--scale", default="1,10,100,1000", help="elements loaded in the elements-loaded runs ('' to skip them)")
    ap.add_argument("--only", default="", help="contender names to run, separated by ; (nginx-plain is always run); "
                    "sections may be named too: 'gateway' (the gateway-workload contenders), 'scale', 'hot', 'noisy'; once a "
                    "section is named, only the sections named run (naming only scale/hot/noisy skips the contenders' table)")
    ap.add_argument("--hot-sizes", default="1,100,1000,10000", help="instances in the hot-tenant runs ('' to skip them)")
    ap.add_argument("--cold", type=int, default=20, help="cold instances timed once each in the hot-tenant runs")
    ap.add_argument("--noisy", action="store_true", help="run the noisy-neighbour section (also: --only noisy)")
    ap.add_argument("--perf", default="", help="a folder: record a perf profile (cpu-clock) of each elemental run into it")
    args = ap.parse_args()
    # --only: contender names filter the table (and, as before, leave the elements-loaded runs on);
    # naming a section (gateway, scale, hot, noisy) runs the sections named and no other.
    wanted = {n.strip() for n in args.only.split(";") if n.strip()}
    sections = wanted & {"gateway", "scale", "hot", "noisy"}
    if "gateway" in wanted:
        wanted |= set(GATEWAY) | {"elemental, no hooks", "elemental, workload hooks"}
    run_table = not wanted or bool(wanted - {"scale", "hot", "noisy"})
    run_scale = bool(args.scale) and (not wanted or "scale" in sections or (run_table and not sections))
    run_hot = bool(args.hot_sizes) and (not wanted or "hot" in sections)
    run_noisy = args.noisy or "noisy" in sections
    work = tempfile.mkdtemp(prefix="elemental-bench-")
    os.chmod(work, 0o755)  # nginx's workers run as an unprivileged user and read item.json
    started = []

    def spawn(cmd, **kw):
        p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True, **kw)
        started.append(p)
        return p

    try:
        vendor_port, proxy_port = free_port(), free_port()
        conf = os.path.join(work, "nginx.conf")
        with open(os.path.join(work, "item.json"), "w") as f:
            f.write(BODY)
        open(conf, "w").write(f"""
worker_processes 1; daemon off; pid {work}/nginx.pid; error_log {work}/error.log warn;
events {{ worker_connections 4096; }}
http {{
  access_log off; keepalive_requests 100000;
  upstream vendor {{ server 127.0.0.1:{vendor_port}; keepalive 256; }}
  server {{ listen 127.0.0.1:{vendor_port}; location / {{ default_type application/json; root {work}; try_files /item.json =404; }}
    {gateway.vendor_location()} }}
}}""")
        proxy_conf = os.path.join(work, "proxy.conf")
        open(proxy_conf, "w").write(f"""
worker_processes 1; daemon off; pid {work}/proxy.pid; error_log {work}/proxy-error.log warn;
events {{ worker_connections 4096; }}
http {{
  access_log off; keepalive_requests 100000;
  upstream vendor {{ server 127.0.0.1:{vendor_port}; keepalive 256; }}
  server {{ listen 127.0.0.1:{proxy_port};
    location / {{ proxy_pass http://vendor/v1/items/42; proxy_http_version 1.1; proxy_set_header Connection ""; }} }}
}}""")
        vendor = spawn([NGINX, "-c", conf, "-p", work])
        proxy = spawn([NGINX, "-c", proxy_conf, "-p", work])
        wait_port(vendor_port); wait_port(proxy_port)

        elements = os.path.join(work, "elements")
        os.makedirs(os.path.join(elements, "bench", "hooks"))
        open(os.path.join(elements, "bench", "element.yaml"), "w").write(ELEMENT.format(key="bench"))
        # The global pre hook must not run on /plain: a second element without hooks serves it.
        os.makedirs(os.path.join(elements, "plain"))
        open(os.path.join(elements, "plain", "element.yaml"), "w").write("""key: plain
configuration:
  - key: base.url
resources:
  - method: GET
    path: /plain
    vendorPath: /v1/items/42
""")
        instances = os.path.join(work, "instances.yaml")
        open(instances, "w").write(f"""instances:
  - id: 1
    element: bench
    token: bench
    configuration: {{base.url: "http://127.0.0.1:{vendor_port}", api.key: s3cret-key, event.notification.enabled: false}}
  - id: 2
    element: plain
    token: plain
    configuration: {{base.url: "http://127.0.0.1:{vendor_port}"}}
""" + gateway.instance_entry(3, "gw", vendor_port))
        gateway.install_element(elements)
        el_port = free_port()
        elemental = spawn(args.wrapper.split() + [args.binary, "serve", "--elements", elements, "--instances", instances, "--data", os.path.join(work, "data"),
                           "--listen", f"127.0.0.1:{el_port}", "--workers", "1", "--reload-ms", "0"], env={**os.environ, "RUST_LOG": "error"})
        wait_port(el_port, timeout=120)
        # Event ingest gets a server of its own: the events it takes are processed (event hook,
        # SQLite) after the answer, and that backlog must not run during the proxy contenders.
        ingest_port = free_port()
        ingest = spawn([args.binary, "serve", "--elements", elements, "--instances", instances, "--data", os.path.join(work, "ingest-data"),
                        "--listen", f"127.0.0.1:{ingest_port}", "--workers", "1", "--reload-ms", "0"], env={**os.environ, "RUST_LOG": "error"})
        wait_port(ingest_port, timeout=120)
        baseline = None
        if args.baseline:
            baseline_port = free_port()
            baseline = spawn([args.baseline, "serve", "--elements", elements, "--instances", instances, "--data", os.path.join(work, "baseline-data"),
                              "--listen", f"127.0.0.1:{baseline_port}", "--workers", "1", "--reload-ms", "0"], env={**os.environ, "RUST_LOG": "error"})
            wait_port(baseline_port, timeout=120)
        post_lua = os.path.join(work, "post.lua")
        open(post_lua, "w").write('wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\n'
                                  'local n = 0\nrequest = function() n = n + 1\n return wrk.format(nil, nil, nil, \'{"id":\' .. n .. \',"total":"19.99"}\') end\n')
        plain_lua = os.path.join(work, "plain.lua")
        open(plain_lua, "w").write('wrk.headers["Authorization"] = "Element plain"\n')
        el = f"http://127.0.0.1:{el_port}/elements/api-v2"
        contenders = [
            ("vendor directly", f"http://127.0.0.1:{vendor_port}/v1/items/42", [vendor.pid], None),
            ("nginx-plain", f"http://127.0.0.1:{proxy_port}/", [proxy.pid], None),
            ("elemental, no hooks", f"{el}/plain", [elemental.pid], plain_lua),
            ("elemental, 3 hooks", f"{el}/hooked", [elemental.pid], None),
            ("elemental, 3 hooks + lodash", f"{el}/lodash", [elemental.pid], None),
            ("elemental, event ingest", f"http://127.0.0.1:{ingest_port}/elements/api-v2/events/bench", [ingest.pid], post_lua),
        ]
        if baseline:
            bl = f"http://127.0.0.1:{baseline_port}/elements/api-v2"
            contenders[3:3] = [("baseline, no hooks", f"{bl}/plain", [baseline.pid], plain_lua),
                               ("baseline, 3 hooks", f"{bl}/hooked", [baseline.pid], None)]
        gw_script = gateway.script(work)
        q = f"records/42?{gateway.QUERY}"
        contenders += [("elemental, workload hooks", f"{el}/{q}", [elemental.pid], gw_script)]
        if not wanted or wanted & set(GATEWAY):
            if gateway.lua_available() and (not wanted or GATEWAY[0] in wanted):
                lua, lua_url = gateway.start_nginx_lua(NGINX, work, vendor_port, spawn)
                contenders.insert(2, (GATEWAY[0], f"{lua_url}/{q}", [lua.pid], gw_script))
            elif not gateway.lua_available():
                print("nginx-lua left out: no lua-nginx-module (apt-get install libnginx-mod-http-lua lua-cjson lua-luaossl)", flush=True)
            for name, mode in ((GATEWAY[1], "shared"), (GATEWAY[2], "fresh")):
                if (not wanted or name in wanted) and not shutil.which("node"):
                    print(f"{name} left out: no node", flush=True)
                elif not wanted or name in wanted:
                    node, node_url = gateway.start_node(mode, vendor_port, spawn)
                    contenders.append((name, f"{node_url}/{q}", [node.pid], gw_script))
        if wanted:
            contenders = [c for c in contenders if c[0] in wanted | {"nginx-plain"}] if run_table else []
        if any(sc == gw_script for _, _, _, sc in contenders):
            gateway.check([(n, u) for n, u, _, sc in contenders if sc == gw_script])
        # Warm up every path (pooled contexts, connection pools), and check each answers 2xx.
        for name, url, _, script in contenders:
            r = wrk(url, 8, 1, script)
            if r["non2xx"]:
                token = "plain" if script == plain_lua else "gw" if script == gw_script else "bench"
                sample = subprocess.run(["curl", "-s", "-H", f"Authorization: Element {token}", url], capture_output=True, text=True).stdout[:500]
                raise SystemExit(f"{name} answered non-2xx during warm-up: {sample}")
        results = {}
        for connections in [int(c) for c in args.connections.split(",")]:
            for round_ in range(args.rounds):
                for name, url, pids, script in contenders:
                    before = cpu_seconds(children(pids[0]))
                    recorder = None
                    if args.perf and pids[0] == elemental.pid:
                        os.makedirs(args.perf, exist_ok=True)
                        data = os.path.join(args.perf, f"{name.replace(' ', '').replace(',', '-')}-c{connections}.data")
                        recorder = subprocess.Popen(["perf", "record", "-e", "cpu-clock", "-F", "2000", "-g", "-o", data, "-p", str(elemental.pid)],
                                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                    r = wrk(url, connections, args.duration, script)
                    if recorder:
                        recorder.send_signal(signal.SIGINT)
                        recorder.wait(timeout=60)
                    r["cpu_us"] = (cpu_seconds(children(pids[0])) - before) / max(r["requests"], 1) * 1e6
                    results.setdefault((connections, name), []).append(r)
                    print(f"c={connections} round {round_ + 1} {name:<30} {r['rps']:>9.0f} rps  p50 {r['p50']:.2f} ms  p99 {r['p99']:.2f} ms  cpu {r['cpu_us']:.1f} µs/req  non-2xx {r['non2xx']}", flush=True)
        rss = status_kib(elemental.pid, "VmRSS")
        lines = [f"Machine: {os.cpu_count()} vCPU, {os.uname().sysname} {os.uname().release}; nginx {subprocess.run([NGINX, '-v'], capture_output=True, text=True).stderr.strip().split('/')[-1]}; "
                 f"{subprocess.run(['wrk', '--version'], capture_output=True, text=True).stdout.split(chr(10))[0].split(' [')[0]}; "
                 f"{'node ' + subprocess.run(['node', '--version'], capture_output=True, text=True).stdout.strip() + '; ' if shutil.which('node') else ''}"
                 f"{time.strftime('%Y-%m-%d')}. One worker per server (node: one process), wrk -t1, {args.duration} s per run, {args.rounds} interleaved rounds, medians. elemental RSS after the runs: {rss // 1024} MiB.", ""]
        if not run_table:
            lines = [lines[0].split(" elemental RSS")[0], ""]
        for connections in sorted({c for c, _ in results}):
            base = statistics.median(r["rps"] for r in results[(connections, "nginx-plain")])
            base_p99 = statistics.median(r["p99"] for r in results[(connections, "nginx-plain")])
            lua_rs = results.get((connections, GATEWAY[0]))
            lua_cols = ["rps vs nginx-lua", "p99 vs nginx-lua"] if lua_rs else []
            lines += [f"### {connections} connections", "", "| contender | requests/s | p50 ms | p99 ms | CPU µs/request | rps vs nginx-plain | p99 vs nginx-plain |"
                      + "".join(f" {c} |" for c in lua_cols), "|---|---:|---:|---:|---:|---:|---:|" + "---:|" * len(lua_cols)]
            for name, _, _, _ in contenders:
                rs = results[(connections, name)]
                rps = statistics.median(r["rps"] for r in rs)
                p50 = statistics.median(r["p50"] for r in rs)
                p99 = statistics.median(r["p99"] for r in rs)
                cpu = statistics.median(r["cpu_us"] for r in rs)
                lines.append(f"| {name} | {rps:,.0f} | {p50:.2f} | {p99:.2f} | {cpu:.1f} | {rps / base:.2f}× | {p99 / base_p99:.2f}× |"
                             + (f" {rps / statistics.median(r['rps'] for r in lua_rs):.2f}× | {p99 / statistics.median(r['p99'] for r in lua_rs):.2f}× |" if lua_rs else ""))
            lines.append("")
        if run_scale:
            lines += scale_runs(args, work, spawn, vendor_port, f"http://127.0.0.1:{proxy_port}/", proxy.pid)
        if run_hot:
            lines += tenants.hot_tenants(args, work, spawn, vendor_port)
        if run_noisy:
            lines += noisy.noisy_neighbour(args, work, spawn, vendor_port)
        open(args.out, "w").write("\n".join(lines))
        print("\n".join(lines))
    finally:
        for p in started:
            stop(p)
        shutil.rmtree(work, ignore_errors=True)

if __name__ == "__main__":
    main()
