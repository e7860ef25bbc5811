#!/usr/bin/env python3
"""Reads a junit.xml with junitparser and a report.html with html5lib, the
way real consumers of our reports do.

Usage:
  consume_reports.py junit FILE TESTS FAILURES ERRORS SKIPPED
  consume_reports.py html FILE
Exit 0 when the file is accepted (and for junit the counts match), 1 with
one line per problem otherwise.
"""
import sys

import html5lib
from junitparser import Error, Failure, JUnitXml, Skipped


def check_junit(path, tests, failures, errors, skipped):
    try:
        xml = JUnitXml.fromfile(path)
    except Exception as e:  # junitparser surfaces the XML parser's own errors
        return ["junitparser could not read %s: %s" % (path, e)]
    seen = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for suite in xml:
        for case in suite:
            if not case.name or not case.classname:
                return ["testcase without name or classname in suite %r" % suite.name]
            seen["tests"] += 1
            kinds = {type(r) for r in case.result}
            seen["failures"] += Failure in kinds
            seen["errors"] += Error in kinds
            seen["skipped"] += Skipped in kinds
    want = {"tests": tests, "failures": failures, "errors": errors, "skipped": skipped}
    return ["%s: junitparser counted %d, expected %d" % (k, seen[k], want[k])
            for k in want if seen[k] != want[k]]


def check_html(path):
    with open(path, "rb") as f:
        data = f.read()
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    try:
        doc = parser.parse(data)
    except html5lib.html5parser.ParseError as e:
        return ["html5lib parse error: %s" % e]
    problems = []
    for el in doc.iter():
        if el.tag in ("script", "img", "iframe", "audio", "video") and el.get("src"):
            problems.append("<%s src=...>: an external resource" % el.tag)
        if el.tag == "link" and el.get("href"):
            problems.append("<link href=...>: an external resource")
        if el.tag == "script" and "alert(" in (el.text or ""):
            problems.append("a script element carries report text")
    if doc.find(".//title") is None:
        problems.append("no <title>")
    return problems


def main(argv):
    if len(argv) == 7 and argv[1] == "junit":
        problems = check_junit(argv[2], *map(int, argv[3:]))
    elif len(argv) == 3 and argv[1] == "html":
        problems = check_html(argv[2])
    else:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
