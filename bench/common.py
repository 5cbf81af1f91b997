"""Helpers shared by the benchmark modules (bench/proxy.py and the sections it runs): ports,
CPU time of a process tree, wrk runs and their parsing, RSS. Loopback only."""
import os, re, shutil, socket, statistics, subprocess, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BINARY = os.path.join(ROOT, "target", "release", "elemental")
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]

def wait_port(port, timeout=30):
    end = time.time() + timeout
    while time.time() < end:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise SystemExit(f"nothing listens on {port}")

def cpu_seconds(pids):
    total = 0.0
    tick = os.sysconf("SC_CLK_TCK")
    for pid in pids:
        for task in os.listdir(f"/proc/{pid}/task") if os.path.exists(f"/proc/{pid}/task") else []:
            try:
                fields = open(f"/proc/{pid}/task/{task}/stat").read().rsplit(")", 1)[1].split()
                total += (int(fields[11]) + int(fields[12])) / tick
            except (OSError, IndexError, ValueError):
                pass
    return total

def children(pid):
    out = [pid]
    try:
        for line in subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split():
            out += children(int(line))
    except OSError:
        pass
    return out

def wrk_cmd(url, connections, duration, script=None, timeout=None):
    cmd = ["wrk", "-t1", f"-c{connections}", f"-d{duration}s", "--latency", "-H", "Authorization: Element bench"]
    if timeout:
        cmd += ["--timeout", f"{timeout}s"]
    if script:
        cmd += ["-s", script]
    return cmd + [url]

def parse_wrk(out):
    def latency(pct):
        m = re.search(rf"^\s+{pct}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        if not m:
            return float("nan")
        value, unit = float(m.group(1)), m.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    total = re.search(r"(\d+) requests in", out)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    sockets = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    statuses = re.search(r"^STATUS ?(.*)$", out, re.M)
    return {"rps": float(rps.group(1)) if rps else 0.0, "p50": latency(50), "p99": latency(99),
            "requests": int(total.group(1)) if total else 0, "non2xx": int(errors.group(1)) if errors else 0,
            "socket_errors": sum(int(g) for g in sockets.groups()) if sockets else 0,
            "timeouts": int(sockets.group(4)) if sockets else 0,
            "statuses": dict(kv.split("=") for kv in statuses.group(1).split()) if statuses else {}}

def wrk(url, connections, duration, script=None, timeout=None):
    return parse_wrk(subprocess.run(wrk_cmd(url, connections, duration, script, timeout), capture_output=True, text=True).stdout)

def measured(url, connections, duration, pid, script=None):
    """One wrk run against a contender, with the CPU its process tree spent per request."""
    before = cpu_seconds(children(pid))
    r = wrk(url, connections, duration, script)
    r["cpu_us"] = (cpu_seconds(children(pid)) - before) / max(r["requests"], 1) * 1e6
    return r

def status_kib(pid, field):
    return int(open(f"/proc/{pid}/status").read().split(f"{field}:")[1].split()[0])

def med(rs, key):
    return statistics.median(r[key] for r in rs)

def lua_script(path, headers, rotate=None):
    """A wrk script setting headers; rotate=(prefix, count) cycles Authorization: Element
    <prefix>0 … <prefix>count-1, request by request."""
    lines = [f'wrk.headers["{k}"] = "{v}"' for k, v in headers.items()]
    if rotate:
        prefix, count = rotate
        lines += ["local n = 0", "local h = {}", "for k, v in pairs(wrk.headers) do h[k] = v end",
                  "request = function() n = n + 1",
                  f" h['Authorization'] = 'Element {prefix}' .. (n % {count})", " return wrk.format(nil, nil, h) end"]
    open(path, "w").write("\n".join(lines) + "\n")
    return path

def stop(p):
    """Stop a process this harness started (its own session) by its PID."""
    import signal
    try:
        os.killpg(p.pid, signal.SIGTERM)
        p.wait(timeout=60)
    except Exception:
        try:
            os.killpg(p.pid, signal.SIGKILL)
        except Exception:
            pass
