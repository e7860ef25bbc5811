#!/usr/bin/env python3
"""A deliberately misbehaving device adapter for the harness's own tests.

Usage: fake_adapter.py MODE
  good       answers hello, -32601 for unknown methods, echoes `echo` params
  noprobe    answers every unknown method with a result (fails the contract probe)
  hang       never answers `slow` (the harness must time out and go on)
  garbage    writes a non-JSON line to stdout in answer to `noise`
  crash      exits with status 3 when asked `die`
  mute       reads requests and never answers (not even hello)
  babble     answers hello with a line that is not JSON

Every mode writes its pid first, so tests can check that the harness left no
process behind: to <workdir>.adapter.pid next to its work directory, because
the harness deletes device work directories at the end of a case.
"""
import json
import os
import sys

mode = sys.argv[1] if len(sys.argv) > 1 else "good"
with open(os.path.join("..", os.path.basename(os.getcwd()) + ".adapter.pid"), "w") as f:
    f.write(str(os.getpid()))
for line in sys.stdin:
    req = json.loads(line)
    method, rid = req.get("method"), req.get("id")
    print(f"fake adapter ({mode}) got {method}", file=sys.stderr, flush=True)
    if mode == "mute":
        continue
    if mode == "babble":
        print("Starting device adapter v1.0 ...", flush=True)
        continue
    if method == "hello":
        resp = {"result": {"name": "fake", "version": "0", "features": ["x"]}}
    elif method == "echo":
        resp = {"result": req.get("params", {})}
    elif method == "fail":
        resp = {"error": {"code": 1002, "message": "relay refused", "data": {"status": 401}}}
    elif mode == "hang" and method == "slow":
        continue
    elif mode == "garbage" and method == "noise":
        print("this is not json", flush=True)
        continue
    elif mode == "crash" and method == "die":
        sys.exit(3)
    elif method == "shutdown":
        print(json.dumps({"jsonrpc": "2.0", "id": rid, "result": {}}), flush=True)
        sys.exit(0)
    elif mode == "noprobe":
        resp = {"result": {}}
    else:
        resp = {"error": {"code": -32601, "message": "method not found"}}
    resp.update({"jsonrpc": "2.0", "id": rid})
    print(json.dumps(resp), flush=True)
