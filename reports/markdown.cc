// summary.md: short enough for a PR comment or a CI job summary.
#include <algorithm>
#include <sstream>

#include "reports/escape.h"
#include "reports/matrix.h"
#include "reports/render_util.h"
#include "reports/writers.h"

namespace tigress::reports {
namespace {

// GitHub rejects PR comments and job summaries above 64 KiB; a capped table
// keeps summary.md postable however badly a run goes.
constexpr std::size_t kMaxCaseRows = 100;

}  // namespace

std::string RenderSummaryMarkdown(const RunResult& unguarded, const Catalog* catalog,
                                  const RedactionGuard* guard) {
  const RunResult run = internal::Guarded(unguarded, guard);
  const RunSummary s = run.Summarize();
  std::ostringstream out;

  out << "# tigress-harness run " << MarkdownInline(run.run_id) << "\n\n";
  out << (run.ExitCode() == 0 ? "**Result: OK**" : "**Result: FAILED**") << " (exit code "
      << run.ExitCode() << "; " << s.unexpected << " unexpected)\n\n";
  out << "- Profile: " << ProfileName(run.profile) << ", seed: " << run.seed << "\n";
  if (!run.started.empty()) {
    out << "- Started: " << MarkdownInline(run.started)
        << ", finished: " << MarkdownInline(run.finished) << "\n";
  }
  if (!run.harness_version.empty()) {
    out << "- Harness: " << MarkdownInline(run.harness_version) << "\n";
  }
  for (const ImplementationInfo& i : run.implementations) {
    out << "- Implementation: " << MarkdownInline(i.name) << " " << MarkdownInline(i.version)
        << " (" << MarkdownInline(internal::Join(i.roles, ", ")) << ")\n";
  }
  if (!run.command_line.empty()) out << "- Command: " << MarkdownCode(run.command_line) << "\n";
  out << "\n";

  out << "| Total | PASS | FAIL | WARN | INFO | UNSUPPORTED | ERROR | TIMEOUT | Expected failures "
         "| "
         "Stale |\n";
  out << "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n";
  out << "| " << s.total << " | " << s.pass << " | " << s.fail << " | " << s.warn << " | " << s.info
      << " | " << s.unsupported << " | " << s.error << " | " << s.timeout << " | "
      << s.expected_failures << " | " << s.stale << " |\n\n";

  if (const std::string matrix = RenderMatrixMarkdown(ComputeMatrix(run)); !matrix.empty()) {
    out << "## Interop matrix\n\n" << matrix;
  }

  std::vector<const CaseResult*> notable;
  for (const CaseResult& c : run.cases) {
    if (c.verdict != Verdict::kPass || c.stale_expectation) notable.push_back(&c);
  }
  out << "## Cases that did not pass (" << notable.size() << ")\n\n";
  if (notable.empty()) {
    out << "Every case passed.\n\n";
  } else {
    out << "| Verdict | Case | Requirements | Reason | Rerun |\n";
    out << "|---|---|---|---|---|\n";
    // Unexpected results first, so the cap below never hides one behind
    // known failures; otherwise run order.
    std::stable_partition(notable.begin(), notable.end(),
                          [](const CaseResult* c) { return c->Unexpected(); });
    std::size_t shown = 0;
    for (const CaseResult* c : notable) {
      if (shown++ == kMaxCaseRows) break;
      std::string verdict(VerdictName(c->verdict));
      if (c->stale_expectation) {
        verdict += " (stale expectation)";
      } else if (c->expected_failure && IsFailing(c->verdict)) {
        verdict += " (expected)";
      } else if (c->Unexpected()) {
        verdict += " (unexpected)";
      }
      std::string reason = internal::PrimaryReason(*c);
      for (const Assertion& a : c->assertions) {
        if (!c->stale_expectation && a.interpretation && a.verdict == c->verdict) {
          reason += " (interpretation " + internal::Join(a.interpretation_refs, ", ") + ")";
          break;
        }
      }
      std::vector<std::string> ids = internal::FailingRequirements(*c);
      if (ids.empty()) ids = c->requirement_ids;
      out << "| " << MarkdownCell(verdict) << " | " << MarkdownCell(c->case_id);
      if (const std::string impls = internal::Implementations(*c); !impls.empty()) {
        out << "<br>" << MarkdownCell(impls);
      }
      out << " | " << MarkdownCell(internal::Join(ids, ", ")) << " | " << MarkdownCell(reason)
          << " | " << (c->rerun_command.empty() ? "" : MarkdownCode(c->rerun_command)) << " |\n";
    }
    out << "\n";
    if (notable.size() > kMaxCaseRows) {
      out << "… and " << notable.size() - kMaxCaseRows << " more; see report.html.\n\n";
    }
  }

  const std::vector<CoverageEntry> coverage = ComputeCoverage(run, catalog);
  int tested = 0;
  int untested_must = 0;
  for (const CoverageEntry& e : coverage) {
    if (e.worst) {
      ++tested;
    } else if (e.requirement != nullptr && e.requirement->severity == Severity::kMust) {
      ++untested_must;
    }
  }
  out << "## Requirement coverage\n\n";
  out << tested << " of " << coverage.size() << " requirements checked";
  if (catalog != nullptr) out << "; " << untested_must << " must-level requirements not tested";
  out << ".\n\n";
  if (catalog != nullptr) {
    // Per severity: what the catalogue holds, what this run checked, and how
    // much of the rest the catalogue itself explains (not_checked).
    out << "| Severity | In catalogue | Checked | Not checked (reason in catalogue) | Not checked "
           "(no reason: not selected, or a gap) |\n|---|---:|---:|---:|---:|\n";
    for (const internal::SeverityTally& t : internal::TallyBySeverity(coverage)) {
      out << "| " << SeverityName(t.severity) << " | " << t.total << " | " << t.checked << " | "
          << t.explained << " | " << t.Unexplained() << " |\n";
    }
    out << "\n";
    bool any_untested = false;
    for (const CoverageEntry& e : coverage) {
      if (e.worst || e.requirement == nullptr) continue;
      if (!any_untested) {
        out << "Not checked by this run:\n\n| Requirement | Level | Why |\n|---|---|---|\n";
        any_untested = true;
      }
      const NotChecked* why = e.requirement->not_checked ? &*e.requirement->not_checked : nullptr;
      out << "| " << MarkdownCell(e.requirement_id) << " | " << MarkdownCell(e.requirement->level)
          << " | "
          << (why != nullptr ? MarkdownCell(why->category + ": " + why->reason)
                             : std::string("no case of this run checks it"))
          << " |\n";
    }
    if (any_untested) out << "\n";
  }
  if (tested > 0) {
    out << "| Requirement | Level | Verdict | Cases |\n|---|---|---|---:|\n";
    for (const CoverageEntry& e : coverage) {
      if (!e.worst) continue;
      std::string level = e.requirement == nullptr ? "(not in catalogue)" : e.requirement->level;
      if (e.requirement != nullptr && e.requirement->interpretation) {
        level += " (interp. " + internal::Join(e.requirement->interpretation_refs, ",") + ")";
      }
      out << "| " << MarkdownCell(e.requirement_id) << " | " << MarkdownCell(level) << " | "
          << VerdictName(*e.worst) << " | " << e.cases.size() << " |\n";
    }
    out << "\n";
  }
  out << "Full details: report.html; machine-readable: report.json.\n";
  return internal::FinalGuard(out.str(), guard);
}

}  // namespace tigress::reports
