// One function per step kind. The order of the checks in each is the order
// the errors are reported in; keep it when adding a key.
#include <algorithm>
#include <cstdint>

#include "harness/config/yaml_util.h"
#include "harness/scenario/loader_internal.h"

namespace tigress::harness::internal {
namespace {

using Json = nlohmann::json;

// The longest `wait` and push `within` a scenario may ask for; the error
// messages name them ("10 minutes", "1 minute").
constexpr std::int64_t kMaxWaitMs = 600'000;
constexpr std::int64_t kMaxPushWithinMs = 60'000;

// A scalar stays text (no YAML typing); anything else becomes JSON.
Json TemplateValue(const YAML::Node& node) {
  return node.IsScalar() ? Json(node.Scalar()) : YamlToJson(node);
}

Result<std::int64_t> Duration(const LoadContext& cx, const YAML::Node& node,
                              std::string_view what) {
  TIGRESS_ASSIGN_OR_RETURN(std::string t, cx.doc.String(node, what));
  // A bare number in a scenario is milliseconds (waits are short).
  if (!t.empty() && std::all_of(t.begin(), t.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::stoll(t);
  }
  auto ms = ParseDurationMs(t);
  if (!ms) {
    return cx.doc.Fail(node, std::string(what) + " '" + t + "' is not a duration (250, 250ms, 2s)");
  }
  return *ms;
}

// Hostile, restart and push steps are judged without an expect list.
Result<void> RefuseExpectAndSave(const LoadContext& cx, const YAML::Node& node,
                                 std::string_view message) {
  if (node["expect"] || node["save"]) {
    return cx.doc.Fail(node, message);
  }
  return {};
}

Result<void> LoadCall(const LoadContext& cx, const YAML::Node& n, Step& st,
                      const DefinedVars& defined) {
  const YamlDoc& doc = cx.doc;
  CallAction& call = st.action.emplace<CallAction>();
  TIGRESS_RETURN_IF_ERROR(doc.CheckKeys(n, {"role", "method", "params", "timeout"}, "call"));
  if (!n["role"] || !n["method"]) {
    return doc.Fail(n, "call needs role and method");
  }
  TIGRESS_ASSIGN_OR_RETURN(std::string name, doc.String(n["role"], "call.role"));
  const std::optional<Role> role = ParseDeviceRole(name);
  if (!role) {
    return doc.Fail(n["role"], "call.role must be initiator or recipient");
  }
  if (!cx.scenario.HasRole(*role)) {
    return doc.Fail(n["role"], "role '" + name + "' is not in the scenario's roles");
  }
  call.role = *role;
  TIGRESS_ASSIGN_OR_RETURN(call.method, doc.String(n["method"], "call.method"));
  if (n["params"]) {
    if (!n["params"].IsMap()) {
      return doc.Fail(n["params"], "call.params must be a mapping");
    }
    call.params = YamlToJson(n["params"]);
    TIGRESS_RETURN_IF_ERROR(CheckVars(cx, n["params"], call.params, defined));
  }
  if (n["timeout"]) {
    TIGRESS_ASSIGN_OR_RETURN(call.timeout_ms, Duration(cx, n["timeout"], "call.timeout"));
  }
  return {};
}

// http.headers: a mapping, or a list of one-entry mappings that sends
// repeated headers in that order.
Result<void> LoadHttpHeaders(const LoadContext& cx, const YAML::Node& h, HttpAction& http,
                             const DefinedVars& defined) {
  std::vector<YAML::Node> maps;
  if (h.IsMap()) {
    maps.push_back(h);
  } else if (h.IsSequence()) {
    for (const auto& m : h) {
      if (!m.IsMap() || m.size() != 1) {
        return cx.doc.Fail(m, "each item of an http.headers list must be one Name: value");
      }
      maps.push_back(m);
    }
  } else {
    return cx.doc.Fail(h, "http.headers must be a mapping of Name: value (or a list of them)");
  }
  for (const auto& m : maps) {
    for (const auto& kv : m) {
      auto name = kv.first.as<std::string>();
      std::string value = kv.second.IsNull() ? "" : kv.second.Scalar();
      if (!kv.second.IsScalar() && !kv.second.IsNull()) {
        return cx.doc.Fail(kv.second, "header values must be strings");
      }
      TIGRESS_RETURN_IF_ERROR(CheckVars(cx, kv.second, value, defined));
      http.headers.emplace_back(std::move(name), std::move(value));
    }
  }
  return {};
}

// The client's behaviour on the wire: slow, abandon_after, tls_max,
// connect_only.
Result<void> LoadHttpClientShape(const LoadContext& cx, const YAML::Node& n, HttpAction& http) {
  const YamlDoc& doc = cx.doc;
  if (n["slow"]) {
    const YAML::Node& sl = n["slow"];
    TIGRESS_RETURN_IF_ERROR(doc.CheckKeys(sl, {"chunk", "pause"}, "http.slow"));
    if (!sl["chunk"] || !sl["pause"]) {
      return doc.Fail(sl, "http.slow needs chunk (octets) and pause (a duration)");
    }
    TIGRESS_ASSIGN_OR_RETURN(std::int64_t chunk, doc.Int(sl["chunk"], "http.slow.chunk"));
    if (chunk < 1) {
      return doc.Fail(sl["chunk"], "http.slow.chunk must be at least 1");
    }
    http.slow_chunk = static_cast<std::size_t>(chunk);
    TIGRESS_ASSIGN_OR_RETURN(http.slow_pause_ms, Duration(cx, sl["pause"], "http.slow.pause"));
  }
  if (n["abandon_after"]) {
    TIGRESS_ASSIGN_OR_RETURN(std::int64_t after, doc.Int(n["abandon_after"], "http.abandon_after"));
    if (after < 0) {
      return doc.Fail(n["abandon_after"], "http.abandon_after must be an octet count");
    }
    http.abandon_after = static_cast<std::size_t>(after);
  }
  if (n["tls_max"]) {
    TIGRESS_ASSIGN_OR_RETURN(http.tls_max, doc.String(n["tls_max"], "http.tls_max"));
    if (http.tls_max != "1.0" && http.tls_max != "1.1" && http.tls_max != "1.2" &&
        http.tls_max != "1.3") {
      return doc.Fail(n["tls_max"], "http.tls_max must be \"1.0\", \"1.1\", \"1.2\" or \"1.3\"");
    }
  }
  if (n["connect_only"]) {
    TIGRESS_ASSIGN_OR_RETURN(http.connect_only_ms,
                             Duration(cx, n["connect_only"], "http.connect_only"));
  }
  return {};
}

Result<void> LoadHttp(const LoadContext& cx, const YAML::Node& n, Step& st,
                      const DefinedVars& defined) {
  const YamlDoc& doc = cx.doc;
  HttpAction& http = st.action.emplace<HttpAction>();
  TIGRESS_RETURN_IF_ERROR(
      doc.CheckKeys(n,
                    {"as", "method", "path", "url", "headers", "literal_headers", "body",
                     "timeout", "slow", "abandon_after", "connect_only", "tls_max"},
                    "http"));
  if (!cx.scenario.HasRole(Role::kRelay)) {
    return doc.Fail(n, "an http step needs the relay role");
  }
  if (n["as"]) {
    TIGRESS_ASSIGN_OR_RETURN(http.as, doc.String(n["as"], "http.as"));
    if (http.as != "device" && http.as != "attacker") {
      return doc.Fail(n["as"], "http.as must be device or attacker");
    }
  }
  if (n["literal_headers"]) {
    TIGRESS_ASSIGN_OR_RETURN(http.literal_headers,
                             doc.Bool(n["literal_headers"], "http.literal_headers"));
  }
  if (!n["method"]) {
    return doc.Fail(n, "http needs a method");
  }
  TIGRESS_ASSIGN_OR_RETURN(http.method, doc.String(n["method"], "http.method"));
  if (http.method.empty() || http.method.find_first_of(" \r\n") != std::string::npos) {
    return doc.Fail(n["method"], "http.method must be a single token");
  }
  if (n["path"] && n["url"]) {
    return doc.Fail(n, "give either http.path or http.url");
  }
  if (!n["path"] && !n["url"]) {
    return doc.Fail(n, "http needs a path (relative to the relay) or a url");
  }
  if (n["path"]) {
    TIGRESS_ASSIGN_OR_RETURN(http.path, doc.String(n["path"], "http.path"));
    TIGRESS_RETURN_IF_ERROR(CheckVars(cx, n["path"], http.path, defined));
  } else {
    TIGRESS_ASSIGN_OR_RETURN(http.url, doc.String(n["url"], "http.url"));
    TIGRESS_RETURN_IF_ERROR(CheckVars(cx, n["url"], http.url, defined));
  }
  if (n["headers"]) {
    TIGRESS_RETURN_IF_ERROR(LoadHttpHeaders(cx, n["headers"], http, defined));
  }
  TIGRESS_RETURN_IF_ERROR(LoadHttpClientShape(cx, n, http));
  if (n["body"]) {
    const YAML::Node& b = n["body"];
    http.body = TemplateValue(b);
    TIGRESS_RETURN_IF_ERROR(CheckVars(cx, b, *http.body, defined));
  }
  if (n["timeout"]) {
    TIGRESS_ASSIGN_OR_RETURN(http.timeout_ms, Duration(cx, n["timeout"], "http.timeout"));
  }
  return {};
}

Result<void> LoadWait(const LoadContext& cx, const YAML::Node& node, Step& st) {
  WaitAction& wait = st.action.emplace<WaitAction>();
  TIGRESS_ASSIGN_OR_RETURN(wait.ms, Duration(cx, node["wait"], "wait"));
  if (wait.ms > kMaxWaitMs) {
    return cx.doc.Fail(node["wait"], "wait is longer than 10 minutes");
  }
  return {};
}

Result<void> LoadHostile(const LoadContext& cx, const YAML::Node& node, Step& st) {
  TIGRESS_ASSIGN_OR_RETURN(std::string name, cx.doc.String(node["hostile"], "hostile"));
  const std::optional<HostileMode> mode = ParseHostileMode(name);
  if (!mode) {
    return cx.doc.Fail(node["hostile"], "hostile is one of " + HostileModeList());
  }
  st.action = HostileAction{*mode};
  return RefuseExpectAndSave(cx, node, "a hostile step has no expect or save");
}

Result<void> LoadRestart(const LoadContext& cx, const YAML::Node& node, Step& st,
                         bool in_parallel) {
  TIGRESS_ASSIGN_OR_RETURN(std::string name, cx.doc.String(node["restart"], "restart"));
  const std::optional<Role> role = ParseDeviceRole(name);
  if (!role || !cx.scenario.HasRole(*role)) {
    return cx.doc.Fail(node["restart"],
                       "restart names '" + name + "', which is not a device role of 'roles'");
  }
  st.action = RestartAction{*role};
  if (in_parallel) {
    return cx.doc.Fail(node["restart"], "restart is not allowed inside a parallel group");
  }
  return RefuseExpectAndSave(cx, node, "a restart step has no expect or save");
}

Result<void> LoadPush(const LoadContext& cx, const YAML::Node& node, Step& st,
                      const DefinedVars& defined) {
  const YamlDoc& doc = cx.doc;
  const YAML::Node& p = node["push"];
  PushAction& push = st.action.emplace<PushAction>();
  TIGRESS_RETURN_IF_ERROR(doc.CheckKeys(p, {"url", "count", "within"}, "push"));
  if (!p["url"]) {
    return doc.Fail(p, "push needs 'url' (a notification token URL under ${relay.push_url})");
  }
  TIGRESS_ASSIGN_OR_RETURN(push.url, doc.String(p["url"], "url"));
  TIGRESS_RETURN_IF_ERROR(CheckVars(cx, p["url"], Json(push.url), defined));
  if (p["count"]) {
    if (!YAML::convert<std::int64_t>::decode(p["count"], push.count) || push.count < 0 ||
        push.count > 100) {
      return doc.Fail(p["count"], "push count must be an integer from 0 to 100");
    }
  }
  if (p["within"]) {
    TIGRESS_ASSIGN_OR_RETURN(push.within_ms, Duration(cx, p["within"], "within"));
    if (push.within_ms <= 0 || push.within_ms > kMaxPushWithinMs) {
      return doc.Fail(p["within"], "push within must be more than 0 and at most 1 minute");
    }
  }
  if (!cx.scenario.HasRole(Role::kRelay)) {
    return doc.Fail(p, "push needs the relay role (the recording proxy receives the pushes)");
  }
  return RefuseExpectAndSave(cx, node,
                             "a push step has no expect or save (its 'req' names the requirement)");
}

Result<void> LoadParallel(const LoadContext& cx, const YAML::Node& n, Step& st,
                          const DefinedVars& defined) {
  const YamlDoc& doc = cx.doc;
  ParallelAction& group = st.action.emplace<ParallelAction>();
  DefinedVars inner = defined;
  YAML::Node list = n;
  if (n.IsMap()) {
    TIGRESS_RETURN_IF_ERROR(doc.CheckKeys(n, {"repeat", "steps"}, "parallel"));
    if (n["repeat"]) {
      TIGRESS_ASSIGN_OR_RETURN(std::int64_t r, doc.Int(n["repeat"], "parallel.repeat"));
      if (r < 1 || r > 256) {
        return doc.Fail(n["repeat"], "parallel.repeat must be 1..256");
      }
      group.repeat = static_cast<int>(r);
      inner.insert("i");
      inner.insert("uuid");
    }
    if (!n["steps"]) {
      return doc.Fail(n, "parallel needs steps");
    }
    list = n["steps"];
  }
  if (!list.IsSequence() || list.size() == 0) {
    return doc.Fail(n, "parallel steps must be a non-empty list");
  }
  TIGRESS_ASSIGN_OR_RETURN(group.steps, LoadSteps(cx, list, inner, /*in_parallel=*/true));
  return {};
}

// The action key of a step (exactly one is present).
Result<void> LoadAction(const LoadContext& cx, const YAML::Node& node, Step& st,
                        const DefinedVars& defined, bool in_parallel) {
  if (node["call"]) {
    return LoadCall(cx, node["call"], st, defined);
  }
  if (node["http"]) {
    return LoadHttp(cx, node["http"], st, defined);
  }
  if (node["hostile"]) {
    return LoadHostile(cx, node, st);
  }
  if (node["restart"]) {
    return LoadRestart(cx, node, st, in_parallel);
  }
  if (node["push"]) {
    return LoadPush(cx, node, st, defined);
  }
  if (node["wait"]) {
    return LoadWait(cx, node, st);
  }
  if (in_parallel) {
    return cx.doc.Fail(node["parallel"], "parallel groups cannot be nested");
  }
  return LoadParallel(cx, node["parallel"], st, defined);
}

Result<void> LoadExpectList(const LoadContext& cx, const YAML::Node& ex, Step& st,
                            const DefinedVars& defined) {
  if (!ex.IsSequence()) {
    return cx.doc.Fail(ex, "expect must be a list of expectations");
  }
  for (const auto& e : ex) {
    TIGRESS_ASSIGN_OR_RETURN(Expectation x, LoadExpectation(cx, e, st.kind(), defined));
    st.expect.push_back(std::move(x));
  }
  return {};
}

// `save:` defines variables for the steps after this one.
Result<void> LoadSave(const LoadContext& cx, const YAML::Node& sv, Step& st, DefinedVars& defined,
                      bool in_parallel) {
  const YamlDoc& doc = cx.doc;
  if (in_parallel) {
    return doc.Fail(sv, "save is not allowed inside a parallel group");
  }
  if (st.kind() == Step::Kind::kWait || st.kind() == Step::Kind::kParallel) {
    return doc.Fail(sv, "only call and http steps can save values");
  }
  if (!sv.IsMap()) {
    return doc.Fail(sv, "save must be a mapping of variable: path (e.g. share: result)");
  }
  const bool call = st.kind() == Step::Kind::kCall;
  for (const auto& kv : sv) {
    auto var = kv.first.as<std::string>();
    if (!IsVariableName(var)) {
      return doc.Fail(kv.first, "bad variable name '" + var + "'");
    }
    if (IsReservedVariable(var)) {
      return doc.Fail(kv.first, "'" + var + "' is a builtin variable and cannot be saved");
    }
    TIGRESS_ASSIGN_OR_RETURN(std::string path, doc.String(kv.second, "save." + var));
    std::string head = path.substr(0, path.find_first_of(".["));
    const bool ok = call ? (head == "result" || head == "error")
                         : (head == "response" || head == "status" || head == "headers" ||
                            head == "body" || head == "json");
    if (!ok) {
      return doc.Fail(kv.second,
                      call ? "a call step saves result[.path] or error[.path]"
                           : "an http step saves response, status, headers, body or json[.path]");
    }
    st.save.emplace_back(var, path);
    defined.insert(var);
  }
  return {};
}

Result<void> LoadControl(const LoadContext& cx, const YAML::Node& c, Step& st, bool in_parallel) {
  TIGRESS_ASSIGN_OR_RETURN(st.control, cx.doc.Bool(c, "control"));
  if (st.control && st.kind() != Step::Kind::kCall && st.kind() != Step::Kind::kHttp) {
    return cx.doc.Fail(c, "only call and http steps can be positive controls");
  }
  if (st.control && in_parallel) {
    return cx.doc.Fail(c, "a positive control cannot be inside a parallel group");
  }
  if (st.control && st.expect.empty()) {
    return cx.doc.Fail(c, "a positive control needs an expect list (what success is)");
  }
  return {};
}

// `if_accepted:` defines variables too, set only when the relay answers 2xx.
Result<void> LoadIfAccepted(const LoadContext& cx, const YAML::Node& ia, Step& st,
                            DefinedVars& defined) {
  if (st.kind() != Step::Kind::kHttp) {
    return cx.doc.Fail(ia, "only http steps have if_accepted");
  }
  HttpAction& http = st.As<HttpAction>();
  if (!ia.IsMap()) {
    return cx.doc.Fail(ia, "if_accepted must be a mapping of variable: value template");
  }
  for (const auto& kv : ia) {
    auto var = kv.first.as<std::string>();
    if (!IsVariableName(var) || IsReservedVariable(var)) {
      return cx.doc.Fail(kv.first, "bad or builtin variable name '" + var + "'");
    }
    Json value = TemplateValue(kv.second);
    TIGRESS_RETURN_IF_ERROR(CheckVars(cx, kv.second, value, defined));
    http.if_accepted.emplace_back(var, std::move(value));
    defined.insert(var);
  }
  return {};
}

// The keys that shape how a step's checks are judged: control,
// interpretation and if_accepted.
Result<void> LoadStepVerdictKeys(const LoadContext& cx, const YAML::Node& node, Step& st,
                                 DefinedVars& defined, bool in_parallel) {
  if (node["control"]) {
    TIGRESS_RETURN_IF_ERROR(LoadControl(cx, node["control"], st, in_parallel));
  }
  if (node["interpretation"]) {
    const YAML::Node& in = node["interpretation"];
    std::vector<std::string> refs;
    // An empty list is allowed: the step rests on no reading.
    if (!(in.IsSequence() && in.size() == 0)) {
      TIGRESS_ASSIGN_OR_RETURN(refs, cx.doc.StringList(in, "interpretation"));
      TIGRESS_RETURN_IF_ERROR(CheckInterpretationRefs(cx, in, refs));
    }
    st.interpretation_refs = std::move(refs);
  }
  if (node["if_accepted"]) {
    TIGRESS_RETURN_IF_ERROR(LoadIfAccepted(cx, node["if_accepted"], st, defined));
  }
  return {};
}

Result<Step> LoadStep(const LoadContext& cx, const YAML::Node& node, DefinedVars& defined,
                      bool in_parallel) {
  const YamlDoc& doc = cx.doc;
  TIGRESS_RETURN_IF_ERROR(
      doc.CheckKeys(node,
                    {"call", "http", "wait", "parallel", "hostile", "restart", "push", "name",
                     "req", "save", "expect", "control", "interpretation", "if_accepted"},
                    "step"));
  Step st;
  st.where = doc.Where(node);
  int actions = 0;
  for (const char* k : {"call", "http", "wait", "parallel", "hostile", "restart", "push"}) {
    actions += node[k] ? 1 : 0;
  }
  if (actions != 1) {
    return doc.Fail(
        node, "a step needs exactly one of call, http, wait, parallel, hostile, restart, push");
  }
  if (node["name"]) {
    TIGRESS_ASSIGN_OR_RETURN(st.name, doc.String(node["name"], "name"));
  }
  if (node["req"]) {
    TIGRESS_ASSIGN_OR_RETURN(st.req, doc.String(node["req"], "req"));
    TIGRESS_RETURN_IF_ERROR(CheckReq(cx, node["req"], st.req));
  }
  TIGRESS_RETURN_IF_ERROR(LoadAction(cx, node, st, defined, in_parallel));
  if (node["expect"]) {
    TIGRESS_RETURN_IF_ERROR(LoadExpectList(cx, node["expect"], st, defined));
  }
  if (node["save"]) {
    TIGRESS_RETURN_IF_ERROR(LoadSave(cx, node["save"], st, defined, in_parallel));
  }
  TIGRESS_RETURN_IF_ERROR(LoadStepVerdictKeys(cx, node, st, defined, in_parallel));
  return st;
}

}  // namespace

Result<std::vector<Step>> LoadSteps(const LoadContext& cx, const YAML::Node& list,
                                    DefinedVars& defined, bool in_parallel) {
  std::vector<Step> steps;
  for (const auto& node : list) {
    TIGRESS_ASSIGN_OR_RETURN(Step st, LoadStep(cx, node, defined, in_parallel));
    steps.push_back(std::move(st));
  }
  return steps;
}

}  // namespace tigress::harness::internal
