#!/usr/bin/env python3
"""Generate vectors/requirements.json from the requirements catalog (markdown).

This script was run ONCE to seed vectors/requirements.json from the design
catalog (part B requirement tables, part C interpretations, 0.1 sources). From
then on the JSON is maintained by hand; the script is kept for reference and is
not used by the build.

Usage:
  scripts/gen_requirements.py CATALOG.md > vectors/requirements.json

Derivation rules (per part B row "| ID | Level | Source | Requirement | Test |"):
- level_text: the Level cell verbatim (markdown emphasis removed).
- level: the strongest BCP 14 keyword in the Level cell (upper-cased; lower-case
  "shall" counts), "mandatory-to-implement"/"MTI" -> MUST; without a keyword:
  "info" when the cell starts with info, "implied" when it says implied, else
  "INTERP" when it names an interpretation.
- severity: must (MUST/SHALL/NOT variants, implied, INTERP-only), should
  (SHOULD/SHOULD NOT/RECOMMENDED), may (MAY), info (info). A row whose test
  column says "do not hard-fail" or "Info only" is info.
- interpretation: the Level cell says INTERP or cites a C-nn entry;
  interpretation_refs: the C-nn cited in the Level cell, else those cited in
  the requirement and test cells.
- related_interpretations: every C-nn cited anywhere in the row.
- role: relay / init / recip from the [Relay]/[Init]/[Recip] tags of the test
  cell, "any" when several or none.
"""

import json
import re
import sys

PREFIXES = ("RELAY", "REPLAY", "PAYLOAD", "URL", "INIT", "RECIP", "PRIV", "SEC")
ROW_ID = re.compile(r"^(%s)-\d{2}$" % "|".join(PREFIXES))
C_REF = re.compile(r"\bC-(\d{2})\b")

# Strongest first within each class; the first class found wins.
KEYWORDS = [
    ("must", ["MUST NOT", "MUST", "SHALL NOT", "SHALL", "MANDATORY-TO-IMPLEMENT", "MTI"]),
    ("should", ["SHOULD NOT", "SHOULD", "RECOMMENDED"]),
    ("may", ["MAY"]),
]
NORMALISE = {"MANDATORY-TO-IMPLEMENT": "MUST", "MTI": "MUST"}


def fail(msg):
    sys.stderr.write("gen_requirements: %s\n" % msg)
    sys.exit(1)


def clean(text):
    return text.replace("**", "").strip()


def find_keyword(cell):
    # A keyword is a whole word ("shouldn't" is not SHOULD).
    upper = cell.upper()
    for severity, words in KEYWORDS:
        best = None
        for word in words:
            m = re.search(r"(?<![\w-])%s(?![\w'])" % re.escape(word), upper)
            if m and (best is None or m.start() < best[0] or
                      (m.start() == best[0] and len(word) > len(best[1]))):
                best = (m.start(), word)
        if best:
            return NORMALISE.get(best[1], best[1]), severity
    return None, None


def split_row(line, lineno, ncells):
    cells = [c.strip() for c in line.strip().strip("|").split("|")]
    if len(cells) != ncells:
        fail("line %d: expected %d cells, got %d" % (lineno, ncells, len(cells)))
    return cells


def parse_requirement(cells, lineno):
    rid, level_cell, source, statement, test = (clean(c) for c in cells)
    keyword, severity = find_keyword(level_cell)
    lower = level_cell.lower()
    interp = "INTERP" in level_cell or bool(C_REF.search(level_cell))
    if keyword:
        level = keyword
    elif lower.startswith("info"):
        level, severity = "info", "info"
    elif "implied" in lower:
        level, severity = "implied", "must"
    elif interp:
        level, severity = "INTERP", "must"
    else:
        fail("line %d: %s: no level in %r" % (lineno, rid, level_cell))
    if "do not hard-fail" in test or "Info only" in test:
        severity = "info"
    refs = ["C-" + n for n in C_REF.findall(level_cell)]
    if interp and not refs:
        refs = ["C-" + n for n in C_REF.findall(statement + " " + test)]
    related = []
    for n in C_REF.findall(" ".join([level_cell, statement, test])):
        if "C-" + n not in related:
            related.append("C-" + n)
    roles = []
    for tag, role in (("[Relay]", "relay"), ("[Init]", "init"), ("[Recip]", "recip")):
        if tag in test:
            roles.append(role)
    return {
        "id": rid,
        "level": level,
        "level_text": level_cell,
        "severity": severity,
        "source": source,
        "statement": statement,
        "test": test,
        "role": roles[0] if len(roles) == 1 else "any",
        "interpretation": interp,
        "interpretation_refs": list(dict.fromkeys(refs)),
        "related_interpretations": related,
    }


def main():
    if len(sys.argv) != 2:
        fail("usage: gen_requirements.py CATALOG.md")
    with open(sys.argv[1], encoding="utf-8") as f:
        lines = f.read().splitlines()

    part = None
    requirements, interpretations, sources = [], [], []
    for lineno, line in enumerate(lines, 1):
        if line.startswith("## "):
            part = line[3:4]
        if line.startswith("### 0.1"):
            part = "0.1"
        elif line.startswith("### 0.2"):
            part = "0"
        if not line.startswith("| "):
            continue
        first = line.strip().strip("|").split("|")[0].strip()
        if part == "B" and ROW_ID.match(first):
            requirements.append(parse_requirement(split_row(line, lineno, 5), lineno))
        elif part == "C" and re.match(r"^C-\d{2}$", first):
            cid, issue, interp = (clean(c) for c in split_row(line, lineno, 3))
            interpretations.append({"id": cid, "issue": issue, "interpretation": interp})
        elif part == "0.1" and first.startswith("[") or (part == "0.1" and first.startswith("**[")):
            tag, document, revision, _ = (clean(c) for c in split_row(line, lineno, 4))
            sources.append({"tag": tag.split()[0], "document": document, "revision": revision})

    ids = [r["id"] for r in requirements]
    if len(ids) != len(set(ids)):
        fail("duplicate requirement IDs")
    known_c = {c["id"] for c in interpretations}
    for r in requirements:
        for ref in r["interpretation_refs"] + r["related_interpretations"]:
            if ref not in known_c:
                fail("%s cites unknown interpretation %s" % (r["id"], ref))

    doc = {
        "$schema": "./requirements.schema.json",
        "schema_version": 1,
        "title": "TIGRESS requirements catalogue (relay, initiator, recipient)",
        "sources": sources,
        "requirements": requirements,
        "interpretations": interpretations,
    }
    json.dump(doc, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
