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
#include <vector>

#include "protocol/result.h"
#include "reports/redaction.h"
#include "reports/requirements.h"
#include "reports/results.h"

namespace tigress::reports {

// `CoverageEntry` is what a run says about one requirement.
struct CoverageEntry {
  std::string requirement_id;
  const Requirement* requirement = nullptr;  // null: the ID is not in the catalogue
  std::vector<std::size_t> cases;            // indexes into RunResult::cases
  // Worst verdict of the assertions naming the requirement; when the cases
  // only list it in `requirement_ids`, the worst of those case verdicts;
  // nullopt when no case checks it ("not tested").
  std::optional<Verdict> worst;
};

// `ComputeCoverage` lists every catalogue requirement in catalogue order,
// then IDs the cases mention that the catalogue lacks (sorted). With a null
// catalogue only the IDs the cases mention are listed (sorted).
std::vector<CoverageEntry> ComputeCoverage(const RunResult& run, const Catalog* catalog);

// Identifies report.json files; the major version is `kReportSchemaVersion`.
inline constexpr std::string_view kReportSchemaName = "tigress-harness/report";

// `RenderReportJson` is report.json (schema in docs/reports.md).
std::string RenderReportJson(const RunResult& unguarded, const Catalog* catalog,
                             const RedactionGuard* guard = nullptr);

// `ParseReportJson` reads a report.json back into a `RunResult` (coverage and
// summary are derived data and are not read). Errors: kJsonInvalid,
// kConfigInvalid naming the JSON path of a bad field, or an unsupported
// schema version.
Result<RunResult> ParseReportJson(std::string_view text);

// `RenderJunitXml` is junit.xml: one <testsuite> per case area, one
// <testcase> per case (classname "tigress.<area>", name = case ID plus the
// implementations). FAIL and stale expectations -> <failure>, ERROR and
// TIMEOUT -> <error>, UNSUPPORTED and expected failures -> <skipped>; WARN,
// INFO and PASS pass. <system-out> carries the rerun command and findings.
std::string RenderJunitXml(const RunResult& unguarded, const RedactionGuard* guard = nullptr);

// `RenderSummaryMarkdown` is summary.md: counts, the non-PASS cases with
// requirement IDs, one-line reasons and rerun commands, and a coverage table.
std::string RenderSummaryMarkdown(const RunResult& unguarded, const Catalog* catalog,
                                  const RedactionGuard* guard = nullptr);

// `RenderHtml` is report.html: one file with inline CSS and a little optional
// inline JS (filtering); readable without JS, no external resources.
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
