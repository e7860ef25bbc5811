#include "harness/run/step_executor.h"

#include <thread>

#include "harness/scenario/matchers.h"

namespace tigress::harness {

using Json = nlohmann::json;
using reports::Assertion;
using reports::Verdict;

std::chrono::steady_clock::time_point SystemClock::Now() {
  return std::chrono::steady_clock::now();
}

void SystemClock::SleepFor(std::chrono::milliseconds duration) {
  std::this_thread::sleep_for(duration);
}

const std::string& StepContext::DefaultReq(const Step& st) const {
  if (!st.req.empty()) {
    return st.req;
  }
  if (!st.expect.empty()) {
    return st.expect.front().req;
  }
  return scenario.requirements.front();
}

const std::vector<std::string>& StepContext::StepRefs(const Step& st) const {
  static const std::vector<std::string> kNone;
  if (st.interpretation_refs) {
    return *st.interpretation_refs;
  }
  return st.control || !st.save.empty() ? kNone : scenario.interpretation_refs;
}

Assertion StepContext::Judge(const Step* st, const std::string& req, bool ok, std::string message,
                             std::string expected, std::string actual,
                             const std::vector<std::string>& extra_refs) const {
  Assertion a = catalog.Judge(req, ok, std::move(message), std::move(expected), std::move(actual));
  catalog.AddInterpretations(a, extra_refs);
  if (st != nullptr) {
    catalog.AddInterpretations(a, StepRefs(*st));
  }
  return a;
}

Assertion Broke(Verdict v, const std::string& req, std::string message) {
  Assertion a;
  a.requirement_id = req;
  a.verdict = v;
  a.message = std::move(message);
  return a;
}

void Unresolved(const StepContext& cx, const Step& st, const std::string& where, const Error& e,
                StepResult& r) {
  r.stop = true;
  if (e.Is(Errc::kVariableUndefined)) {
    r.unresolved = where + ": " + e.Message();
    return;
  }
  r.extra.push_back(Broke(Verdict::kError, cx.DefaultReq(st), where + ": " + e.Message()));
}

void SaveValues(const StepContext& cx, const Step& st, const Json& doc, VarContext& vars,
                StepResult& r) {
  for (const auto& [var, path] : st.save) {
    auto v = JsonPathGet(doc, path);
    if (!v) {
      r.extra.push_back(cx.Judge(
          &st, cx.DefaultReq(st), false,
          st.where + ": cannot save '" + var + "': the step's outcome has no '" + path + "'",
          path + " present", "absent", {}));
      r.stop = true;
      return;
    }
    vars.Set(var, *v);
  }
}

void JudgeExpectations(const Step& st, const std::string& where, const std::string& prefix,
                       const ExpectationMatcher& match, const reports::Evidence& evidence,
                       VarContext& vars, const StepContext& cx, StepResult& r) {
  for (const Expectation& e : st.expect) {
    auto operand = Interpolate(e.operand, vars);
    if (!operand) {
      r.checks.emplace_back(
          &e, Broke(Verdict::kError, e.req, e.where + ": " + operand.error().Message()));
      continue;
    }
    MatchResult m = match(e, *operand);
    // The expectation's own line, not the step's: a step's expectations can
    // sit many lines below it. What `where` adds to the step's place (a
    // parallel lane) stays.
    const std::string place = e.where.empty() ? where
                              : where.rfind(st.where, 0) == 0
                                  ? e.where + where.substr(st.where.size())
                                  : e.where;
    std::string msg = prefix + ExpectationToString(e) +
                      (e.note.empty() ? "" : " (" + e.note + ")") + " [" + place + "]";
    Assertion a =
        cx.Judge(&st, e.req, m.ok, std::move(msg), m.expected, m.actual, e.interpretation_refs);
    a.evidence = evidence;
    r.checks.emplace_back(&e, std::move(a));
  }
}

namespace {

StepExecutor ExecutorFor(Step::Kind kind) {
  switch (kind) {
    case Step::Kind::kHttp:
      return &ExecHttp;
    case Step::Kind::kCall:
      return &ExecCall;
    case Step::Kind::kParallel:
      return &ExecParallel;
    case Step::Kind::kHostile:
      return &ExecHostile;
    case Step::Kind::kWait:
      return &ExecWait;
    case Step::Kind::kRestart:
      return &ExecRestart;
    case Step::Kind::kPush:
      return &ExecPush;
  }
  return nullptr;
}

}  // namespace

StepResult ExecuteStep(const Step& st, VarContext& vars, const std::string& where,
                       StepContext& cx) {
  const StepExecutor exec = ExecutorFor(st.kind());
  return exec != nullptr ? exec(st, vars, where, cx) : StepResult{};
}

}  // namespace tigress::harness
