// The call step: one JSON-RPC request to a device adapter, judged on its
// outcome; an error no expectation asked for is judged by JudgeCallError.
#include <algorithm>

#include "harness/run/evidence.h"
#include "harness/run/step_executor.h"
#include "harness/run/step_verdicts.h"
#include "harness/scenario/matchers.h"
#include "reports/root_causes.h"

namespace tigress::harness {

using Json = nlohmann::json;
using reports::Assertion;
using reports::Verdict;

namespace {

// "initiator initiator.share": how messages name a call.
std::string CallName(const CallAction& act) { return RoleName(act.role) + " " + act.method; }

// What the reports show of a call: the call, its parameters and outcome
// (Secrets hidden) and how long it took.
reports::Evidence CallEvidence(const Step& st, const Json& params, const RpcOutcome& out,
                               const Json& doc) {
  const CallAction& act = st.As<CallAction>();
  reports::Evidence ev;
  ev.fields.emplace_back("call", CallName(act));
  ev.fields.emplace_back("params", Truncate(RedactRpcLine(params.dump()), 1024));
  ev.fields.emplace_back("outcome", out.kind == RpcOutcome::Kind::kTimeout ? out.detail
                                    : out.kind == RpcOutcome::Kind::kBroken
                                        ? out.detail
                                        : Truncate(RedactRpcLine(doc.dump()), 1024));
  ev.fields.emplace_back("elapsed_ms", std::to_string(static_cast<long>(out.elapsed_ms)));
  return ev;
}

bool ExpectsError(const Step& st) {
  return std::any_of(st.expect.begin(), st.expect.end(), [](const Expectation& e) {
    return e.subject == Expectation::Subject::kError ||
           (e.subject == Expectation::Subject::kJson && e.target.rfind("error", 0) == 0);
  });
}

// -32601: UNSUPPORTED only for a method of an optional feature the manifest
// does not declare. As BoGo counts unimplemented behaviour, a method of the
// baseline contract, or of a feature the manifest declares, must work.
Assertion JudgeUnimplemented(const StepContext& cx, const Step& st, const Manifest* manifest,
                             const std::string& where, const std::string& actual) {
  const CallAction& act = st.As<CallAction>();
  const std::string_view feature = MethodFeature(act.method);
  if (!feature.empty() && (manifest == nullptr || !manifest->HasFeature(feature))) {
    return Broke(Verdict::kUnsupported, cx.DefaultReq(st),
                 where + ": " + RoleName(act.role) + " does not implement " + act.method +
                     " (-32601), part of the optional feature '" + std::string(feature) +
                     "' its manifest does not declare");
  }
  Assertion a =
      Broke(Verdict::kFail, cx.DefaultReq(st),
            where + ": " + RoleName(act.role) + " does not implement " + act.method +
                " (-32601), which " +
                (feature.empty() ? std::string("the baseline adapter contract requires")
                                 : "its declared feature '" + std::string(feature) + "' includes"));
  a.expected = "an implementation of " + act.method;
  a.actual = actual;
  return a;
}

// 1002: the device says the relay refused. Blame the relay operation it was
// refused (the first refused exchange from `exchanges_before` on that is a
// relay operation), with the relay's answer, unless the request was the
// device's fault (the oracles decide that at the end of the case).
std::optional<Assertion> JudgeRelayRefusal(const StepContext& cx, const Step& st,
                                           const std::string& where, const reports::Evidence& ev,
                                           std::size_t exchanges_before) {
  const CallAction& act = st.As<CallAction>();
  const std::string call = CallName(act);
  const har::Transcript t = cx.proxy->Transcript();
  for (std::size_t i = exchanges_before; i < t.exchanges.size(); ++i) {
    const har::Exchange& x = t.exchanges[i];
    if (x.status < 400) {
      continue;
    }
    const std::string op = reports::OperationName(x.method, x.url);
    const std::string req = RelayOperationRequirement(op);
    if (req.empty()) {
      continue;
    }
    const reports::HttpExcerpt answer = ExcerptOf(x, RoleName(act.role) + "->relay");
    Assertion a =
        cx.Judge(nullptr, req, false,
                 where + ": " + call + " failed: the relay refused its " + op + " with " +
                     std::to_string(x.status) + " " + Truncate(reports::ErrorTextOf(answer), 120),
                 op + " succeeds", std::to_string(x.status), {});
    a.verdict = reports::Worst(a.verdict, Verdict::kFail);
    a.evidence = ev;
    a.evidence.http.push_back(answer);
    a.evidence.fields.emplace_back("blame", "relay-refusal");
    return a;
  }
  return std::nullopt;
}

// An adapter error no expectation of `st` asked for: -32601 is UNSUPPORTED
// only for an optional feature the manifest does not declare, else FAIL;
// -32602 to a call whose parameters the scenario fills from templates
// (`has_input`) is the device's verdict on that input; a relay refusal (1002)
// is charged to the relay operation refused; anything else is a FAIL of the
// operation the method performs.
Assertion JudgeCallError(const StepContext& cx, const Step& st, const Manifest* manifest,
                         const RpcOutcome& out, const std::string& where,
                         const reports::Evidence& ev, std::size_t exchanges_before,
                         bool has_input) {
  const CallAction& act = st.As<CallAction>();
  const std::string call = CallName(act);
  std::string actual = "error " + std::to_string(out.code) + " " + out.message;
  if (!out.data.is_null()) {
    actual += " " + Truncate(RedactRpcLine(out.data.dump()), 200);
  }
  if (out.code == 1002 && cx.proxy != nullptr) {
    if (auto refused = JudgeRelayRefusal(cx, st, where, ev, exchanges_before)) {
      return *refused;
    }
  }
  Assertion a;
  if (out.code == -32601) {
    a = JudgeUnimplemented(cx, st, manifest, where, actual);
  } else if (out.code == -32602 && has_input) {
    // The device refused an input the scenario gave it: that is its verdict
    // on the input, judged against the requirement the step checks.
    a = cx.Judge(&st, cx.DefaultReq(st), false,
                 where + ": " + call +
                     " refused the input as invalid (-32602): " + Truncate(out.message, 200),
                 "the input accepted", actual, {});
  } else {
    // Judged at the severity of the operation the step performs: a method
    // the device offers that fails is a FAIL, even where the step's
    // requirement is a SHOULD or a MAY (its checks never ran).
    a = cx.Judge(&st, cx.DefaultReq(st), false,
                 where + ": " + call +
                     " failed (the operation failed: FAIL whatever the "
                     "level of the requirement the step checks)",
                 "success", actual, {});
    a.verdict = reports::Worst(a.verdict, Verdict::kFail);
  }
  a.evidence = ev;
  return a;
}

// The role's device, or why there is none (the step stops).
Device* FindDevice(const Step& st, const std::string& where, StepContext& cx, StepResult& r) {
  const CallAction& act = st.As<CallAction>();
  const DeviceLookup found = cx.adapters.Acquire(act.role);
  if (found.device != nullptr) {
    return found.device;
  }
  r.extra.push_back(found.start_error.empty()
                        ? Broke(Verdict::kError, cx.DefaultReq(st),
                                where + ": no " + RoleName(act.role) + " adapter is running")
                        : Broke(found.start_verdict, cx.DefaultReq(st),
                                where + ": the " + RoleName(act.role) +
                                    " adapter (started late) is unusable: " + found.start_error));
  r.stop = true;
  return nullptr;
}

}  // namespace

StepResult ExecCall(const Step& st, VarContext& vars, const std::string& where, StepContext& cx) {
  const CallAction& act = st.As<CallAction>();
  StepResult r;
  Device* device = FindDevice(st, where, cx, r);
  if (device == nullptr) {
    return r;
  }
  auto params = Interpolate(act.params, vars);
  if (!params) {
    Unresolved(cx, st, where, params.error(), r);
    return r;
  }
  cx.log.AddResolvedStep(
      Json{{"step", where},
           {"call",
            {{"role", RoleName(act.role)},
             {"method", act.method},
             {"params", Json::parse(RedactRpcLine(params->dump()), nullptr, false)}}}});
  cx.oracle.NoteCallParams(*params);
  const auto timeout =
      act.timeout_ms > 0 ? std::chrono::milliseconds(act.timeout_ms) : cx.call_timeout;
  const std::size_t exchanges_before = cx.proxy != nullptr ? cx.proxy->ExchangeCount() : 0;
  const RpcOutcome out = device->Call(act.method, *params, timeout);
  if (out.kind == RpcOutcome::Kind::kResult) {
    cx.oracle.NoteSecrets(out.result);
  }
  const Json doc = out.Document();
  const reports::Evidence ev = CallEvidence(st, *params, out, doc);
  if (out.kind == RpcOutcome::Kind::kTimeout || out.kind == RpcOutcome::Kind::kBroken) {
    Assertion a =
        Broke(out.kind == RpcOutcome::Kind::kTimeout ? Verdict::kTimeout : Verdict::kError,
              cx.DefaultReq(st), where + ": " + CallName(act) + ": " + out.detail);
    a.evidence = ev;
    r.extra.push_back(std::move(a));
    r.stop = true;
    return r;
  }
  const bool error_expected = ExpectsError(st);
  if (out.kind == RpcOutcome::Kind::kError && !error_expected) {
    r.extra.push_back(JudgeCallError(cx, st, device->manifest(), out, where, ev, exchanges_before,
                                     act.params.dump().find("${") != std::string::npos));
    r.stop = true;
    return r;
  }
  JudgeExpectations(
      st, where, CallName(act) + ": ",
      [&doc](const Expectation& e, const Json& operand) { return MatchCall(e, doc, operand); }, ev,
      vars, cx, r);
  if (out.kind == RpcOutcome::Kind::kResult || error_expected) {
    SaveValues(cx, st, doc, vars, r);
  }
  return r;
}

}  // namespace tigress::harness
