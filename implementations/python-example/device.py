#!/usr/bin/python3
"""A TIGRESS device adapter: JSON-RPC 2.0 on stdin/stdout (docs/adapter-contract.md).

A vendor wraps its device stack the same way: each method below calls into
the stack (here a few small functions), and each failure maps to one of the
contract's error codes. Standard library plus python3-cryptography (AESGCM).
Logs go to stderr, never secrets or plaintext.
"""
import base64
import binascii
import http.client
import json
import os
import re
import ssl
import sys
import uuid
from urllib.parse import unquote, urlsplit

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

CIPHERS = {"AEAD_AES_128_GCM": 16, "AEAD_AES_256_GCM": 32}


class RpcError(Exception):
    def __init__(self, code, message, data=None):
        super().__init__(message)
        self.code, self.message, self.data = code, message, data


def b64decode_strict(text):
    if not isinstance(text, str):
        raise ValueError("not a string")
    raw = base64.b64decode(text, validate=True)
    if base64.b64encode(raw).decode() != text:
        raise ValueError("not canonical")
    return raw


# ---- payload format (spec A.8): base64(IV[12] || ciphertext || tag[16]) ------------
def seal(cipher, key, iv, plaintext):
    if CIPHERS.get(cipher) != len(key) or len(iv) != 12:
        raise RpcError(-32602, "cipher, key length or iv length is wrong")
    return base64.b64encode(iv + AESGCM(key).encrypt(iv, plaintext, None)).decode()


def open_payload(cipher, key, data):
    if CIPHERS.get(cipher) != len(key):
        raise RpcError(1001, "payload type does not match the key length")
    try:
        raw = b64decode_strict(data)
    except (binascii.Error, ValueError):
        raise RpcError(1001, "payload data is not base64")
    if len(raw) < 28:
        raise RpcError(1001, "payload shorter than 28 octets")
    try:
        return AESGCM(key).decrypt(raw[:12], raw[12:], None)
    except Exception:
        raise RpcError(1001, "payload failed authentication")


# ---- share URL (spec A.9) -----------------------------------------------------------
UUID_RE = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$")
VERTICALS = ("a", "h", "c")


def decode_secret(text):
    """The Secret as sent: standard base64, but be lenient with URL-safe,
    unpadded and percent-encoded forms (spec C-27); it must be 16 or 32 octets."""
    text = unquote(text)
    if set(text) & set("-_") and set(text) & set("+/"):
        raise RpcError(-32602, "secret mixes the two base64 alphabets")
    text = text.replace("-", "+").replace("_", "/")
    text += "=" * (-len(text) % 4)
    try:
        key = b64decode_strict(text)
    except (binascii.Error, ValueError):
        raise RpcError(-32602, "secret is not base64")
    if len(key) not in (16, 32):
        raise RpcError(-32602, "secret has a wrong length")
    return key


def check_host(parts):
    try:
        port = parts.port
    except ValueError:
        raise RpcError(-32602, "bad port")
    if parts.username is not None or not parts.hostname or port == 0:
        raise RpcError(-32602, "bad host")


def parse_share_url(url):
    parts = urlsplit(url) if isinstance(url, str) else None
    if parts is None or parts.scheme != "https" or not parts.netloc:
        raise RpcError(-32602, "not an https share URL")
    check_host(parts)
    segments = parts.path.split("/")
    if len(segments) != 4 or segments[0] or segments[2] != "m" or not segments[1][1:].isdigit() \
            or segments[1][0] != "v":
        raise RpcError(-32602, "path is not /v<N>/m/<id>")
    if not UUID_RE.match(segments[3]):
        raise RpcError(-32602, "mailbox id is not a UUID")
    result = {"relayHost": parts.netloc, "apiVersion": segments[1], "mailboxId": segments[3]}
    for pair in parts.query.split("&") if parts.query else []:
        name, _, value = pair.partition("=")
        if name == "v":
            if value not in VERTICALS:
                raise RpcError(-32602, "unknown vertical")
            result["vertical"] = value
    if parts.fragment:
        result["secret"] = base64.b64encode(decode_secret(parts.fragment)).decode()
    return result


def build_share_url(base, mailbox_id, vertical=None, secret=None):
    parts = urlsplit(base) if isinstance(base, str) else None
    if parts is None or parts.scheme != "https" or not parts.netloc:
        raise RpcError(-32602, "relayBaseUrl is not an https URL")
    check_host(parts)
    if not isinstance(mailbox_id, str) or not UUID_RE.match(mailbox_id):
        raise RpcError(-32602, "mailbox id is not a UUID")
    url = "%s/v1/m/%s" % (base.rstrip("/"), mailbox_id)
    if vertical is not None:
        if vertical not in VERTICALS:
            raise RpcError(-32602, "unknown vertical")
        url += "?v=" + vertical
    if secret is not None:
        url += "#" + base64.b64encode(decode_secret(secret)).decode()
    return url


# ---- the device -----------------------------------------------------------------------
class Device:
    def __init__(self):
        self.context = None
        self.relay_base = None
        self.mailbox_url = None
        self.key = None
        self.cipher = None
        self.claim = str(uuid.uuid4())
        self.written = set()   # payload data we wrote ourselves
        self.returned = set()  # payload data already handed to the caller

    # HTTPS to the relay, trusting only the harness's CA.
    def call(self, method, url, body=None, request_id=True):
        parts = urlsplit(url)
        headers = {"Mailbox-Device-Claim": self.claim}
        sent_id = None
        if request_id:
            sent_id = str(uuid.uuid4())
            headers["Mailbox-Request-ID"] = sent_id
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        try:
            conn = http.client.HTTPSConnection(parts.hostname, parts.port or 443,
                                               context=self.context, timeout=10)
            conn.request(method, parts.path, body=data, headers=headers)
            response = conn.getresponse()
            raw = response.read()
            echo = response.getheader("Mailbox-Request-ID")
            conn.close()
        except (OSError, http.client.HTTPException) as failure:
            raise RpcError(1003, "transport failure", {"detail": type(failure).__name__})
        if response.status >= 400:
            raise RpcError(1002, "relay refused", {"status": response.status})
        if sent_id is not None and echo != sent_id:
            raise RpcError(1005, "relay did not echo Mailbox-Request-ID", {"detail": "request-id echo"})
        try:
            return response.status, json.loads(raw) if raw else {}
        except ValueError:
            raise RpcError(1005, "relay answered with malformed JSON", {"detail": "json"})

    def encrypt(self, info):
        iv = os.urandom(12)
        data = seal(self.cipher, self.key, iv, json.dumps(info).encode())
        self.written.add(data)
        return {"type": self.cipher, "data": data}

    def decrypt(self, payload):
        if not isinstance(payload, dict) or payload.get("type") != self.cipher:
            raise RpcError(1001, "payload type does not match the share")
        plaintext = open_payload(self.cipher, self.key, payload.get("data"))
        try:
            info = json.loads(plaintext)
        except ValueError:
            raise RpcError(1005, "decrypted content is not JSON", {"detail": "not json"})
        if not isinstance(info, dict) or "format" not in info or "content" not in info:
            raise RpcError(1005, "decrypted content is not {format, content}", {"detail": "shape"})
        return info

    # ---- JSON-RPC methods ----
    def hello(self, params):
        return {"name": "python-example", "version": "0.1.0",
                "features": ["aes-128-gcm", "aes-256-gcm", "relinquish"]}

    def configure(self, params):
        if not isinstance(params.get("caFile"), str):
            raise RpcError(-32602, "caFile is required")
        self.context = ssl.create_default_context(cafile=params["caFile"])
        self.relay_base = params.get("relayBaseUrl")
        return {}

    def initiator_share(self, params):
        self.cipher = params.get("cipher") or "AEAD_AES_256_GCM"
        if self.cipher not in CIPHERS or not self.relay_base:
            raise RpcError(-32602, "unknown cipher or not configured")
        self.key = os.urandom(CIPHERS[self.cipher])
        self.claim = str(uuid.uuid4())  # a new claim per share, so shares cannot be linked
        body = {"payload": self.encrypt(params["provisioningInfo"]),
                "displayInformation": params["displayInformation"],
                "mailboxConfiguration": {"expiration": params["expiration"]}}
        if params.get("accessRights"):
            body["mailboxConfiguration"]["accessRights"] = params["accessRights"]
        if params.get("notify"):
            body["notificationToken"] = params["notify"]
        _, answer = self.call("POST", self.relay_base.rstrip("/") + "/v1/m", body)
        self.mailbox_url = answer.get("urlLink")
        if not isinstance(self.mailbox_url, str):
            raise RpcError(1005, "no urlLink in the answer", {"detail": "urlLink"})
        secret = base64.b64encode(self.key).decode()
        vertical = params.get("vertical")
        if params.get("secretDelivery") == "separate":
            return {"shareUrl": build_share_url(self.mailbox_url.rsplit("/v1/m/", 1)[0],
                                                self.mailbox_url.rsplit("/", 1)[1], vertical),
                    "secret": secret}
        return {"shareUrl": build_share_url(self.mailbox_url.rsplit("/v1/m/", 1)[0],
                                            self.mailbox_url.rsplit("/", 1)[1], vertical, secret)}

    def recipient_accept(self, params):
        url = params.get("shareUrl", "")
        parsed = parse_share_url(url)
        secret = params.get("secret") or parsed.get("secret")
        if not secret:
            raise RpcError(-32602, "no secret")
        self.key = b64decode_strict(secret)
        self.claim = str(uuid.uuid4())  # a new claim per accepted share
        self.mailbox_url = url.split("#", 1)[0].split("?", 1)[0]  # never send the fragment
        _, answer = self.call("POST", self.mailbox_url, request_id=False)
        payload = answer.get("payload")
        self.cipher = payload.get("type") if isinstance(payload, dict) else None
        if self.cipher not in CIPHERS:
            raise RpcError(1001, "unknown payload type")
        info = self.decrypt(payload)
        self.returned.add(payload["data"])
        return {"displayInformation": answer.get("displayInformation"), "provisioningInfo": info,
                "expiration": answer.get("expiration")}

    def recipient_relinquish(self, params):
        self.call("PATCH", self.mailbox_url)
        return {}

    def send(self, params):
        self.call("PUT", self.mailbox_url, {"payload": self.encrypt(params["provisioningInfo"])})
        return {}

    def receive(self, params):
        _, answer = self.call("POST", self.mailbox_url, request_id=False)
        payload = answer.get("payload")
        data = payload.get("data") if isinstance(payload, dict) else None
        if data in self.written or data in self.returned:
            raise RpcError(1004, "no new message from the peer")
        info = self.decrypt(payload)
        self.returned.add(data)
        return {"provisioningInfo": info}

    def close(self, params):
        self.call("DELETE", self.mailbox_url)
        return {}

    def payload_seal(self, params):
        try:
            key, iv = b64decode_strict(params["key"]), b64decode_strict(params["iv"])
            plaintext = b64decode_strict(params["plaintext"])
        except (binascii.Error, ValueError, KeyError):
            raise RpcError(-32602, "key, iv and plaintext must be base64")
        return {"data": seal(params.get("cipher"), key, iv, plaintext)}

    def payload_open(self, params):
        try:
            key = b64decode_strict(params["key"])
        except (binascii.Error, ValueError, KeyError):
            raise RpcError(-32602, "key must be base64")
        plaintext = open_payload(params.get("cipher"), key, params.get("data"))
        return {"plaintext": base64.b64encode(plaintext).decode()}

    def share_url_parse(self, params):
        return parse_share_url(params.get("url"))

    def share_url_build(self, params):
        return {"url": build_share_url(params["relayBaseUrl"], params["mailboxId"],
                                       params.get("vertical"), params.get("secret"))}

    def shutdown(self, params):
        return {}


METHODS = {
    "hello": Device.hello, "configure": Device.configure,
    "initiator.share": Device.initiator_share, "recipient.accept": Device.recipient_accept,
    "recipient.relinquish": Device.recipient_relinquish,
    "send": Device.send, "receive": Device.receive, "close": Device.close,
    "payload.seal": Device.payload_seal, "payload.open": Device.payload_open,
    "shareUrl.parse": Device.share_url_parse, "shareUrl.build": Device.share_url_build,
    "shutdown": Device.shutdown,
}


def main():
    device = Device()
    for line in sys.stdin:
        try:
            request = json.loads(line)
        except ValueError:
            continue
        method = request.get("method")
        response = {"jsonrpc": "2.0", "id": request.get("id")}
        try:
            if method not in METHODS:
                raise RpcError(-32601, "method not found")
            response["result"] = METHODS[method](device, request.get("params") or {})
        except RpcError as failure:
            response["error"] = {"code": failure.code, "message": failure.message}
            if failure.data is not None:
                response["error"]["data"] = failure.data
        except (KeyError, TypeError, AttributeError) as failure:
            response["error"] = {"code": -32602, "message": "invalid params: %s" % type(failure).__name__}
        sys.stdout.write(json.dumps(response) + "\n")
        sys.stdout.flush()
        sys.stderr.write("python-device: %s -> %s\n" % (method, "error" if "error" in response else "ok"))
        if method == "shutdown":
            return 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
