"""The gateway workload, run the same way by every contender (bench/elements/workload): sign the
vendor call (HMAC-SHA256, base64, of METHOD\\nPATH\\nTIMESTAMP with api.secret, as
`Authorization: HMAC-SHA256 <api.key>:<sig>` and `X-Api-Timestamp`), set pageSize, drop debug,
then map 16 fields of the vendor's 1.1 KB record. Contenders: nginx + lua-nginx-module
(bench/peers/gateway.lua), Node 20 with the element's own hook files in one shared vm context
and in a fresh context per request (bench/peers/node-gateway.js), and elemental (the element).

The vendor's record echoes what it received (Authorization, X-Api-Timestamp, pageSize, debug,
status), and the post hook maps that into the answer: before any timing, `check` fetches one
answer from each contender with the same request, compares them, and checks the signature
against one computed here. A difference stops the run."""
import base64, hashlib, hmac, json, os, shutil, subprocess, urllib.request

from common import ROOT, free_port, wait_port, lua_script

PEERS = os.path.join(ROOT, "bench", "peers")
ELEMENT_DIR = os.path.join(ROOT, "bench", "elements", "workload")
CONFIG = {"api.key": "bench-key", "api.secret": "bench-secret", "page.size": "50"}
TIMESTAMP = "1700000000000"
QUERY = "status=active&debug=1"
VENDOR_PATH = "/v2/records/42"
LUA_MODULES = ["/usr/lib/nginx/modules/ndk_http_module.so", "/usr/lib/nginx/modules/ngx_http_lua_module.so"]

RECORD = {
    "id": 42, "first_name": "  Ada ", "last_name": "Lovelace ",
    "email": " Ada.Lovelace@Example.COM ", "status": "ACTIVE",
    "company": {"name": "Analytical Engines Ltd", "domain": "Analytical-Engines.example"},
    "contact": {"phone": "+44 20 7946 0000", "preferred": "email"},
    "address": {"street": "12 Saint James Square", "city": "London", "postcode": "SW1Y 4JH", "country_code": "gb",
                "geo": {"lat": 51.5074, "lng": -0.1345}},
    "owner": {"id": 7, "first": "Charles", "last": "Babbage", "email": "Charles.Babbage@Example.com"},
    "tags": ["mathematics", "poetry", "engines", "notes"],
    "items": [{"sku": f"AE-00{i}", "name": f" {name} ", "quantity": q, "unit_price_cents": c}
              for i, (name, q, c) in enumerate([("Difference Engine", 1, 1999900), ("Analytical Engine", 2, 4999900),
                                                ("Punched cards (box)", 40, 1250), ("Mill gear set", 3, 78000),
                                                ("Store column", 12, 15500)], 1)],
    "created_at": "1843-07-01T10:00:00Z", "updated_at": "1852-11-27T09:30:00Z",
    
    "received": {"authorization": "${http_authorization}", "timestamp": "${http_x_api_timestamp}",
                 "page_size": "${arg_pagesize}", "debug": "${arg_debug}", "status": "${arg_status}"},
}

def vendor_location():
    """The vendor's location for the workload (inside the vendor nginx's server block): the
    record as a `return` with what the request carried filled in."""
    body = json.dumps(RECORD, separators=(",", ":"))
    assert "'" not in body and "\\" not in body
    return f"location /v2/records/ {{ default_type application/json; return 200 '{body}'; }}"

def expected_authorization(config=CONFIG, method="GET", path=VENDOR_PATH, ts=TIMESTAMP):
    sig = base64.b64encode(hmac.new(config["api.secret"].encode(), f"{method}\n{path}\n{ts}".encode(), hashlib.sha256).digest()).decode()
    return f"HMAC-SHA256 {config['api.key']}:{sig}"

def lua_available():
    return all(os.path.exists(m) for m in LUA_MODULES)

def start_nginx_lua(nginx, work, vendor_port, spawn):
    port = free_port()
    conf = open(os.path.join(PEERS, "nginx-lua.conf")).read()
    for k, v in {"@WORK@": work, "@PEERS@": PEERS, "@PORT@": str(port), "@VENDOR_PORT@": str(vendor_port),
                 "@MODULES@": "".join(f"load_module {m};\n" for m in LUA_MODULES)}.items():
        conf = conf.replace(k, v)
    path = os.path.join(work, "nginx-lua.conf")
    open(path, "w").write(conf)
    p = spawn([nginx, "-c", path, "-p", work])
    wait_port(port)
    return p, f"http://127.0.0.1:{port}"

def start_node(mode, vendor_port, spawn):
    node = shutil.which("node")
    if not node:
        raise SystemExit("node (20) is needed for the node contenders: apt-get install nodejs, or leave them out with --only")
    port = free_port()
    p = spawn([node, os.path.join(PEERS, "node-gateway.js"), "--port", str(port), "--vendor", f"http://127.0.0.1:{vendor_port}",
               "--element", ELEMENT_DIR, "--mode", mode, "--config", json.dumps(CONFIG)])
    wait_port(port)
    return p, f"http://127.0.0.1:{port}"

def install_element(elements):
    """Copies the workload element into an elements folder (as `workload`)."""
    shutil.copytree(ELEMENT_DIR, os.path.join(elements, "workload"))

def instance_entry(id_, token, vendor, config=CONFIG, extra=""):
    """One instance of the workload element in instances.yaml; vendor: "PORT" or "PORT/base/path"."""
    conf = ", ".join(f"{k}: {json.dumps(v)}" for k, v in config.items())
    return (f"  - id: {id_}\n    element: workload\n    token: {token}\n"
            f"    configuration: {{base.url: \"http://127.0.0.1:{vendor}\", {conf}{extra}}}\n")

def script(work, token="gw", name="gateway.lua"):
    return lua_script(os.path.join(work, name), {"Authorization": f"Element {token}", "X-Request-Time": TIMESTAMP})

def fetch(url, token="gw"):
    req = urllib.request.Request(url, headers={"Authorization": f"Element {token}", "X-Request-Time": TIMESTAMP})
    with urllib.request.urlopen(req, timeout=30) as r:
        return r.status, r.read()

def check(contenders):
    """contenders: [(name, url)]. Same request to each; same answer, and the vendor got the right
    signature, pageSize and no debug. Raises SystemExit otherwise."""
    want = expected_authorization()
    answers = {}
    for name, url in contenders:
        try:
            status, body = fetch(url)
            answers[name] = json.loads(body)
        except Exception as e:
            raise SystemExit(f"identical-answers check: {name} ({url}) failed: {e}")
        got = answers[name].get("vendorReceived", {})
        problems = [f"{k}={got.get(k)!r}, want {v!r}" for k, v in
                    (("authorization", want), ("timestamp", TIMESTAMP), ("pageSize", CONFIG["page.size"]), ("debug", ""), ("status", "active"))
                    if got.get(k) != v]
        if status != 200 or problems:
            raise SystemExit(f"identical-answers check: {name} answered {status}; the vendor received: {'; '.join(problems)}\n{body[:800]!r}")
    first_name, first = next(iter(answers.items()))
    for name, answer in answers.items():
        if answer != first:
            diff = [k for k in sorted(set(first) | set(answer)) if first.get(k) != answer.get(k)]
            raise SystemExit(f"identical-answers check: {name} differs from {first_name} in {diff}:\n"
                             f"{first_name}: {json.dumps({k: first.get(k) for k in diff})}\n{name}: {json.dumps({k: answer.get(k) for k in diff})}")
    print(f"identical answers from {', '.join(answers)}; vendor got {want}", flush=True)
    return first
