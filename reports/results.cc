#include "reports/results.h"

#include <algorithm>
#include <array>

#include "protocol/text.h"
#include "reports/render_util.h"

namespace tigress::reports {
namespace {

struct VerdictEntry {
  Verdict verdict;
  std::string_view name;
  int rank;
};

// Ranks put ERROR and TIMEOUT above FAIL: a broken run must never look like a
// clean protocol failure. INFO is below PASS so that a case made of checks and
// notes reads as PASS.
constexpr std::array<VerdictEntry, 7> kVerdicts = {{
    {Verdict::kPass, "PASS", 1},
    {Verdict::kFail, "FAIL", 4},
    {Verdict::kWarn, "WARN", 3},
    {Verdict::kInfo, "INFO", 0},
    {Verdict::kUnsupported, "UNSUPPORTED", 2},
    {Verdict::kError, "ERROR", 6},
    {Verdict::kTimeout, "TIMEOUT", 5},
}};

const VerdictEntry& EntryOf(Verdict v) {
  for (const VerdictEntry& e : kVerdicts) {
    if (e.verdict == v) return e;
  }
  return kVerdicts[5];  // out-of-range enum value: treat as ERROR
}

// The verdict counter of a `RunSummary`; null for an out-of-range value.
int RunSummary::*VerdictField(Verdict v) {
  switch (v) {
    case Verdict::kPass:
      return &RunSummary::pass;
    case Verdict::kFail:
      return &RunSummary::fail;
    case Verdict::kWarn:
      return &RunSummary::warn;
    case Verdict::kInfo:
      return &RunSummary::info;
    case Verdict::kUnsupported:
      return &RunSummary::unsupported;
    case Verdict::kError:
      return &RunSummary::error;
    case Verdict::kTimeout:
      return &RunSummary::timeout;
  }
  return nullptr;
}

}  // namespace

std::string_view VerdictName(Verdict v) { return EntryOf(v).name; }

std::optional<Verdict> ParseVerdict(std::string_view name) {
  for (const VerdictEntry& e : kVerdicts) {
    if (text::EqualsIgnoreCase(e.name, name)) return e.verdict;
  }
  return std::nullopt;
}

int VerdictRank(Verdict v) { return EntryOf(v).rank; }

Verdict Worst(Verdict a, Verdict b) { return VerdictRank(b) > VerdictRank(a) ? b : a; }

Verdict Worst(std::span<const Verdict> verdicts, Verdict if_empty) {
  if (verdicts.empty()) return if_empty;
  Verdict worst = verdicts.front();
  for (Verdict v : verdicts) worst = Worst(worst, v);
  return worst;
}

bool IsFailing(Verdict v) {
  return v == Verdict::kFail || v == Verdict::kError || v == Verdict::kTimeout;
}

std::string_view ProfileName(Profile p) {
  switch (p) {
    case Profile::kStandard:
      return "standard";
    case Profile::kStrict:
      return "strict";
    case Profile::kLenient:
      return "lenient";
  }
  return "standard";
}

std::optional<Profile> ParseProfile(std::string_view name) {
  for (Profile p : {Profile::kStandard, Profile::kStrict, Profile::kLenient}) {
    if (text::EqualsIgnoreCase(name, ProfileName(p))) return p;
  }
  return std::nullopt;
}

std::string_view InterpretationClassName(InterpretationClass c) {
  switch (c) {
    case InterpretationClass::kNone:
      return "";
    case InterpretationClass::kInterop:
      return "interop";
    case InterpretationClass::kRobustness:
      return "robustness";
    case InterpretationClass::kHardening:
      return "hardening";
  }
  return "";
}

std::optional<InterpretationClass> ParseInterpretationClass(std::string_view name) {
  for (InterpretationClass c : {InterpretationClass::kInterop, InterpretationClass::kRobustness,
                                InterpretationClass::kHardening}) {
    if (text::EqualsIgnoreCase(name, InterpretationClassName(c))) return c;
  }
  return std::nullopt;
}

InterpretationClass WeakerClass(InterpretationClass a, InterpretationClass b) {
  auto strength = [](InterpretationClass c) {
    switch (c) {
      case InterpretationClass::kHardening:
        return 0;
      case InterpretationClass::kRobustness:
        return 1;
      case InterpretationClass::kInterop:
        return 2;
      case InterpretationClass::kNone:
        return 3;
    }
    return 3;
  };
  return strength(b) < strength(a) ? b : a;
}

Verdict ApplyProfile(Verdict v, bool interpretation, InterpretationClass klass, Profile profile) {
  if (!interpretation || v != Verdict::kFail || profile == Profile::kStrict) {
    return v;
  }
  if (klass == InterpretationClass::kHardening) {
    return Verdict::kInfo;
  }
  if (profile == Profile::kLenient || klass == InterpretationClass::kRobustness) {
    return Verdict::kWarn;
  }
  return v;
}

std::string CaseResult::Area() const {
  if (!area.empty()) return area;
  if (auto slash = case_id.find('/'); slash != std::string::npos && slash > 0) {
    return case_id.substr(0, slash);
  }
  if (!keywords.empty() && !keywords.front().empty()) return keywords.front();
  return "default";
}

bool CaseResult::Unexpected() const {
  if (stale_expectation) return true;
  if (!IsFailing(verdict)) return false;
  if (!expected_failure || verdict != Verdict::kFail) return true;
  if (expected_failure_requirements.empty()) return false;
  // Only FAILs of the named requirements are expected.
  return std::any_of(assertions.begin(), assertions.end(), [&](const Assertion& a) {
    return a.verdict == Verdict::kFail &&
           std::find(expected_failure_requirements.begin(), expected_failure_requirements.end(),
                     a.requirement_id) == expected_failure_requirements.end();
  });
}

Verdict AggregateVerdict(std::span<const Assertion> assertions) {
  if (assertions.empty()) return Verdict::kError;
  Verdict worst = assertions.front().verdict;
  for (const Assertion& a : assertions) worst = Worst(worst, a.verdict);
  return worst;
}

void FinalizeCase(CaseResult& c, Profile profile) {
  for (Assertion& a : c.assertions) {
    Verdict after = ApplyProfile(a.verdict, a.interpretation, a.interpretation_class, profile);
    if (after != a.verdict) {
      a.profile_downgrade = true;
      a.verdict = after;
    }
  }
  c.verdict = AggregateVerdict(c.assertions);
  if (c.stopped_early && VerdictRank(c.verdict) < VerdictRank(Verdict::kWarn) &&
      c.verdict != Verdict::kUnsupported) {
    // Checks after the stop never ran: the case cannot read as PASS.
    c.verdict = Verdict::kWarn;
  }
  const bool failed_as_expected =
      c.verdict == Verdict::kFail &&
      (c.expected_failure_requirements.empty() ||
       std::any_of(c.assertions.begin(), c.assertions.end(), [&](const Assertion& a) {
         return a.verdict == Verdict::kFail &&
                std::find(c.expected_failure_requirements.begin(),
                          c.expected_failure_requirements.end(),
                          a.requirement_id) != c.expected_failure_requirements.end();
       }));
  c.stale_expectation = c.expected_failure && !failed_as_expected &&
                        (c.verdict == Verdict::kPass || c.verdict == Verdict::kInfo ||
                         c.verdict == Verdict::kWarn || c.verdict == Verdict::kFail);
}

int RunSummary::Count(Verdict v) const {
  int RunSummary::*field = VerdictField(v);
  return field == nullptr ? 0 : this->*field;
}

void RunSummary::Add(const CaseResult& c) {
  ++total;
  if (int RunSummary::*field = VerdictField(c.verdict); field != nullptr) ++(this->*field);
  if (c.Unexpected()) ++unexpected;
  if (internal::IsCoveredFailure(c)) ++expected_failures;
  if (c.stale_expectation) ++stale;
  if (std::any_of(c.assertions.begin(), c.assertions.end(), [](const Assertion& a) {
        return a.interpretation && a.verdict != Verdict::kPass;
      })) {
    ++interpretation;
  }
}

std::string RunSummary::ToString() const {
  std::string out;
  auto part = [&out](int n, std::string_view name) {
    if (n > 0) out += (out.empty() ? "" : " ") + std::to_string(n) + " " + std::string(name);
  };
  // kVerdicts lists the verdicts in the order the header promises.
  for (const VerdictEntry& e : kVerdicts) part(Count(e.verdict), text::ToLowerAscii(e.name));
  part(unexpected, "unexpected");
  return out;
}

RunSummary RunResult::Summarize() const {
  RunSummary s;
  for (const CaseResult& c : cases) s.Add(c);
  return s;
}

bool RunResult::NothingTested() const {
  return !cases.empty() && std::all_of(cases.begin(), cases.end(), [](const CaseResult& c) {
    return c.verdict == Verdict::kUnsupported;
  });
}

int RunResult::ExitCode() const {
  if (NothingTested()) return 1;
  return std::any_of(cases.begin(), cases.end(), [](const CaseResult& c) { return c.Unexpected(); })
             ? 1
             : 0;
}

}  // namespace tigress::reports
