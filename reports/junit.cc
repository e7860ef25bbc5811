// junit.xml in the de-facto schema that Jenkins, GitLab and GitHub test
// reporters read (testsuites > testsuite > testcase with failure / error /
// skipped / system-out).
#include <map>
#include <sstream>

#include "reports/escape.h"
#include "reports/render_util.h"
#include "reports/root_causes.h"
#include "reports/writers.h"

namespace tigress::reports {
namespace {

struct Suite {
  std::vector<const CaseResult*> cases;
  int failures = 0;
  int errors = 0;
  int skipped = 0;
  double time = 0;
};

enum class Outcome { kPassed, kFailure, kError, kSkipped };

Outcome OutcomeOf(const CaseResult& c) {
  if (c.stale_expectation) return Outcome::kFailure;
  if (internal::IsCoveredFailure(c)) return Outcome::kSkipped;
  switch (c.verdict) {
    case Verdict::kFail:
      return Outcome::kFailure;
    case Verdict::kError:
    case Verdict::kTimeout:
      return Outcome::kError;
    case Verdict::kUnsupported:
      return Outcome::kSkipped;
    case Verdict::kPass:
    case Verdict::kWarn:
    case Verdict::kInfo:
      return Outcome::kPassed;
  }
  return Outcome::kError;
}

std::string Attr(std::string_view name, std::string_view value) {
  return " " + std::string(name) + "=\"" + XmlEscape(value) + "\"";
}

// The details block of a failure/error: every non-PASS assertion on its own
// line, the requirements the case did not evaluate, then the harness's error
// detail.
std::string Details(const CaseResult& c, Profile profile) {
  std::ostringstream out;
  for (const Assertion& a : c.assertions) {
    if (a.verdict == Verdict::kPass) continue;
    out << VerdictName(a.verdict) << ' ' << (a.requirement_id.empty() ? "-" : a.requirement_id)
        << ": " << a.message;
    if (!a.expected.empty() || !a.actual.empty()) {
      out << " (expected " << a.expected << ", got " << a.actual << ")";
    }
    if (a.interpretation) {
      out << " [interpretation " << internal::Join(a.interpretation_refs, ",") << "]";
    }
    if (a.profile_downgrade) out << " [" << internal::DowngradeNote(a, profile) << "]";
    out << '\n';
  }
  for (const NotEvaluated& n : c.not_evaluated) {
    out << "NOT EVALUATED " << n.requirement_id << ": " << n.reason << '\n';
  }
  if (!c.error_detail.empty()) out << "detail: " << c.error_detail << '\n';
  return out.str();
}

}  // namespace

std::string RenderJunitXml(const RunResult& unguarded, const RedactionGuard* guard) {
  const RunResult run = internal::Guarded(unguarded, guard);
  std::map<std::string, Suite> suites;  // sorted by area: stable output
  int failures = 0;
  int errors = 0;
  int skipped = 0;
  double total_time = 0;
  for (const CaseResult& c : run.cases) {
    Suite& s = suites[c.Area()];
    s.cases.push_back(&c);
    s.time += c.duration_s;
    total_time += c.duration_s;
    switch (OutcomeOf(c)) {
      case Outcome::kFailure:
        ++s.failures, ++failures;
        break;
      case Outcome::kError:
        ++s.errors, ++errors;
        break;
      case Outcome::kSkipped:
        ++s.skipped, ++skipped;
        break;
      case Outcome::kPassed:
        break;
    }
  }

  std::ostringstream out;
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out << "<testsuites" << Attr("name", "tigress-harness " + run.run_id)
      << Attr("tests", std::to_string(run.cases.size()))
      << Attr("failures", std::to_string(failures)) << Attr("errors", std::to_string(errors))
      << Attr("skipped", std::to_string(skipped))
      << Attr("time", internal::FormatDecimal(total_time)) << ">\n";
  for (const auto& [area, s] : suites) {
    out << "  <testsuite" << Attr("name", area) << Attr("tests", std::to_string(s.cases.size()))
        << Attr("failures", std::to_string(s.failures)) << Attr("errors", std::to_string(s.errors))
        << Attr("skipped", std::to_string(s.skipped))
        << Attr("time", internal::FormatDecimal(s.time));
    if (!run.started.empty()) out << Attr("timestamp", run.started);
    out << ">\n    <properties>\n";
    std::vector<std::pair<std::string, std::string>> properties{
        {"run_id", run.run_id},
        {"profile", std::string(ProfileName(run.profile))},
        {"seed", std::to_string(run.seed)},
        {"harness_version", run.harness_version},
        {"spec", run.spec}};
    if (!run.diagnosis.empty())
      properties.emplace_back("diagnosis", internal::Join(run.diagnosis, " | "));
    for (const auto& [k, v] : properties) {
      out << "      <property" << Attr("name", k) << Attr("value", v) << "/>\n";
    }
    out << "    </properties>\n";
    for (const CaseResult* c : s.cases) {
      std::string name = c->case_id;
      if (const std::string impls = internal::Implementations(*c); !impls.empty()) {
        name += " [" + impls + "]";
      }
      out << "    <testcase" << Attr("classname", "tigress." + area) << Attr("name", name)
          << Attr("time", internal::FormatDecimal(c->duration_s)) << ">\n";
      const std::string reason = internal::PrimaryReason(*c);
      const std::string details = Details(*c, run.profile);
      std::string note = internal::ExpectationNote(*c);
      switch (OutcomeOf(*c)) {
        case Outcome::kFailure:
          if (c->stale_expectation) {
            out << "      <failure" << Attr("type", "STALE_EXPECTATION")
                << Attr("message", internal::StaleReason(*c)) << ">" << XmlEscape(details)
                << "</failure>\n";
          } else {
            out << "      <failure" << Attr("type", "FAIL")
                << Attr("message", c->expected_failure ? reason + " (" + note + ")" : reason) << ">"
                << XmlEscape(details) << "</failure>\n";
          }
          break;
        case Outcome::kError:
          out << "      <error" << Attr("type", VerdictName(c->verdict))
              << Attr("message", c->expected_failure ? reason + " (" + note + ")" : reason) << ">"
              << XmlEscape(details) << "</error>\n";
          break;
        case Outcome::kSkipped:
          if (internal::IsCoveredFailure(*c)) {
            out << "      <skipped"
                << Attr("message", "expected failure (" + std::string(VerdictName(c->verdict)) +
                                       "): " + c->expected_failure_reason + " | " + reason)
                << "/>\n";
          } else {
            out << "      <skipped" << Attr("message", "UNSUPPORTED: " + reason) << "/>\n";
          }
          break;
        case Outcome::kPassed:
          break;
      }
      std::string system_out = "verdict: " + std::string(VerdictName(c->verdict)) + "\n";
      if (!c->rerun_command.empty()) system_out += "rerun: " + c->rerun_command + "\n";
      if (!c->requirement_ids.empty()) {
        system_out += "requirements: " + internal::Join(c->requirement_ids, " ") + "\n";
      }
      if (!c->case_dir.empty()) system_out += "artifacts: " + c->case_dir + "\n";
      if (const std::string cause = FailureSignature(*c); !cause.empty()) {
        system_out += "root cause: " + cause + "\n";
      }
      if (c->verdict == Verdict::kWarn || c->verdict == Verdict::kInfo) system_out += details;
      out << "      <system-out>" << XmlEscape(system_out) << "</system-out>\n";
      out << "    </testcase>\n";
    }
    out << "  </testsuite>\n";
  }
  out << "</testsuites>\n";
  return internal::FinalGuard(out.str(), guard);
}

}  // namespace tigress::reports
