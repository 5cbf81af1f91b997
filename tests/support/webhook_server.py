"""A webhook server in another language, for tests/webhook_server.rs: Parse's webhook examples
(seed "Cloud Code Webhooks") in Python. Listens on 127.0.0.1 port 0, prints the port, and
answers every POST by its path and payload. Usage: python3 webhook_server.py KEY"""
import json, sys, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

KEY = sys.argv[1]


def answer(path, payload):
    if path == "/slow":
        time.sleep(5)
    if path == "/done":  # a done() result object, as a JavaScript hook would give
        return {"request_vendor_headers": {"X-Python": payload.get("request_method", "")}}
    if path == "/true":
        return {"success": True}
    if path == "/refuse":
        return {"error": "refused by python"}
    if payload.get("functionName") == "helloWorld":
        return {"success": "Hello World!"}
    if payload.get("functionName") == "echo":
        return {"success": {"params": payload["params"], "master": payload["master"]}}
    review = payload.get("object") or {}
    if payload.get("triggerName") == "beforeSave" and review.get("className") == "Review":
        if len(review.get("comment", "")) > 140:
            review["comment"] = review["comment"][:137] + "..."
            return {"success": review}
        return {"success": True}
    return {"error": "Unknown function or trigger"}


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        payload = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        if self.headers.get("X-Parse-Webhook-Key") != KEY:
            reply = {"error": "Request Unauthorized"}
        else:
            reply = answer(self.path, payload)
        body = json.dumps(reply).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
