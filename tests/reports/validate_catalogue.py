#!/usr/bin/env python3
"""Validate vectors/requirements.json against its JSON Schema and lint it.

Usage: validate_catalogue.py SCHEMA.json CATALOGUE.json
Exit 0 when valid; 1 with one line per problem otherwise.
"""
import json
import sys

try:
    import jsonschema
except ImportError:  # python3-jsonschema is in scripts/bootstrap's list
    print("SKIP: python3-jsonschema is not installed")
    sys.exit(0)


def main():
    schema_path, doc_path = sys.argv[1], sys.argv[2]
    with open(schema_path, encoding="utf-8") as f:
        schema = json.load(f)
    with open(doc_path, encoding="utf-8") as f:
        doc = json.load(f)
    jsonschema.Draft202012Validator.check_schema(schema)
    problems = [
        "%s: %s" % ("/".join(str(p) for p in e.absolute_path) or "$", e.message)
        for e in jsonschema.Draft202012Validator(schema).iter_errors(doc)
    ]
    ids = [r["id"] for r in doc.get("requirements", [])]
    problems += ["duplicate requirement ID %s" % i for i in sorted(set(ids)) if ids.count(i) > 1]
    known = {c["id"] for c in doc.get("interpretations", [])}
    for r in doc.get("requirements", []):
        for ref in r.get("interpretation_refs", []) + r.get("related_interpretations", []):
            if ref not in known:
                problems.append("%s refers to unknown interpretation %s" % (r["id"], ref))
    for p in problems:
        print("%s: %s" % (doc_path, p))
    if not problems:
        print("%s: %d requirements, %d interpretations: valid" % (doc_path, len(ids), len(known)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
