#!/usr/bin/env python3
"""Instructions per proxied request of one or more elemental builds, under callgrind.

Counts are repeatable for the same binary and inputs whatever else the machine is doing, so
two builds can be compared on a busy machine where wrk's requests/s are noisy. Each binary
serves the bench element (bench/proxy.py's) against a small local vendor; after 50 warm-up
requests the counters are zeroed, N requests are sent on one keep-alive connection, and the
counters dumped: every thread of the server is counted. Loopback only; every process started
here is stopped.

`--route /workload` serves the gateway workload instead (bench/elements/workload: the signing
pre hook and the 16-field post hook over the ~1.2 KB record of bench/gateway.py).

usage: bench/instructions.py [--route /hooked] [--requests 500] BINARY [BINARY ...]
"""
import argparse, http.client, http.server, os, socket, subprocess, sys, tempfile, threading, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import proxy  # noqa: E402  (the element and the vendor's body)
import gateway  # noqa: E402  (the workload's record and configuration)

WORKLOAD = "/workload"


def workload_body():
    """The workload's record with what nginx would fill in from the request made fixed."""
    text = __import__("json").dumps(gateway.RECORD, separators=(",", ":"))
    for name, value in {"${http_authorization}": gateway.expected_authorization(),
                        "${http_x_api_timestamp}": gateway.TIMESTAMP, "${arg_pagesize}": "50",
                        "${arg_debug}": "", "${arg_status}": "active"}.items():
        text = text.replace(name, value)
    return text.encode()


def vendor(route):
    body = workload_body() if route == WORKLOAD else proxy.BODY.encode()

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def measure(binary, route, requests, vendor_port):
    work = tempfile.mkdtemp(prefix="elemental-instructions-")
    if route == WORKLOAD:
        __import__("shutil").copytree(gateway.ELEMENT_DIR, f"{work}/elements/workload")
        config = ", ".join(f"{k}: {v}" for k, v in gateway.CONFIG.items())
        open(f"{work}/instances.yaml", "w").write(
            "instances:\n  - id: 1\n    element: workload\n    token: bench\n"
            f"    configuration: {{base.url: \"http://127.0.0.1:{vendor_port}\", {config}}}\n")
        path, headers = f"/records/42?{gateway.QUERY}", {"X-Request-Time": gateway.TIMESTAMP}
    else:
        os.makedirs(f"{work}/elements/bench")
        open(f"{work}/elements/bench/element.yaml", "w").write(proxy.ELEMENT.format(key="bench"))
        open(f"{work}/instances.yaml", "w").write(
            "instances:\n  - id: 1\n    element: bench\n    token: bench\n"
            f"    configuration: {{base.url: \"http://127.0.0.1:{vendor_port}\", api.key: s3cret-key, event.notification.enabled: false}}\n")
        path, headers = route, {}
    port = proxy.free_port()
    out = f"{work}/callgrind.out"
    server = subprocess.Popen(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", binary, "serve",
                               "--elements", f"{work}/elements", "--instances", f"{work}/instances.yaml",
                               "--data", f"{work}/data", "--listen", f"127.0.0.1:{port}", "--workers", "1", "--reload-ms", "0"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ, "RUST_LOG": "error"})
    try:
        deadline = time.time() + 120
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.time() > deadline:
                    raise SystemExit(f"{binary} did not start")
                time.sleep(0.2)
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

        def call():
            connection.request("GET", "/elements/api-v2" + path, headers={"Authorization": "Element bench", **headers})
            reply = connection.getresponse()
            reply.read()
            if reply.status != 200:
                raise SystemExit(f"{binary} answered {reply.status} on {route}")

        for _ in range(50):
            call()
        subprocess.run(["callgrind_control", "-z", str(server.pid)], capture_output=True, check=True)
        for _ in range(requests):
            call()
        subprocess.run(["callgrind_control", "-d", str(server.pid)], capture_output=True, check=True)
    finally:
        server.terminate()
        server.wait()
    dumps = [f for f in os.listdir(work) if f.startswith("callgrind.out.")]
    total = 0
    for dump in dumps:
        for line in open(os.path.join(work, dump)):
            if line.startswith("summary:"):
                total += int(line.split()[1])
    return total / requests


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--route", default="/hooked", help="/hooked (three hooks), /plain (global pre hook only), /lodash, /workload (the gateway workload)")
    ap.add_argument("--requests", type=int, default=500)
    ap.add_argument("binaries", nargs="+")
    args = ap.parse_args()
    server = vendor(args.route)
    results = [(b, measure(b, args.route, args.requests, server.server_address[1])) for b in args.binaries]
    first = results[0][1]
    print(f"| binary | instructions per request ({args.route}, {args.requests} requests) | vs the first |")
    print("|---|---:|---:|")
    for binary, per in results:
        print(f"| {binary} | {per:,.0f} | {per / first:.3f}× |")


if __name__ == "__main__":
    main()
