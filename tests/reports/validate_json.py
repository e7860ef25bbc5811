#!/usr/bin/env python3
"""Validate a JSON document against a JSON Schema (draft 2020-12).

Usage: validate_json.py SCHEMA.json DOCUMENT.json
A requirements catalogue (a document with "requirements" and
"interpretations") is also linted: unique IDs, known C-nn references.
Exit 0 when valid, 1 with one line per problem otherwise, 77 when
python3-jsonschema is missing (ctest SKIP_RETURN_CODE).
"""
import json
import sys

try:
    import jsonschema
except ImportError:  # python3-jsonschema is in scripts/bootstrap's list
    print("SKIP: python3-jsonschema is not installed")
    sys.exit(77)


def lint_catalogue(doc):
    problems = []
    ids = [r["id"] for r in doc.get("requirements", [])]
    problems += ["duplicate requirement ID %s" % i for i in sorted(set(ids)) if ids.count(i) > 1]
    known = {c["id"] for c in doc.get("interpretations", [])}
    for r in doc.get("requirements", []):
        for ref in r.get("interpretation_refs", []) + r.get("related_interpretations", []):
            if ref not in known:
                problems.append("%s refers to unknown interpretation %s" % (r["id"], ref))
    return problems


def main():
    if len(sys.argv) != 3:
        print(__doc__)
        return 2
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
    if isinstance(doc, dict) and "requirements" in doc and "interpretations" in doc:
        problems += lint_catalogue(doc)
    for p in problems:
        print("%s: %s" % (doc_path, p))
    if not problems:
        print("%s: valid against %s" % (doc_path, schema_path))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
