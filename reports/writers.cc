// Coverage, run-directory handling and the shared render helpers; the
// individual formats live in report_json.cc, junit.cc, markdown.cc, html.cc.
#include "reports/writers.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <system_error>

#include "protocol/revision.h"
#include "reports/escape.h"
#include "reports/render_util.h"

namespace tigress::reports {
namespace internal {

RunResult Guarded(const RunResult& run, const RedactionGuard* guard) {
  RunResult copy = run;
  if (guard != nullptr) guard->ApplyTo(copy);
  return copy;
}

std::string FinalGuard(std::string text, const RedactionGuard* guard) {
  return guard == nullptr ? text : guard->Apply(text);
}

std::string FormatSeconds(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) seconds = 0;
  char buf[32];
  if (seconds < 60) {
    std::snprintf(buf, sizeof buf, "%.1fs", seconds);
  } else {
    const auto total = static_cast<long long>(seconds);
    std::snprintf(buf, sizeof buf, "%lldm%02llds", total / 60, total % 60);
  }
  return buf;
}

std::string FormatDecimal(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) seconds = 0;
  // Integer arithmetic keeps the decimal point independent of the C locale.
  const auto ms = static_cast<long long>(std::llround(seconds * 1000.0));
  char buf[40];
  std::snprintf(buf, sizeof buf, "%lld.%03lld", ms / 1000, ms % 1000);
  return buf;
}

std::string Join(const std::vector<std::string>& parts, std::string_view sep) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += sep;
    out += parts[i];
  }
  return out;
}

std::string Implementations(const CaseResult& c) {
  std::vector<std::string> parts;
  if (!c.initiator.empty()) parts.push_back("initiator=" + c.initiator);
  if (!c.relay.empty()) parts.push_back("relay=" + c.relay);
  if (!c.recipient.empty()) parts.push_back("recipient=" + c.recipient);
  return Join(parts, " ");
}

std::string StaleReason(const CaseResult& c) {
  std::string what = "known failure";
  if (!c.expected_failure_requirements.empty()) {
    what += " of " + Join(c.expected_failure_requirements, ", ");
  }
  return OneLine(what + " did not fail (" + std::string(VerdictName(c.verdict)) +
                 "); update the expectations file: " + c.expected_failure_reason);
}

bool IsCoveredFailure(const CaseResult& c) {
  return c.expected_failure && IsFailing(c.verdict) && !c.Unexpected();
}

std::string ExpectationNote(const CaseResult& c) {
  if (c.stale_expectation) return "stale expectation";
  if (IsCoveredFailure(c)) return "expected";
  if (c.expected_failure && c.Unexpected()) {
    if (c.verdict != Verdict::kFail) return "unexpected: a known failure covers FAIL only";
    return "unexpected: the known failure covers " + Join(c.expected_failure_requirements, ", ") +
           " only";
  }
  if (c.Unexpected()) return "unexpected";
  return {};
}

std::string SpecLabel(std::string_view spec) {
  const std::optional<Revision> r = ParseRevision(spec);
  if (!r) return std::string(spec);
  return std::string(RevisionOf(*r).draft) + " (" + std::string(RevisionOf(*r).name) + ")";
}

std::string ProfileRule(Profile p) {
  switch (p) {
    case Profile::kStandard:
      return "an interpretation-based FAIL stays FAIL for an interop reading, becomes WARN for a "
             "robustness reading and INFO for a hardening reading";
    case Profile::kStrict:
      return "every interpretation-based FAIL stays FAIL";
    case Profile::kLenient:
      return "every interpretation-based FAIL becomes WARN (INFO for a hardening reading)";
  }
  return {};
}

std::string DowngradeNote(const Assertion& a, Profile p) {
  std::string note = "FAIL → " + std::string(VerdictName(a.verdict)) + " (" +
                     std::string(ProfileName(p)) + " profile";
  if (a.interpretation_class != InterpretationClass::kNone) {
    note += ", " + std::string(InterpretationClassName(a.interpretation_class)) + " interpretation";
  }
  return note + ")";
}

std::string BasisLine(const Basis& b) {
  if (b.kind.empty()) return {};
  std::string head;
  if (b.kind == "interpretation") {
    head = "interpretation " + b.source;
  } else if (b.kind == "rfc") {
    head = b.source;
  } else {
    head = b.kind + " " + b.source + (b.level.empty() ? "" : " " + b.level);
  }
  return OneLine(b.text.empty() ? head : head + ": " + b.text, 240);
}

std::string PrimaryReason(const CaseResult& c) {
  if (c.stale_expectation) return StaleReason(c);
  for (const Assertion& a : c.assertions) {
    if (a.verdict != c.verdict) continue;
    std::string reason = a.requirement_id.empty() ? a.message : a.requirement_id + ": " + a.message;
    if (!a.expected.empty() || !a.actual.empty()) {
      reason += " (expected " + a.expected + ", got " + a.actual + ")";
    }
    return OneLine(reason);
  }
  if (!c.error_detail.empty()) return OneLine(c.error_detail);
  return std::string(VerdictName(c.verdict));
}

std::vector<std::string> FailingRequirements(const CaseResult& c) {
  std::vector<std::string> ids;
  for (const Assertion& a : c.assertions) {
    if (a.verdict == Verdict::kPass || a.verdict == Verdict::kInfo) continue;
    if (a.requirement_id.empty()) continue;
    if (std::find(ids.begin(), ids.end(), a.requirement_id) == ids.end()) {
      ids.push_back(a.requirement_id);
    }
  }
  return ids;
}

std::vector<SeverityTally> TallyBySeverity(const std::vector<CoverageEntry>& coverage) {
  std::vector<SeverityTally> rows;
  for (Severity sev : {Severity::kMust, Severity::kShould, Severity::kMay, Severity::kInfo}) {
    SeverityTally t;
    t.severity = sev;
    for (const CoverageEntry& e : coverage) {
      if (e.requirement == nullptr || e.requirement->severity != sev) continue;
      ++t.total;
      if (e.worst) {
        ++t.checked;
      } else if (e.requirement->not_checked) {
        ++t.explained;
      }
    }
    rows.push_back(t);
  }
  return rows;
}

}  // namespace internal

std::string_view CoverageStatusName(CoverageStatus s) {
  switch (s) {
    case CoverageStatus::kChecked:
      return "checked";
    case CoverageStatus::kNotEvaluated:
      return "not evaluated";
    case CoverageStatus::kNotExamined:
      return "not examined";
    case CoverageStatus::kNotTested:
      return "not tested";
  }
  return "not tested";
}

namespace {

CoverageStatus StatusOf(bool cited, bool not_evaluated, bool mentioned) {
  if (cited) return CoverageStatus::kChecked;
  if (not_evaluated) return CoverageStatus::kNotEvaluated;
  return mentioned ? CoverageStatus::kNotExamined : CoverageStatus::kNotTested;
}

}  // namespace

std::vector<CaseRequirement> CaseRequirements(const CaseResult& c) {
  std::vector<CaseRequirement> out;
  auto find = [&](const std::string& id) -> CaseRequirement& {
    for (CaseRequirement& r : out) {
      if (r.requirement_id == id) return r;
    }
    CaseRequirement r;
    r.requirement_id = id;
    out.push_back(std::move(r));
    return out.back();
  };
  for (const std::string& id : c.requirement_ids) {
    if (!id.empty()) find(id);
  }
  for (const Assertion& a : c.assertions) {
    if (a.requirement_id.empty()) continue;
    CaseRequirement& r = find(a.requirement_id);
    r.worst = r.worst ? Worst(*r.worst, a.verdict) : a.verdict;
  }
  for (const NotEvaluated& n : c.not_evaluated) {
    if (n.requirement_id.empty()) continue;
    CaseRequirement& r = find(n.requirement_id);
    if (!r.not_evaluated_too) r.not_evaluated = n.reason;
    r.not_evaluated_too = true;
  }
  for (CaseRequirement& r : out) {
    r.status = StatusOf(r.worst.has_value(), r.not_evaluated_too, true);
  }
  return out;
}

std::vector<CoverageEntry> ComputeCoverage(const RunResult& run, const Catalog* catalog) {
  std::map<std::string, CoverageEntry> acc;
  for (std::size_t i = 0; i < run.cases.size(); ++i) {
    for (const CaseRequirement& r : CaseRequirements(run.cases[i])) {
      CoverageEntry& e = acc[r.requirement_id];
      e.cases.push_back(i);
      if (r.worst) e.worst = e.worst ? Worst(*e.worst, *r.worst) : *r.worst;
      if (r.not_evaluated_too) e.not_evaluated.emplace_back(i, r.not_evaluated);
    }
  }
  auto entry = [&](const std::string& id, const Requirement* req) {
    CoverageEntry e;
    if (auto it = acc.find(id); it != acc.end()) e = it->second;
    e.requirement_id = id;
    e.requirement = req;
    e.status = StatusOf(e.worst.has_value(), !e.not_evaluated.empty(), !e.cases.empty());
    return e;
  };
  std::vector<CoverageEntry> out;
  std::set<std::string> listed;
  if (catalog != nullptr) {
    for (const Requirement& r : catalog->requirements()) {
      out.push_back(entry(r.id, &r));
      listed.insert(r.id);
    }
  }
  for (const auto& [id, a] : acc) {
    if (!listed.contains(id)) out.push_back(entry(id, nullptr));
  }
  return out;
}

Result<std::filesystem::path> RunDirectory(const std::filesystem::path& root,
                                           std::string_view run_id) {
  if (run_id.empty() || run_id == "." || run_id == "..") {
    return MakeError(Errc::kConfigInvalid,
                     "run id '" + std::string(run_id) + "' cannot be used as a directory name");
  }
  for (char c : run_id) {
    if (c == '/' || c == '\\' || static_cast<unsigned char>(c) < 0x20 || c == 0x7F) {
      return MakeError(
          Errc::kConfigInvalid,
          "run id '" + TerminalSafe(run_id) + "' contains a path separator or control character");
    }
  }
  return root / std::string(run_id);
}

namespace {

Result<void> WriteFileAtomically(const std::filesystem::path& path, const std::string& text) {
  std::filesystem::path tmp = path;
  tmp += ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return MakeError(Errc::kIoFailure, tmp.string() + ": cannot open for writing");
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
    out.flush();
    if (!out) return MakeError(Errc::kIoFailure, tmp.string() + ": write failed");
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    std::filesystem::remove(tmp, ec);
    return MakeError(Errc::kIoFailure, path.string() + ": rename failed: " + ec.message());
  }
  return {};
}

}  // namespace

Result<std::filesystem::path> WriteRunReports(const RunResult& run, const Catalog* catalog,
                                              const RedactionGuard& guard,
                                              const std::filesystem::path& run_dir) {
  std::error_code ec;
  std::filesystem::create_directories(run_dir, ec);
  if (ec) {
    return MakeError(Errc::kIoFailure, run_dir.string() + ": cannot create: " + ec.message());
  }
  // Redact once here; the renderers' own final pass stays as the safety net.
  const RunResult safe = internal::Guarded(run, &guard);
  const std::pair<const char*, std::string> files[] = {
      {"report.json", RenderReportJson(safe, catalog, &guard)},
      {"junit.xml", RenderJunitXml(safe, &guard)},
      {"summary.md", RenderSummaryMarkdown(safe, catalog, &guard)},
      {"report.html", RenderHtml(safe, catalog, &guard)},
  };
  for (const auto& [name, text] : files) {
    TIGRESS_RETURN_IF_ERROR(WriteFileAtomically(run_dir / name, text));
  }
  return run_dir;
}

}  // namespace tigress::reports
