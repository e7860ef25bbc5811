// summary.md: short enough for a PR comment or a CI job summary.
#include <algorithm>
#include <sstream>

#include "reports/escape.h"
#include "reports/matrix.h"
#include "reports/render_util.h"
#include "reports/root_causes.h"
#include "reports/writers.h"

namespace tigress::reports {
namespace {

// GitHub rejects PR comments and job summaries above 64 KiB; a capped table
// keeps summary.md postable however badly a run goes.
constexpr std::size_t kMaxCaseRows = 100;

std::string Examples(const FailureGroup& g) {
  std::string out;
  for (std::size_t i = 0; i < g.cases.size() && i < kRootCauseExamples; ++i) {
    out += (i > 0 ? ", " : "") + MarkdownCode(g.cases[i]);
  }
  if (g.cases.size() > kRootCauseExamples) {
    out += " (+" + std::to_string(g.cases.size() - kRootCauseExamples) + ")";
  }
  return out;
}

void RootCauses(std::ostringstream& out, const RunResult& run) {
  const std::vector<FailureGroup> groups = GroupFailures(run);
  if (groups.empty()) return;
  out << "## Root causes\n\n| Cases | Verdict | Root cause | Examples |\n|---:|---|---|---|\n";
  for (std::size_t i = 0; i < groups.size() && i < kRootCausesShown; ++i) {
    const FailureGroup& g = groups[i];
    out << "| " << g.cases.size() << " | " << VerdictName(g.verdict) << " | "
        << MarkdownCell(g.signature) << " | " << Examples(g) << " |\n";
  }
  out << "\n";
  if (groups.size() > kRootCausesShown) {
    out << "… and " << groups.size() - kRootCausesShown
        << " more root causes; see report.html.\n\n";
  }
}

// What the run found out about a requirement it did not check.
std::string WhyNotChecked(const CoverageEntry& e, const RunResult& run) {
  auto more = [](std::size_t n) {
    return n > 1 ? " (+" + std::to_string(n - 1) + " more cases)" : std::string();
  };
  switch (e.status) {
    case CoverageStatus::kNotEvaluated:
      return MarkdownCell("not evaluated: " + e.not_evaluated.front().second + " in " +
                          run.cases[e.not_evaluated.front().first].case_id +
                          more(e.not_evaluated.size()));
    case CoverageStatus::kNotExamined:
      return MarkdownCell("not examined: " + run.cases[e.cases.front()].case_id +
                          more(e.cases.size()) + " declares it, no assertion cites it");
    case CoverageStatus::kChecked:
    case CoverageStatus::kNotTested:
      break;
  }
  const NotChecked* why = e.requirement != nullptr && e.requirement->not_checked
                              ? &*e.requirement->not_checked
                              : nullptr;
  return why != nullptr ? MarkdownCell(why->category + ": " + why->reason)
                        : std::string("no case of this run checks it");
}

}  // namespace

std::string RenderSummaryMarkdown(const RunResult& unguarded, const Catalog* catalog,
                                  const RedactionGuard* guard) {
  const RunResult run = internal::Guarded(unguarded, guard);
  const RunSummary s = run.Summarize();
  std::ostringstream out;

  out << "# tigress-harness run " << MarkdownInline(run.run_id) << "\n\n";
  // The diagnosis explains the verdicts below it (e.g. a revision mismatch),
  // so it comes before the result.
  if (!run.diagnosis.empty()) {
    out << "> **Diagnosis**\n";
    for (const std::string& line : run.diagnosis) out << ">\n> " << MarkdownInline(line) << "\n";
    out << "\n";
  }
  out << (run.ExitCode() == 0 ? "**Result: OK**" : "**Result: FAILED**") << " (exit code "
      << run.ExitCode() << "; " << s.unexpected << " unexpected"
      << (run.NothingTested() ? "; nothing was tested: every case is UNSUPPORTED" : "") << ")\n\n";
  RootCauses(out, run);
  out << "- Spec: " << MarkdownInline(internal::SpecLabel(run.spec)) << "\n";
  out << "- Profile: " << ProfileName(run.profile) << " (" << internal::ProfileRule(run.profile)
      << "), seed: " << run.seed << "\n";
  if (!run.started.empty()) {
    out << "- Started: " << MarkdownInline(run.started)
        << ", finished: " << MarkdownInline(run.finished) << "\n";
  }
  if (!run.harness_version.empty()) {
    out << "- Harness: " << MarkdownInline(run.harness_version) << "\n";
  }
  for (const ImplementationInfo& i : run.implementations) {
    out << "- Implementation: " << MarkdownInline(i.name) << " " << MarkdownInline(i.version)
        << " (" << MarkdownInline(internal::Join(i.roles, ", ")) << ")"
        << (i.spec == run.spec ? "" : ", spec " + MarkdownInline(i.spec)) << "\n";
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
      if (const std::string note = internal::ExpectationNote(*c); !note.empty()) {
        verdict += " (" + note + ")";
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

  // Per case: what a stop kept it from checking.
  std::size_t skipped_rows = 0;
  std::size_t skipped_total = 0;
  for (const CaseResult& c : run.cases) skipped_total += c.not_evaluated.size();
  if (skipped_total > 0) {
    out << "## Requirements not evaluated (" << skipped_total << ")\n\n"
        << "| Case | Requirement | Reason |\n|---|---|---|\n";
    for (const CaseResult& c : run.cases) {
      for (const NotEvaluated& n : c.not_evaluated) {
        if (skipped_rows++ == kMaxCaseRows) break;
        out << "| " << MarkdownCell(c.case_id) << " | " << MarkdownCell(n.requirement_id) << " | "
            << MarkdownCell(n.reason) << " |\n";
      }
    }
    out << "\n";
    if (skipped_total > kMaxCaseRows) {
      out << "… and " << skipped_total - kMaxCaseRows << " more; see report.html.\n\n";
    }
  }
  if (!run.disabled.empty()) {
    out << "## Disabled cases (" << run.disabled.size() << ")\n\n| Case | Reason |\n|---|---|\n";
    for (std::size_t i = 0; i < run.disabled.size() && i < kMaxCaseRows; ++i) {
      out << "| " << MarkdownCell(run.disabled[i].first) << " | "
          << MarkdownCell(run.disabled[i].second) << " |\n";
    }
    out << "\n";
    if (run.disabled.size() > kMaxCaseRows) {
      out << "… and " << run.disabled.size() - kMaxCaseRows << " more; see report.json.\n\n";
    }
  }

  const std::vector<CoverageEntry> coverage = ComputeCoverage(run, catalog);
  int tested = 0;
  int untested_must = 0;
  int not_evaluated = 0;
  int not_examined = 0;
  for (const CoverageEntry& e : coverage) {
    if (e.worst) {
      ++tested;
    } else if (e.requirement != nullptr && e.requirement->severity == Severity::kMust) {
      ++untested_must;
    }
    not_evaluated += e.status == CoverageStatus::kNotEvaluated ? 1 : 0;
    not_examined += e.status == CoverageStatus::kNotExamined ? 1 : 0;
  }
  out << "## Requirement coverage\n\n";
  out << tested << " of " << coverage.size() << " requirements checked (an assertion cites them)";
  if (catalog != nullptr) out << "; " << untested_must << " must-level requirements not tested";
  if (not_evaluated > 0) out << "; " << not_evaluated << " not evaluated (a case stopped early)";
  if (not_examined > 0) {
    out << "; " << not_examined << " not examined (declared by a case, cited by no assertion)";
  }
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
      out << "| " << MarkdownCell(e.requirement_id) << " | " << MarkdownCell(e.requirement->level)
          << " | " << WhyNotChecked(e, run) << " |\n";
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
