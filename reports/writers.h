// File: reports/writers.h
//
// The report writers. Each `Render*` is a pure function from a finished
// `RunResult` (plus the requirement catalogue, which may be null) to the text
// of one file; `WriteRunReports` writes all of them into a run directory:
//
//   <run dir>/report.json   machine-readable, versioned (docs/reports.md)
//   <run dir>/junit.xml     for CI test tabs
//   <run dir>/summary.md    for PR comments and job summaries
//   <run dir>/report.html   one self-contained page: summary, coverage,
//                           interop matrix, per-case evidence
//
//   RedactionGuard guard;  guard.AddSecret(secret);
//   auto dir = WriteRunReports(run, &catalog, guard, RunDirectory("reports", run.run_id));
//   if (!dir) std::cerr << dir.error().Message() << "\n";
//
// Every renderer escapes all text for its format and passes the run through
// `guard` first (field by field, then over the finished text), so a
// registered Secret can never reach a file even if evidence recording missed
// it. Output is deterministic for a given run (no clocks, no hash order).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "protocol/result.h"
#include "reports/redaction.h"
#include "reports/requirements.h"
#include "reports/results.h"

namespace tigress::reports {

// `CoverageStatus` is what a run found out about one requirement. Only
// assertions that cite a requirement give it a verdict; a case declaring it
// is not enough.
enum class CoverageStatus {
  kChecked,       // some assertion cites it: `CoverageEntry::worst` is its verdict
  kNotEvaluated,  // no assertion cites it; a case meant to but stopped early (`not_evaluated`)
  kNotExamined,   // no assertion cites it; cases only declare it in `requirement_ids`
  kNotTested,     // no case of the run mentions it
};

// `CoverageStatusName` is "checked", "not evaluated", "not examined" or "not tested".
std::string_view CoverageStatusName(CoverageStatus s);

// `CoverageEntry` is what a run says about one requirement.
struct CoverageEntry {
  std::string requirement_id;
  const Requirement* requirement = nullptr;  // null: the ID is not in the catalogue
  // Cases that declare it, cite it in an assertion or list it as not
  // evaluated, as indexes into RunResult::cases.
  std::vector<std::size_t> cases;
  // Worst verdict of the assertions citing the requirement; nullopt when none
  // does (whatever the verdicts of the cases that declare it).
  std::optional<Verdict> worst;
  // (case index, reason) for each case that did not get to evaluate it.
  std::vector<std::pair<std::size_t, std::string>> not_evaluated;
  CoverageStatus status = CoverageStatus::kNotTested;
};

// `ComputeCoverage` lists every catalogue requirement in catalogue order,
// then IDs the cases mention that the catalogue lacks (sorted). With a null
// catalogue only the IDs the cases mention are listed (sorted).
std::vector<CoverageEntry> ComputeCoverage(const RunResult& run, const Catalog* catalog);

// `CaseRequirement` is one requirement of one case and what the case found.
struct CaseRequirement {
  std::string requirement_id;
  std::optional<Verdict> worst;    // worst verdict of the case's assertions citing it
  std::string not_evaluated;       // the reason, when the case lists it as not evaluated
  bool not_evaluated_too = false;  // listed as not evaluated (also when `worst` is set)
  // kChecked, kNotEvaluated or kNotExamined (declared, never cited).
  CoverageStatus status = CoverageStatus::kNotExamined;
};

// `CaseRequirements` is every requirement a case declares, cites or did not
// evaluate: declared ones first, in declaration order, then the others in
// the order they appear.
std::vector<CaseRequirement> CaseRequirements(const CaseResult& c);

// Identifies report.json files; the major version is `kReportSchemaVersion`.
inline constexpr std::string_view kReportSchemaName = "tigress-harness/report";

// `RenderReportJson` is report.json (schema in docs/reports.md).
std::string RenderReportJson(const RunResult& unguarded, const Catalog* catalog,
                             const RedactionGuard* guard = nullptr);

// `ParseReportJson` reads a report.json back into a `RunResult` (coverage,
// summary and matrix are derived data and are not read). It reads the
// current `kReportSchemaVersion` and version 1 (whose `lenient_downgrade`
// becomes `profile_downgrade`); the result carries the current version.
// Errors: kJsonInvalid, kConfigInvalid naming the JSON path of a bad field,
// or an unsupported schema version.
Result<RunResult> ParseReportJson(std::string_view text);

// `RenderJunitXml` is junit.xml: one <testsuite> per case area, one
// <testcase> per case (classname "tigress.<area>", name = case ID plus the
// implementations). FAIL and stale expectations -> <failure>, ERROR and
// TIMEOUT -> <error>, UNSUPPORTED and expected failures -> <skipped>; WARN,
// INFO and PASS pass. <system-out> carries the rerun command and findings.
std::string RenderJunitXml(const RunResult& unguarded, const RedactionGuard* guard = nullptr);

// `RenderSummaryMarkdown` is summary.md: the root causes of the failures
// (reports/root_causes.h), counts, the non-PASS cases with requirement IDs,
// one-line reasons and rerun commands, the requirements cases did not get to
// evaluate, and a coverage table.
std::string RenderSummaryMarkdown(const RunResult& unguarded, const Catalog* catalog,
                                  const RedactionGuard* guard = nullptr);

// `RenderHtml` is report.html: one file with inline CSS and a little optional
// inline JS (filtering); readable without JS, no external resources. It opens
// with the root causes of the failures.
std::string RenderHtml(const RunResult& unguarded, const Catalog* catalog,
                       const RedactionGuard* guard = nullptr);

// `RunDirectory` is `root / run_id`. Errors: kConfigInvalid when `run_id` is
// empty, ".", "..", or contains a path separator or a control character.
Result<std::filesystem::path> RunDirectory(const std::filesystem::path& root,
                                           std::string_view run_id);

// `WriteRunReports` creates `run_dir` (and parents) if needed and writes the
// four files, each via a temporary file renamed into place. Returns `run_dir`.
// Errors: kIoFailure naming the file.
Result<std::filesystem::path> WriteRunReports(const RunResult& run, const Catalog* catalog,
                                              const RedactionGuard& guard,
                                              const std::filesystem::path& run_dir);

}  // namespace tigress::reports
