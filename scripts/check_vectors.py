#!/usr/bin/env python3
"""Lint the known-answer vector files (vectors/*.json).

For every vector file (all vectors/*.json except requirements*.json and
*.schema.json, or the FILES given):
  * it is valid JSON and names its `family`;
  * it validates against <schema-dir>/<family>.schema.json (JSON Schema draft
    2020-12; the schemas forbid unknown fields);
  * numberOfTests equals the number of tests;
  * every test ID is unique across all files checked, and no retired ID is used;
  * every flag a test uses is defined in the file's `notes`;
  * every expected error token exists in protocol/errors.def;
  * every requirement ID and every note's interpretation exists in
    vectors/requirements.json (when that file is present).

Errors name the file and the JSON path ("vectors/x.json: $.tests[3]: ...").
Exit status: 0 clean, 1 on any error, 2 on usage errors.

Usage: scripts/check_vectors.py [--schema-dir DIR] [--errors-def FILE]
                                [--requirements FILE] [FILES...]
"""

import argparse
import glob
import json
import os
import re
import sys

import jsonschema

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def json_path(parts):
    out = "$"
    for p in parts:
        out += "[%d]" % p if isinstance(p, int) else ".%s" % p
    return out


def default_files(vectors_dir):
    out = []
    for path in sorted(glob.glob(os.path.join(vectors_dir, "*.json"))):
        name = os.path.basename(path)
        if name.startswith("requirements") or name.endswith(".schema.json"):
            continue
        out.append(path)
    return out


def load_error_tokens(path):
    tokens = set()
    pattern = re.compile(r'^X\(\s*\w+\s*,\s*\d+\s*,\s*"([^"]+)"')
    with open(path, encoding="utf-8") as f:
        for line in f:
            m = pattern.match(line)
            if m:
                tokens.add(m.group(1))
    return tokens


def load_requirements(path):
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    reqs = {r["id"] for r in doc.get("requirements", [])}
    interps = {i["id"] for i in doc.get("interpretations", [])}
    return reqs, interps


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("files", nargs="*")
    ap.add_argument("--schema-dir", default=os.path.join(ROOT, "vectors"))
    ap.add_argument("--errors-def", default=os.path.join(ROOT, "protocol", "errors.def"))
    ap.add_argument("--requirements", default=os.path.join(ROOT, "vectors", "requirements.json"))
    args = ap.parse_args()

    files = args.files or default_files(os.path.join(ROOT, "vectors"))
    if not files:
        print("check_vectors: no vector files found", file=sys.stderr)
        return 2

    errors = []

    def err(file, path, msg):
        errors.append("%s: %s: %s" % (os.path.relpath(file), json_path(path), msg))

    tokens = load_error_tokens(args.errors_def) if os.path.exists(args.errors_def) else None
    reqs = interps = None
    if os.path.exists(args.requirements):
        reqs, interps = load_requirements(args.requirements)

    seen_ids = {}
    total = 0
    for file in files:
        try:
            with open(file, encoding="utf-8") as f:
                doc = json.load(f)
        except (OSError, ValueError) as e:
            err(file, [], "cannot read as JSON: %s" % e)
            continue
        family = doc.get("family") if isinstance(doc, dict) else None
        if not isinstance(family, str) or not re.fullmatch(r"[a-z_]+", family):
            err(file, ["family"], "missing or malformed family")
            continue
        schema_path = os.path.join(args.schema_dir, family + ".schema.json")
        if not os.path.exists(schema_path):
            err(file, ["family"], "no schema %s for family '%s'" % (schema_path, family))
            continue
        with open(schema_path, encoding="utf-8") as f:
            schema = json.load(f)
        validator = jsonschema.Draft202012Validator(schema)
        schema_errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
        for e in schema_errors:
            err(file, list(e.absolute_path), e.message)
        if schema_errors:
            continue  # the semantic checks below assume the shape is right

        tests = doc["tests"]
        total += len(tests)
        if doc["numberOfTests"] != len(tests):
            err(file, ["numberOfTests"], "says %d but the file has %d tests"
                % (doc["numberOfTests"], len(tests)))
        retired = set(doc.get("retiredIds", []))
        notes = doc["notes"]
        for name, note in notes.items():
            ref = note.get("interpretation")
            if ref and interps is not None and ref not in interps:
                err(file, ["notes", name, "interpretation"],
                    "%s is not an interpretation in %s" % (ref, args.requirements))
        for i, t in enumerate(tests):
            tid = t["id"]
            if tid in seen_ids:
                err(file, ["tests", i, "id"], "duplicate id '%s' (also in %s)"
                    % (tid, seen_ids[tid]))
            seen_ids[tid] = "%s %s" % (os.path.relpath(file), json_path(["tests", i]))
            if tid in retired:
                err(file, ["tests", i, "id"], "id '%s' is retired and must not be reused" % tid)
            for j, flag in enumerate(t["flags"]):
                if flag not in notes:
                    err(file, ["tests", i, "flags", j], "flag '%s' is not defined in notes" % flag)
            if reqs is not None:
                for j, r in enumerate(t["requirements"]):
                    if r not in reqs:
                        err(file, ["tests", i, "requirements", j],
                            "%s is not in %s" % (r, os.path.relpath(args.requirements)))
            if tokens is not None and "error" in t and t["error"] not in tokens:
                err(file, ["tests", i, "error"], "'%s' is not a token of %s"
                    % (t["error"], os.path.relpath(args.errors_def)))

    for e in errors:
        print(e, file=sys.stderr)
    if errors:
        print("check_vectors: %d error(s) in %d file(s)" % (len(errors), len(files)),
              file=sys.stderr)
        return 1
    print("check_vectors: %d file(s), %d vectors, all valid" % (len(files), total))
    return 0


if __name__ == "__main__":
    sys.exit(main())
