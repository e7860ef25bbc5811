#!/usr/bin/python3
"""A small TIGRESS relay written the way a vendor would wrap their own stack.

Standard library only. Serves the six endpoints of the TIGRESS HTTP draft over
TLS (the certificate and key the harness gives), keeps mailboxes in memory and
prints "READY <port>" on stdout once it accepts connections.

Usage: relay.py --port PORT --cert PEM --key PEM --public-url URL
(--port 0: the OS picks a free port; the READY line names the one bound)
"""
import argparse
import base64
import binascii
import html
import json
import re
import secrets
import ssl
import sys
import threading
import uuid
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

UUID_RE = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
MAILBOX_PATH = re.compile(r"^/v1/m/([^/]+)$")
KEY_LENGTHS = {"AEAD_AES_128_GCM": 16, "AEAD_AES_256_GCM": 32}
MAX_BODY = 65536
DEFAULT_TTL = timedelta(days=1)


class Mailbox:
    def __init__(self, initiator, payload, display, rights, expiration):
        self.initiator = initiator
        self.recipient = None
        self.payload = payload
        self.display = display
        self.rights = rights
        self.expiration = expiration


class Relay:
    """All mailbox state and decisions; the HTTP handler only translates."""

    def __init__(self, public_url):
        self.public_url = public_url.rstrip("/")
        self.lock = threading.Lock()
        self.mailboxes = {}
        # (mailbox id or "create", claim) -> (last request id, response) for duplicates
        self.last_request = {}

    def live(self, mailbox_id):
        box = self.mailboxes.get(mailbox_id.lower())
        if box is None:
            return None
        if datetime.now(timezone.utc) >= box.expiration:
            del self.mailboxes[mailbox_id.lower()]
            return None
        return box


def parse_expiration(text):
    if not isinstance(text, str) or not re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$", text):
        return None
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return value.astimezone(timezone.utc).replace(microsecond=0)


def valid_payload(payload):
    if not isinstance(payload, dict) or payload.get("type") not in KEY_LENGTHS:
        return False
    data = payload.get("data")
    if not isinstance(data, str):
        return False
    try:
        raw = base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError):
        return False
    return len(raw) >= 28 and base64.b64encode(raw).decode() == data


def valid_display(display):
    return isinstance(display, dict) and all(
        isinstance(display.get(k), str) for k in ("title", "description", "imageURL"))


def valid_rights(rights):
    return isinstance(rights, str) and len(rights) == len(set(rights)) and set(rights) <= set("RWD")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = 30  # idle or slow clients are cut off
    relay = None  # set by main()

    def log_message(self, fmt, *args):
        # One short line per request: never ids in full, claims or bodies.
        sys.stderr.write("python-relay: %s %s\n" % (self.command, args[1] if len(args) > 1 else ""))

    # ---- helpers -------------------------------------------------------
    def single_header(self, name):
        values = self.headers.get_all(name) or []
        return values[0].strip() if len(values) == 1 else None

    def reply(self, status, body=None, content_type="application/json", extra=None):
        data = b"" if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode())
        self.send_response(status)
        request_id = self.headers.get("Mailbox-Request-ID")
        if request_id is not None:
            self.send_header("Mailbox-Request-ID", request_id)
        if data:
            self.send_header("Content-Type", content_type)
        for key, value in (extra or {}).items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def error(self, status, token, detail):
        self.reply(status, {"error": token, "detail": detail})

    def read_body(self):
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            # Refused unread (RFC 9110 15.5.14); the unread body leaves the
            # connection unusable, so it ends with the answer.
            self.close_connection = True
            return None, 413
        raw = self.rfile.read(length) if length else b""
        return raw, 200

    def too_large(self):
        self.reply(413, {"error": "too_large", "detail": "body"}, extra={"Connection": "close"})

    def claim_and_request_id(self, need_request_id=True):
        claim = self.single_header("Mailbox-Device-Claim")
        if claim is None or not UUID_RE.match(claim):
            return None, None, "Mailbox-Device-Claim"
        request_id = self.single_header("Mailbox-Request-ID")
        if need_request_id and (request_id is None or not UUID_RE.match(request_id)):
            return None, None, "Mailbox-Request-ID"
        return claim.lower(), request_id, None

    def mailbox_id(self):
        path = self.raw_path()
        match = MAILBOX_PATH.match(path)
        if not match or not UUID_RE.match(match.group(1)):
            return None
        return match.group(1).lower()

    # ---- endpoints ------------------------------------------------------
    def raw_path(self):
        # http.server collapses a leading "//" in self.path; judge the path as sent.
        return self.requestline.split(" ")[1].split("?", 1)[0] if " " in self.requestline else ""

    def do_POST(self):
        path = self.raw_path()
        if path == "/v1/m":
            return self.create()
        if self.mailbox_id() is None:
            return self.error(404, "not_found", "path")
        return self.read_secure()

    def create(self):
        raw, status = self.read_body()
        if status == 413:
            return self.too_large()
        claim, request_id, missing = self.claim_and_request_id()
        if missing:
            return self.error(400, "bad_header", missing)
        try:
            body = json.loads(raw)
        except (ValueError, UnicodeDecodeError, RecursionError):  # RecursionError: deep nesting
            return self.error(400, "bad_json", "body")
        if not isinstance(body, dict) or not valid_payload(body.get("payload")):
            return self.error(400, "bad_field", "payload")
        if not valid_display(body.get("displayInformation")):
            return self.error(400, "bad_field", "displayInformation")
        config = body.get("mailboxConfiguration") or {}
        if not isinstance(config, dict):
            return self.error(400, "bad_field", "mailboxConfiguration")
        rights = config.get("accessRights", "RD")
        if not valid_rights(rights):
            return self.error(400, "bad_field", "accessRights")
        if "expiration" in config:
            expiration = parse_expiration(config["expiration"])
            if expiration is None or expiration <= datetime.now(timezone.utc):
                return self.error(400, "bad_field", "expiration")
        else:
            expiration = datetime.now(timezone.utc).replace(microsecond=0) + DEFAULT_TTL
        relay = self.relay
        with relay.lock:
            last = relay.last_request.get(("create", claim))
            if last and last[0] == request_id:
                return self.reply(201, last[1])  # duplicate: repeat the original answer
            mailbox_id = str(uuid.uuid4())  # v4 from os.urandom
            relay.mailboxes[mailbox_id] = Mailbox(claim, body["payload"], body["displayInformation"],
                                                  rights, expiration)
            answer = {"urlLink": "%s/v1/m/%s" % (relay.public_url, mailbox_id),
                      "isPushNotificationSupported": False}
            relay.last_request[("create", claim)] = (request_id, answer)
        self.reply(200, answer)

    def read_secure(self):
        raw, status = self.read_body()
        if status == 413:
            return self.too_large()
        mailbox_id = self.mailbox_id()
        claim, _, missing = self.claim_and_request_id(need_request_id=False)
        relay = self.relay
        with relay.lock:
            box = relay.live(mailbox_id)
            if box is None:
                return self.error(404, "not_found", "mailbox")
            if missing:
                return self.error(400, "bad_header", missing)
            if "R" not in box.rights:
                return self.error(401, "unauthorised", "accessRights")
            if claim != box.initiator and claim != box.recipient:
                if box.recipient is not None:
                    return self.error(401, "unauthorised", "Mailbox-Device-Claim")
                box.recipient = claim  # the first new claim binds
            answer = {"payload": box.payload, "displayInformation": box.display,
                      "expiration": box.expiration.strftime("%Y-%m-%dT%H:%M:%SZ")}
        self.reply(200, answer)

    def do_GET(self):
        mailbox_id = self.mailbox_id()
        with self.relay.lock:
            box = self.relay.live(mailbox_id) if mailbox_id else None
            display = dict(box.display) if box else None
        if display is None:
            return self.error(404, "not_found", "mailbox")
        title = html.escape(display["title"], quote=True)
        description = html.escape(display["description"], quote=True)
        image = display["imageURL"]
        image_tag = ""
        if image.startswith("https://") or image.startswith("http://"):
            image_tag = '<meta property="og:image" content="%s">' % html.escape(image, quote=True)
        page = ('<!DOCTYPE html><html><head><meta charset="utf-8"><title>%s</title>'
                '<meta property="og:title" content="%s"><meta property="og:description" content="%s">%s'
                "</head><body></body></html>") % (title, title, description, image_tag)
        self.reply(200, page.encode(), "text/html; charset=utf-8", {
            "Content-Security-Policy": "default-src 'none'; img-src https:; style-src 'none'; "
                                       "base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
            "Referrer-Policy": "no-referrer", "X-Content-Type-Options": "nosniff"})

    def mutate(self, op):
        """PUT (update), DELETE and PATCH (relinquish): claim, Request-ID, rights, duplicates."""
        raw, status = self.read_body()
        if status == 413:
            return self.too_large()
        mailbox_id = self.mailbox_id()
        if mailbox_id is None:
            return self.error(404, "not_found", "path")
        claim, request_id, missing = self.claim_and_request_id()
        body = None
        if op == "update" and not missing:
            try:
                body = json.loads(raw)
            except (ValueError, UnicodeDecodeError, RecursionError):
                body = None
        relay = self.relay
        with relay.lock:
            box = relay.live(mailbox_id)
            if box is None:
                return self.error(404, "not_found", "mailbox")
            if missing:
                return self.error(400, "bad_header", missing)
            key = (mailbox_id, claim)
            last = relay.last_request.get(key)
            if last and last[0] == request_id and op != "delete":
                return self.reply(201, last[1])  # duplicate: nothing changes
            parties = (box.initiator, box.recipient)
            if op == "update":
                if not isinstance(body, dict) or not valid_payload(body.get("payload")):
                    return self.error(400, "bad_field", "payload")
                if claim not in parties or "W" not in box.rights:
                    return self.error(401, "unauthorised", "Mailbox-Device-Claim")
                box.payload = body["payload"]
                answer = {"isPushNotificationSupported": False}
            elif op == "delete":
                if claim not in parties or "D" not in box.rights:
                    return self.error(401, "unauthorised", "Mailbox-Device-Claim")
                del relay.mailboxes[mailbox_id]
                answer = None
            else:
                if box.recipient is None or claim != box.recipient:
                    return self.error(401, "unauthorised", "Mailbox-Device-Claim")
                box.recipient = None
                answer = {}
            relay.last_request[key] = (request_id, answer)
        if op == "relinquish":
            return self.reply(200)
        self.reply(200, answer)

    def do_PUT(self):
        self.mutate("update")

    def do_DELETE(self):
        self.mutate("delete")

    def do_PATCH(self):
        self.mutate("relinquish")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--cert", required=True)
    parser.add_argument("--key", required=True)
    parser.add_argument("--public-url", required=True)
    args = parser.parse_args()

    Handler.relay = Relay(args.public_url)
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(args.cert, args.key)
    # The handshake runs in the handler thread, so a silent client blocks only itself.
    server.socket = context.wrap_socket(server.socket, server_side=True, do_handshake_on_connect=False)
    print("READY %d" % server.server_address[1], flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
