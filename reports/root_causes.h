// File: reports/root_causes.h
//
// Failures grouped by root cause, so that a run in which one broken operation
// failed sixty cases reads as one problem, not as sixty:
//
//   for (const FailureGroup& g : GroupFailures(run))
//     std::cout << g.cases.size() << " cases: " << g.signature << "\n";
//   // 60 cases: CreateMailbox refused, 400 Invalid or missing Device-Claim header
//
// Every report (summary.md, report.html) and the end-of-run console summary
// (`FormatRootCauses` in reports/progress.h) opens with these groups. Pure
// functions of the results model; no I/O.
//
// The signature of a failing case (`IsFailingCase`) is its
// `CaseResult::failure_signature` when the runner set one, else it is derived
// from the case's first assertion with a failing verdict (FAIL, ERROR,
// TIMEOUT):
// 1. when its evidence holds an HTTP exchange (the first one answered with a
//    status of 400 or more, or not at all; else the last one): the operation
//    of the request line (`OperationName`), "refused, <status>" (4xx/5xx),
//    "answered, <status>" or "got no response", then the start (60
//    characters) of the error text of the response: the "error" (or its
//    "message") or "message" member of a JSON body, else for a refusal the
//    body itself;
// 2. else, when its evidence has an adapter call's "outcome" field holding a
//    JSON-RPC error: "<call>: error <code> <message>" (the "call" field, e.g.
//    "initiator createShare"); an outcome that is not JSON (a timeout, a
//    broken adapter) is used as text;
// 3. else the assertion's message.
// A failing case without a failing assertion (a stale expectation) reads
// "known failure no longer fails (stale expectation)". Every signature is
// passed through `NormalizeVolatile`, so run-specific values (mailbox IDs,
// ports, scenario lines) do not split a group.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "reports/results.h"

namespace tigress::reports {

// How many groups the reports show, and how many example cases per group.
inline constexpr std::size_t kRootCausesShown = 10;
inline constexpr std::size_t kRootCauseExamples = 3;

// `FailureGroup` is the failing cases that share one signature.
struct FailureGroup {
  std::string signature;
  std::vector<std::string> cases;    // case ids, in run order
  std::vector<std::size_t> indexes;  // the same cases as positions in the case list
  Verdict verdict = Verdict::kFail;  // the worst verdict of the cases
};

// `IsFailingCase` is true for a case that is `Unexpected()` or whose verdict
// is FAIL, ERROR or TIMEOUT (known failures included).
bool IsFailingCase(const CaseResult& c);

// `FailureSignature` is the signature of `c` (rules above); empty when `c`
// is not a failing case.
std::string FailureSignature(const CaseResult& c);

// `OperationName` names the relay operation of an HTTP request: on the
// mailbox collection ".../v1/m" POST is CreateMailbox; on a mailbox
// ".../v1/m/<id>" PUT is UpdateMailbox, DELETE DeleteMailbox, GET
// ReadDisplayInformation, POST ReadSecureContent, PATCH RelinquishMailbox.
// Anything else is "<METHOD> <path>" with UUIDs replaced by "{id}". `target`
// is the request target (a path or an absolute URL; query and fragment are
// ignored).
std::string OperationName(std::string_view method, std::string_view target);

// `ErrorTextOf` is what a response says went wrong: the "error" (or its
// "message") or "message" member of a JSON body; else, for a status of 400
// or more, the body itself; else "".
std::string ErrorTextOf(const HttpExcerpt& h);

// `NormalizeVolatile` replaces UUIDs with "{id}", runs of 5 or more digits
// with "{n}" and file:line references ("scenarios/relay/a.yaml:12",
// "x.cc:3:7") with "{where}".
std::string NormalizeVolatile(std::string_view text);

// `GroupFailures` groups the failing cases by signature, largest group
// first (ties in order of first appearance).
std::vector<FailureGroup> GroupFailures(std::span<const CaseResult> cases);
std::vector<FailureGroup> GroupFailures(const RunResult& run);

}  // namespace tigress::reports
