// File: reports/render_util.h
//
// Internal helpers shared by the report writers (not part of the public API
// of tigress::reports; include only from reports/*.cc).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "reports/redaction.h"
#include "reports/results.h"
#include "reports/writers.h"

namespace tigress::reports::internal {

// `Guarded` is a copy of `run` with `guard` applied to every text field
// (a plain copy when `guard` is null).
RunResult Guarded(const RunResult& run, const RedactionGuard* guard);

// `FinalGuard` applies `guard` to finished output (identity when null).
std::string FinalGuard(std::string text, const RedactionGuard* guard);

// `FormatSeconds` renders a duration for humans: "0.4s", "12.3s", "2m05s".
std::string FormatSeconds(double seconds);

// `FormatDecimal` renders a duration with millisecond precision and a dot
// ("0.412"), independent of the locale.
std::string FormatDecimal(double seconds);

// `Join` concatenates with `sep`.
std::string Join(const std::vector<std::string>& parts, std::string_view sep);

// `Implementations` is "initiator=a relay=b recipient=c" for the roles played.
std::string Implementations(const CaseResult& c);

// `PrimaryReason` is the one-line reason of a non-PASS case: for a stale
// expectation that it did not fail (`StaleReason`); else the first assertion
// with the case's verdict ("RELAY-31: second claim got 200"), else
// `error_detail`, else the verdict name.
std::string PrimaryReason(const CaseResult& c);

// `StaleReason` is "known failure [of RELAY-31] did not fail (PASS); update
// the expectations file: <reason>".
std::string StaleReason(const CaseResult& c);

// `IsCoveredFailure` is true for a known failure that failed as expected:
// FAIL/ERROR/TIMEOUT and not `Unexpected()`.
bool IsCoveredFailure(const CaseResult& c);

// `ExpectationNote` labels a case for the reports: "stale expectation",
// "expected", "unexpected: a known failure covers FAIL only", "unexpected:
// the known failure covers RELAY-31 only", "unexpected", or "" (nothing to
// say).
std::string ExpectationNote(const CaseResult& c);

// `ProfileRule` is one sentence saying what the profile does to
// interpretation-based FAILs.
std::string ProfileRule(Profile p);

// `SpecLabel` names a draft revision for report headers:
// "draft-secure-credential-transfer-04 (sct-04)"; a name protocol/revision.h
// does not know is shown as it is.
std::string SpecLabel(std::string_view spec);

// `DowngradeNote` is the label of an assertion a profile softened:
// "FAIL → WARN (standard profile, robustness interpretation)".
std::string DowngradeNote(const Assertion& a, Profile p);

// `BasisLine` is one line naming what a verdict rests on: "draft [HTTP]
// §6.1.6 SHALL: <statement>", "RFC 9110 §9.1: <statement>", "interpretation
// C-46 (robustness): <reading>"; empty when the basis is (a harness error).
std::string BasisLine(const Basis& b);

// `FailingRequirements` lists the IDs of assertions whose verdict is not PASS
// or INFO, without repeats, in assertion order.
std::vector<std::string> FailingRequirements(const CaseResult& c);

// `SeverityTally` is one row of the per-severity coverage table: the
// catalogue's requirements of that severity, those this run checked, and
// those unchecked that the catalogue explains (`not_checked`).
struct SeverityTally {
  Severity severity = Severity::kMust;
  int total = 0;
  int checked = 0;
  int explained = 0;
  int Unexplained() const { return total - checked - explained; }
};

// `TallyBySeverity` is the table's rows, must first.
std::vector<SeverityTally> TallyBySeverity(const std::vector<CoverageEntry>& coverage);

}  // namespace tigress::reports::internal
