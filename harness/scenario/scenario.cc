#include "harness/scenario/scenario.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <regex>
#include <set>

#include "harness/scenario/vars.h"
#include "harness/config/yaml_util.h"

namespace tigress::harness {

namespace fs = std::filesystem;

bool Scenario::HasRole(std::string_view role) const {
  return std::find(roles.begin(), roles.end(), role) != roles.end();
}

std::string Scenario::Area() const { return id.substr(0, id.find('/')); }

const Scenario* ScenarioSet::Find(std::string_view id) const {
  for (const auto& s : scenarios) {
    if (s.id == id) {
      return &s;
    }
  }
  return nullptr;
}

namespace {

using Json = nlohmann::json;

// Builtin variable roots available in every step.
const std::set<std::string> kBuiltinRoots = {"relay", "case"};

class Loader {
 public:
  Loader(const YamlDoc& doc, const KnownRequirement& known) : doc_(doc), known_(known) {}

  Result<Scenario> Load() {
    const YAML::Node& root = doc_.root;
    TIGRESS_RETURN_IF_ERROR(
        doc_.CheckKeys(root,
                       {"id", "title", "description", "requirements", "keywords", "roles",
                        "features", "interpretation", "start_late", "personal_data", "steps"},
                       "scenario"));
    Scenario s;
    s.file = doc_.path;
    s.text = doc_.text;
    if (!root["id"]) {
      return doc_.Fail(root, "missing key 'id'");
    }
    TIGRESS_ASSIGN_OR_RETURN(s.id, doc_.String(root["id"], "id"));
    static const std::regex kId("[a-z0-9][a-z0-9._-]*(/[a-z0-9][a-z0-9._-]*)+");
    if (!std::regex_match(s.id, kId)) {
      return doc_.Fail(root["id"],
                       "id '" + s.id + "' must look like area/name ([a-z0-9._-], '/'-separated)");
    }
    if (!root["title"]) {
      return doc_.Fail(root, "missing key 'title'");
    }
    TIGRESS_ASSIGN_OR_RETURN(s.title, doc_.String(root["title"], "title"));
    if (root["description"]) {
      TIGRESS_ASSIGN_OR_RETURN(s.description, doc_.String(root["description"], "description"));
    }
    if (!root["requirements"]) {
      return doc_.Fail(root, "missing key 'requirements'");
    }
    TIGRESS_ASSIGN_OR_RETURN(s.requirements, doc_.StringList(root["requirements"], "requirements"));
    for (std::size_t i = 0; i < s.requirements.size(); ++i) {
      TIGRESS_RETURN_IF_ERROR(CheckReq(
          root["requirements"].IsSequence() ? root["requirements"][i] : root["requirements"],
          s.requirements[i]));
    }
    if (root["keywords"]) {
      TIGRESS_ASSIGN_OR_RETURN(s.keywords, doc_.StringList(root["keywords"], "keywords"));
    }
    if (!root["roles"]) {
      return doc_.Fail(root, "missing key 'roles' (relay, initiator, recipient)");
    }
    TIGRESS_ASSIGN_OR_RETURN(s.roles, doc_.StringList(root["roles"], "roles"));
    for (const auto& r : s.roles) {
      if (r != "relay" && r != "initiator" && r != "recipient") {
        return doc_.Fail(root["roles"], "unknown role '" + r + "' (relay, initiator, recipient)");
      }
    }
    if (root["features"]) {
      TIGRESS_ASSIGN_OR_RETURN(s.features, doc_.StringList(root["features"], "features"));
    }
    if (root["interpretation"]) {
      TIGRESS_ASSIGN_OR_RETURN(s.interpretation_refs,
                               doc_.StringList(root["interpretation"], "interpretation"));
      TIGRESS_RETURN_IF_ERROR(
          CheckInterpretationRefs(root["interpretation"], s.interpretation_refs));
    }
    if (root["start_late"]) {
      TIGRESS_ASSIGN_OR_RETURN(s.start_late, doc_.StringList(root["start_late"], "start_late"));
      for (const auto& r : s.start_late) {
        if ((r != "initiator" && r != "recipient") || !s.HasRole(r)) {
          return doc_.Fail(root["start_late"],
                           "start_late lists '" + r + "', which is not a device role of 'roles'");
        }
      }
    }
    if (root["personal_data"]) {
      TIGRESS_ASSIGN_OR_RETURN(s.personal_data,
                               doc_.StringList(root["personal_data"], "personal_data"));
      for (const auto& p : s.personal_data) {
        if (p.size() < 3) {
          return doc_.Fail(root["personal_data"],
                           "personal_data entry '" + p +
                               "' is shorter than 3 characters (it would match ordinary text)");
        }
      }
    }
    scenario_ = &s;
    if (!root["steps"] || !root["steps"].IsSequence() || root["steps"].size() == 0) {
      return doc_.Fail(root["steps"] ? root["steps"] : root, "'steps' must be a non-empty list");
    }
    std::set<std::string> defined = kBuiltinRoots;
    TIGRESS_ASSIGN_OR_RETURN(s.steps, LoadSteps(root["steps"], defined, /*in_parallel=*/false));
    std::size_t expectations = 0;
    CollectReqs(s.steps, s.requirements, expectations);
    if (expectations == 0) {
      return doc_.Fail(root["steps"], "the scenario has no expectation");
    }
    return s;
  }

 private:
  Result<void> CheckReq(const YAML::Node& node, const std::string& id) {
    if (!known_(id)) {
      return doc_.Fail(node, "unknown requirement ID '" + id + "' (not in the catalogue)");
    }
    return {};
  }

  Result<void> CheckInterpretationRefs(const YAML::Node& node,
                                       const std::vector<std::string>& refs) {
    static const std::regex kRef("C-[0-9]{2}");
    for (const auto& r : refs) {
      if (!std::regex_match(r, kRef)) {
        return doc_.Fail(node, "interpretation '" + r + "' must look like C-11");
      }
    }
    return {};
  }

  void CollectReqs(const std::vector<Step>& steps, std::vector<std::string>& reqs, std::size_t& n) {
    auto add = [&reqs](const std::string& id) {
      if (std::find(reqs.begin(), reqs.end(), id) == reqs.end()) {
        reqs.push_back(id);
      }
    };
    for (const auto& st : steps) {
      for (const auto& e : st.expect) {
        ++n;
        add(e.req);
      }
      if (st.kind == Step::Kind::kPush) {  // judged itself: the count, then PRIV-10
        ++n;
        add(st.req.empty() ? "RELAY-50" : st.req);
        add("PRIV-10");
      }
      CollectReqs(st.steps, reqs, n);
    }
  }

  // Every `${...}` in `value` must be a generator or a defined variable.
  Result<void> CheckVars(const YAML::Node& node, const Json& value,
                         const std::set<std::string>& defined) {
    if (value.is_string()) {
      for (const auto& expr : FindVarRefs(value.get_ref<const std::string&>())) {
        if (IsGenerator(expr)) {
          continue;
        }
        std::string root = VarRoot(expr);
        if (root.empty() || (!defined.contains(root))) {
          return MakeError(Errc::kVariableUndefined,
                           doc_.Where(node) + ": undefined variable ${" + expr +
                               "} (define it with `save:` in an earlier step)");
        }
      }
    } else if (value.is_structured()) {
      for (const auto& v : value) {
        TIGRESS_RETURN_IF_ERROR(CheckVars(node, v, defined));
      }
    }
    return {};
  }

  Result<std::vector<Step>> LoadSteps(const YAML::Node& list, std::set<std::string>& defined,
                                      bool in_parallel) {
    std::vector<Step> steps;
    for (const auto& node : list) {
      TIGRESS_ASSIGN_OR_RETURN(Step st, LoadStep(node, defined, in_parallel));
      steps.push_back(std::move(st));
    }
    return steps;
  }

  Result<std::int64_t> Duration(const YAML::Node& node, std::string_view what) {
    TIGRESS_ASSIGN_OR_RETURN(std::string t, doc_.String(node, what));
    // A bare number in a scenario is milliseconds (waits are short).
    if (!t.empty() &&
        std::all_of(t.begin(), t.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      return std::stoll(t);
    }
    auto ms = ParseDurationMs(t);
    if (!ms) {
      return doc_.Fail(node, std::string(what) + " '" + t + "' is not a duration (250, 250ms, 2s)");
    }
    return *ms;
  }

  Result<void> LoadPush(const YAML::Node& node, Step& st, const std::set<std::string>& defined) {
    const YAML::Node& p = node["push"];
    st.kind = Step::Kind::kPush;
    TIGRESS_RETURN_IF_ERROR(doc_.CheckKeys(p, {"url", "count", "within"}, "push"));
    if (!p["url"]) {
      return doc_.Fail(p, "push needs 'url' (a notification token URL under ${relay.push_url})");
    }
    TIGRESS_ASSIGN_OR_RETURN(st.push_url, doc_.String(p["url"], "url"));
    TIGRESS_RETURN_IF_ERROR(CheckVars(p["url"], nlohmann::json(st.push_url), defined));
    if (p["count"]) {
      if (!YAML::convert<std::int64_t>::decode(p["count"], st.push_count) || st.push_count < 0 ||
          st.push_count > 100) {
        return doc_.Fail(p["count"], "push count must be an integer from 0 to 100");
      }
    }
    if (p["within"]) {
      TIGRESS_ASSIGN_OR_RETURN(st.push_within_ms, Duration(p["within"], "within"));
      if (st.push_within_ms <= 0 || st.push_within_ms > 60'000) {
        return doc_.Fail(p["within"], "push within must be more than 0 and at most 1 minute");
      }
    }
    if (!scenario_->HasRole("relay")) {
      return doc_.Fail(p, "push needs the relay role (the recording proxy receives the pushes)");
    }
    if (node["expect"] || node["save"]) {
      return doc_.Fail(node, "a push step has no expect or save (its 'req' names the requirement)");
    }
    return {};
  }

  Result<Step> LoadStep(const YAML::Node& node, std::set<std::string>& defined, bool in_parallel) {
    TIGRESS_RETURN_IF_ERROR(doc_.CheckKeys(node,
                                           {"call", "http", "wait", "parallel", "hostile",
                                            "restart", "push", "name", "req", "save", "expect",
                                            "control", "interpretation", "if_accepted"},
                                           "step"));
    Step st;
    st.where = doc_.Where(node);
    int actions = 0;
    for (const char* k : {"call", "http", "wait", "parallel", "hostile", "restart", "push"}) {
      actions += node[k] ? 1 : 0;
    }
    if (actions != 1) {
      return doc_.Fail(
          node, "a step needs exactly one of call, http, wait, parallel, hostile, restart, push");
    }
    if (node["name"]) {
      TIGRESS_ASSIGN_OR_RETURN(st.name, doc_.String(node["name"], "name"));
    }
    if (node["req"]) {
      TIGRESS_ASSIGN_OR_RETURN(st.req, doc_.String(node["req"], "req"));
      TIGRESS_RETURN_IF_ERROR(CheckReq(node["req"], st.req));
    }
    if (node["call"]) {
      TIGRESS_RETURN_IF_ERROR(LoadCall(node["call"], st, defined));
    } else if (node["http"]) {
      TIGRESS_RETURN_IF_ERROR(LoadHttp(node["http"], st, defined));
    } else if (node["hostile"]) {
      st.kind = Step::Kind::kHostile;
      TIGRESS_ASSIGN_OR_RETURN(st.hostile, doc_.String(node["hostile"], "hostile"));
      static const std::set<std::string> kModes = {"off",           "flip-bit",
                                                   "truncate",      "replay-older",
                                                   "swap-mailbox",  "request-id-mismatch",
                                                   "untrusted-cert"};
      if (!kModes.contains(st.hostile)) {
        return doc_.Fail(node["hostile"],
                         "hostile is one of off, flip-bit, truncate, replay-older, swap-mailbox, "
                         "request-id-mismatch, untrusted-cert");
      }
      if (node["expect"] || node["save"]) {
        return doc_.Fail(node, "a hostile step has no expect or save");
      }
    } else if (node["restart"]) {
      st.kind = Step::Kind::kRestart;
      TIGRESS_ASSIGN_OR_RETURN(st.role, doc_.String(node["restart"], "restart"));
      if ((st.role != "initiator" && st.role != "recipient") || !scenario_->HasRole(st.role)) {
        return doc_.Fail(node["restart"],
                         "restart names '" + st.role + "', which is not a device role of 'roles'");
      }
      if (in_parallel) {
        return doc_.Fail(node["restart"], "restart is not allowed inside a parallel group");
      }
      if (node["expect"] || node["save"]) {
        return doc_.Fail(node, "a restart step has no expect or save");
      }
    } else if (node["push"]) {
      TIGRESS_RETURN_IF_ERROR(LoadPush(node, st, defined));
    } else if (node["wait"]) {
      st.kind = Step::Kind::kWait;
      TIGRESS_ASSIGN_OR_RETURN(st.wait_ms, Duration(node["wait"], "wait"));
      if (st.wait_ms > 600'000) {
        return doc_.Fail(node["wait"], "wait is longer than 10 minutes");
      }
    } else {
      if (in_parallel) {
        return doc_.Fail(node["parallel"], "parallel groups cannot be nested");
      }
      TIGRESS_RETURN_IF_ERROR(LoadParallel(node["parallel"], st, defined));
    }
    if (node["expect"]) {
      const YAML::Node& ex = node["expect"];
      if (!ex.IsSequence()) {
        return doc_.Fail(ex, "expect must be a list of expectations");
      }
      for (const auto& e : ex) {
        TIGRESS_ASSIGN_OR_RETURN(Expectation x, LoadExpectation(e, st.kind, defined));
        st.expect.push_back(std::move(x));
      }
    }
    if (node["save"]) {
      if (in_parallel) {
        return doc_.Fail(node["save"], "save is not allowed inside a parallel group");
      }
      if (st.kind == Step::Kind::kWait || st.kind == Step::Kind::kParallel) {
        return doc_.Fail(node["save"], "only call and http steps can save values");
      }
      const YAML::Node& sv = node["save"];
      if (!sv.IsMap()) {
        return doc_.Fail(sv, "save must be a mapping of variable: path (e.g. share: result)");
      }
      static const std::regex kVar("[A-Za-z_][A-Za-z0-9_]*");
      for (const auto& kv : sv) {
        auto var = kv.first.as<std::string>();
        if (!std::regex_match(var, kVar)) {
          return doc_.Fail(kv.first, "bad variable name '" + var + "'");
        }
        if ((kBuiltinRoots.contains(var)) || var == "i" || var == "uuid") {
          return doc_.Fail(kv.first, "'" + var + "' is a builtin variable and cannot be saved");
        }
        TIGRESS_ASSIGN_OR_RETURN(std::string path, doc_.String(kv.second, "save." + var));
        std::string head = path.substr(0, path.find_first_of(".["));
        const bool ok = st.kind == Step::Kind::kCall
                            ? (head == "result" || head == "error")
                            : (head == "response" || head == "status" || head == "headers" ||
                               head == "body" || head == "json");
        if (!ok) {
          return doc_.Fail(
              kv.second, st.kind == Step::Kind::kCall
                             ? "a call step saves result[.path] or error[.path]"
                             : "an http step saves response, status, headers, body or json[.path]");
        }
        st.save.emplace_back(var, path);
        defined.insert(var);
      }
    }
    TIGRESS_RETURN_IF_ERROR(LoadStepVerdictKeys(node, st, defined, in_parallel));
    return st;
  }

  // The keys that shape how a step's checks are judged: control,
  // interpretation and if_accepted.
  Result<void> LoadStepVerdictKeys(const YAML::Node& node, Step& st, std::set<std::string>& defined,
                                   bool in_parallel) {
    if (node["control"]) {
      TIGRESS_ASSIGN_OR_RETURN(st.control, doc_.Bool(node["control"], "control"));
      if (st.control && st.kind != Step::Kind::kCall && st.kind != Step::Kind::kHttp) {
        return doc_.Fail(node["control"], "only call and http steps can be positive controls");
      }
      if (st.control && in_parallel) {
        return doc_.Fail(node["control"], "a positive control cannot be inside a parallel group");
      }
      if (st.control && st.expect.empty()) {
        return doc_.Fail(node["control"], "a positive control needs an expect list (what success is)");
      }
    }
    if (node["interpretation"]) {
      const YAML::Node& in = node["interpretation"];
      std::vector<std::string> refs;
      if (!(in.IsSequence() && in.size() == 0)) {
        TIGRESS_ASSIGN_OR_RETURN(refs, doc_.StringList(in, "interpretation"));
        TIGRESS_RETURN_IF_ERROR(CheckInterpretationRefs(in, refs));
      }
      st.interpretation_refs = std::move(refs);
    }
    if (node["if_accepted"]) {
      const YAML::Node& ia = node["if_accepted"];
      if (st.kind != Step::Kind::kHttp) {
        return doc_.Fail(ia, "only http steps have if_accepted");
      }
      if (!ia.IsMap()) {
        return doc_.Fail(ia, "if_accepted must be a mapping of variable: value template");
      }
      static const std::regex kVar("[A-Za-z_][A-Za-z0-9_]*");
      for (const auto& kv : ia) {
        auto var = kv.first.as<std::string>();
        if (!std::regex_match(var, kVar) || kBuiltinRoots.contains(var) || var == "i" ||
            var == "uuid") {
          return doc_.Fail(kv.first, "bad or builtin variable name '" + var + "'");
        }
        Json value = kv.second.IsScalar() ? Json(kv.second.Scalar()) : YamlToJson(kv.second);
        TIGRESS_RETURN_IF_ERROR(CheckVars(kv.second, value, defined));
        st.if_accepted.emplace_back(var, std::move(value));
        defined.insert(var);
      }
    }
    return {};
  }

  Result<void> LoadCall(const YAML::Node& n, Step& st, const std::set<std::string>& defined) {
    st.kind = Step::Kind::kCall;
    TIGRESS_RETURN_IF_ERROR(doc_.CheckKeys(n, {"role", "method", "params", "timeout"}, "call"));
    if (!n["role"] || !n["method"]) {
      return doc_.Fail(n, "call needs role and method");
    }
    TIGRESS_ASSIGN_OR_RETURN(st.role, doc_.String(n["role"], "call.role"));
    if (st.role != "initiator" && st.role != "recipient") {
      return doc_.Fail(n["role"], "call.role must be initiator or recipient");
    }
    if (!scenario_->HasRole(st.role)) {
      return doc_.Fail(n["role"], "role '" + st.role + "' is not in the scenario's roles");
    }
    TIGRESS_ASSIGN_OR_RETURN(st.method, doc_.String(n["method"], "call.method"));
    if (n["params"]) {
      if (!n["params"].IsMap()) {
        return doc_.Fail(n["params"], "call.params must be a mapping");
      }
      st.params = YamlToJson(n["params"]);
      TIGRESS_RETURN_IF_ERROR(CheckVars(n["params"], st.params, defined));
    }
    if (n["timeout"]) {
      TIGRESS_ASSIGN_OR_RETURN(st.timeout_ms, Duration(n["timeout"], "call.timeout"));
    }
    return {};
  }

  Result<void> LoadHttp(const YAML::Node& n, Step& st, const std::set<std::string>& defined) {
    st.kind = Step::Kind::kHttp;
    TIGRESS_RETURN_IF_ERROR(
        doc_.CheckKeys(n,
                       {"as", "method", "path", "url", "headers", "body", "timeout", "slow",
                        "abandon_after", "connect_only", "tls_max"},
                       "http"));
    if (!scenario_->HasRole("relay")) {
      return doc_.Fail(n, "an http step needs the relay role");
    }
    if (n["as"]) {
      TIGRESS_ASSIGN_OR_RETURN(st.as, doc_.String(n["as"], "http.as"));
      if (st.as != "device" && st.as != "attacker") {
        return doc_.Fail(n["as"], "http.as must be device or attacker");
      }
    }
    if (!n["method"]) {
      return doc_.Fail(n, "http needs a method");
    }
    TIGRESS_ASSIGN_OR_RETURN(st.http_method, doc_.String(n["method"], "http.method"));
    if (st.http_method.empty() || st.http_method.find_first_of(" \r\n") != std::string::npos) {
      return doc_.Fail(n["method"], "http.method must be a single token");
    }
    if (n["path"] && n["url"]) {
      return doc_.Fail(n, "give either http.path or http.url");
    }
    if (!n["path"] && !n["url"]) {
      return doc_.Fail(n, "http needs a path (relative to the relay) or a url");
    }
    if (n["path"]) {
      TIGRESS_ASSIGN_OR_RETURN(st.path, doc_.String(n["path"], "http.path"));
      TIGRESS_RETURN_IF_ERROR(CheckVars(n["path"], st.path, defined));
    } else {
      TIGRESS_ASSIGN_OR_RETURN(st.url, doc_.String(n["url"], "http.url"));
      TIGRESS_RETURN_IF_ERROR(CheckVars(n["url"], st.url, defined));
    }
    if (n["headers"]) {
      const YAML::Node& h = n["headers"];
      // A list of one-entry mappings sends repeated headers in that order.
      std::vector<YAML::Node> maps;
      if (h.IsMap()) {
        maps.push_back(h);
      } else if (h.IsSequence()) {
        for (const auto& m : h) {
          if (!m.IsMap() || m.size() != 1) {
            return doc_.Fail(m, "each item of an http.headers list must be one Name: value");
          }
          maps.push_back(m);
        }
      } else {
        return doc_.Fail(h, "http.headers must be a mapping of Name: value (or a list of them)");
      }
      for (const auto& m : maps) {
        for (const auto& kv : m) {
          auto name = kv.first.as<std::string>();
          std::string value = kv.second.IsNull() ? "" : kv.second.Scalar();
          if (!kv.second.IsScalar() && !kv.second.IsNull()) {
            return doc_.Fail(kv.second, "header values must be strings");
          }
          TIGRESS_RETURN_IF_ERROR(CheckVars(kv.second, value, defined));
          st.headers.emplace_back(std::move(name), std::move(value));
        }
      }
    }
    if (n["slow"]) {
      const YAML::Node& sl = n["slow"];
      TIGRESS_RETURN_IF_ERROR(doc_.CheckKeys(sl, {"chunk", "pause"}, "http.slow"));
      if (!sl["chunk"] || !sl["pause"]) {
        return doc_.Fail(sl, "http.slow needs chunk (octets) and pause (a duration)");
      }
      TIGRESS_ASSIGN_OR_RETURN(std::int64_t chunk, doc_.Int(sl["chunk"], "http.slow.chunk"));
      if (chunk < 1) {
        return doc_.Fail(sl["chunk"], "http.slow.chunk must be at least 1");
      }
      st.slow_chunk = static_cast<std::size_t>(chunk);
      TIGRESS_ASSIGN_OR_RETURN(st.slow_pause_ms, Duration(sl["pause"], "http.slow.pause"));
    }
    if (n["abandon_after"]) {
      TIGRESS_ASSIGN_OR_RETURN(std::int64_t after,
                               doc_.Int(n["abandon_after"], "http.abandon_after"));
      if (after < 0) {
        return doc_.Fail(n["abandon_after"], "http.abandon_after must be an octet count");
      }
      st.abandon_after = static_cast<std::size_t>(after);
    }
    if (n["tls_max"]) {
      TIGRESS_ASSIGN_OR_RETURN(st.tls_max, doc_.String(n["tls_max"], "http.tls_max"));
      if (st.tls_max != "1.0" && st.tls_max != "1.1" && st.tls_max != "1.2" &&
          st.tls_max != "1.3") {
        return doc_.Fail(n["tls_max"], "http.tls_max must be \"1.0\", \"1.1\", \"1.2\" or \"1.3\"");
      }
    }
    if (n["connect_only"]) {
      TIGRESS_ASSIGN_OR_RETURN(st.connect_only_ms,
                               Duration(n["connect_only"], "http.connect_only"));
    }
    if (n["body"]) {
      const YAML::Node& b = n["body"];
      st.body = b.IsScalar() ? Json(b.Scalar()) : YamlToJson(b);
      TIGRESS_RETURN_IF_ERROR(CheckVars(b, *st.body, defined));
    }
    if (n["timeout"]) {
      TIGRESS_ASSIGN_OR_RETURN(st.timeout_ms, Duration(n["timeout"], "http.timeout"));
    }
    return {};
  }

  Result<void> LoadParallel(const YAML::Node& n, Step& st, std::set<std::string>& defined) {
    st.kind = Step::Kind::kParallel;
    std::set<std::string> inner = defined;
    YAML::Node list = n;
    if (n.IsMap()) {
      TIGRESS_RETURN_IF_ERROR(doc_.CheckKeys(n, {"repeat", "steps"}, "parallel"));
      if (n["repeat"]) {
        TIGRESS_ASSIGN_OR_RETURN(std::int64_t r, doc_.Int(n["repeat"], "parallel.repeat"));
        if (r < 1 || r > 256) {
          return doc_.Fail(n["repeat"], "parallel.repeat must be 1..256");
        }
        st.repeat = static_cast<int>(r);
        inner.insert("i");
        inner.insert("uuid");
      }
      if (!n["steps"]) {
        return doc_.Fail(n, "parallel needs steps");
      }
      list = n["steps"];
    }
    if (!list.IsSequence() || list.size() == 0) {
      return doc_.Fail(n, "parallel steps must be a non-empty list");
    }
    TIGRESS_ASSIGN_OR_RETURN(st.steps, LoadSteps(list, inner, /*in_parallel=*/true));
    return {};
  }

  Result<std::vector<int>> Codes(const YAML::Node& n, std::string_view what) {
    std::vector<int> codes;
    auto one = [&](const YAML::Node& x) -> Result<void> {
      TIGRESS_ASSIGN_OR_RETURN(std::int64_t v, doc_.Int(x, what));
      codes.push_back(static_cast<int>(v));
      return {};
    };
    if (n.IsSequence()) {
      for (const auto& x : n) {
        TIGRESS_RETURN_IF_ERROR(one(x));
      }
    } else {
      TIGRESS_RETURN_IF_ERROR(one(n));
    }
    if (codes.empty()) {
      return doc_.Fail(n, std::string(what) + " must list at least one code");
    }
    return codes;
  }

  Result<Expectation> LoadExpectation(const YAML::Node& n, Step::Kind kind,
                                      const std::set<std::string>& defined) {
    TIGRESS_RETURN_IF_ERROR(
        doc_.CheckKeys(n, {"req",      "interpretation", "note",    "status", "header",
                           "json",     "body",           "error",   "ok",     "count",
                           "equals",   "matches",        "present", "absent", "one_of",
                           "contains", "not_contains",   "type",    "min",    "max"},
                       "expectation"));
    Expectation e;
    e.where = doc_.Where(n);
    if (!n["req"]) {
      return doc_.Fail(n, "every expectation must cite a requirement: add req: <ID>");
    }
    TIGRESS_ASSIGN_OR_RETURN(e.req, doc_.String(n["req"], "req"));
    TIGRESS_RETURN_IF_ERROR(CheckReq(n["req"], e.req));
    if (n["interpretation"]) {
      TIGRESS_ASSIGN_OR_RETURN(e.interpretation_refs,
                               doc_.StringList(n["interpretation"], "interpretation"));
      TIGRESS_RETURN_IF_ERROR(CheckInterpretationRefs(n["interpretation"], e.interpretation_refs));
    }
    if (n["note"]) {
      TIGRESS_ASSIGN_OR_RETURN(e.note, doc_.String(n["note"], "note"));
    }
    int subjects = 0;
    for (const char* k : {"status", "header", "json", "body", "error", "ok", "count"}) {
      subjects += n[k] ? 1 : 0;
    }
    if (subjects != 1) {
      return doc_.Fail(
          n, "an expectation needs exactly one of status, header, json, body, error, ok, count");
    }
    int ops = 0;
    const char* op_key = nullptr;
    for (const char* k :
         {"equals", "matches", "present", "absent", "one_of", "contains", "not_contains", "type"}) {
      if (n[k]) {
        ++ops;
        op_key = k;
      }
    }
    auto need_op = [&](std::initializer_list<std::string_view> allowed,
                       std::string_view subject) -> Result<void> {
      if (ops != 1) {
        return doc_.Fail(n, std::string(subject) + " needs exactly one operator");
      }
      if (std::find(allowed.begin(), allowed.end(), std::string_view(op_key)) == allowed.end()) {
        return doc_.Fail(n, std::string(subject) + " does not support '" + op_key + "'");
      }
      return {};
    };
    auto no_op = [&](std::string_view subject) -> Result<void> {
      if (ops != 0 || n["min"] || n["max"]) {
        return doc_.Fail(n, std::string(subject) + " takes no operator");
      }
      return {};
    };
    const bool http = kind == Step::Kind::kHttp;
    const bool call = kind == Step::Kind::kCall;
    if (n["status"]) {
      if (!http) {
        return doc_.Fail(n, "status applies to http steps");
      }
      e.subject = Expectation::Subject::kStatus;
      TIGRESS_ASSIGN_OR_RETURN(e.codes, Codes(n["status"], "status"));
      TIGRESS_RETURN_IF_ERROR(no_op("status"));
    } else if (n["error"]) {
      if (!call) {
        return doc_.Fail(n, "error applies to call steps");
      }
      e.subject = Expectation::Subject::kError;
      TIGRESS_ASSIGN_OR_RETURN(e.codes, Codes(n["error"], "error"));
      TIGRESS_RETURN_IF_ERROR(no_op("error"));
    } else if (n["ok"]) {
      if (!call) {
        return doc_.Fail(n, "ok applies to call steps");
      }
      TIGRESS_ASSIGN_OR_RETURN(bool ok, doc_.Bool(n["ok"], "ok"));
      if (!ok) {
        return doc_.Fail(n["ok"], "write `error: CODE` to expect a failing call");
      }
      e.subject = Expectation::Subject::kOk;
      TIGRESS_RETURN_IF_ERROR(no_op("ok"));
    } else if (n["header"]) {
      if (!http) {
        return doc_.Fail(n, "header applies to http steps");
      }
      e.subject = Expectation::Subject::kHeader;
      TIGRESS_ASSIGN_OR_RETURN(e.target, doc_.String(n["header"], "header"));
      TIGRESS_RETURN_IF_ERROR(need_op(
          {"equals", "matches", "present", "absent", "contains", "not_contains"}, "header"));
    } else if (n["json"]) {
      if (!http && !call) {
        return doc_.Fail(n, "json applies to http and call steps");
      }
      e.subject = Expectation::Subject::kJson;
      TIGRESS_ASSIGN_OR_RETURN(e.target, doc_.String(n["json"], "json"));
      TIGRESS_RETURN_IF_ERROR(need_op(
          {"equals", "matches", "present", "absent", "one_of", "contains", "not_contains", "type"},
          "json"));
    } else if (n["body"]) {
      if (!http) {
        return doc_.Fail(n, "body applies to http steps");
      }
      e.subject = Expectation::Subject::kBody;
      TIGRESS_ASSIGN_OR_RETURN(std::string b, doc_.String(n["body"], "body"));
      if (b != "text") {
        return doc_.Fail(n["body"], "write `body: text` and an operator (contains, matches...)");
      }
      TIGRESS_RETURN_IF_ERROR(need_op({"equals", "matches", "contains", "not_contains"}, "body"));
    } else {
      if (kind != Step::Kind::kParallel) {
        return doc_.Fail(n, "count applies to parallel steps");
      }
      e.subject = Expectation::Subject::kCount;
      const YAML::Node& c = n["count"];
      TIGRESS_RETURN_IF_ERROR(doc_.CheckKeys(c, {"status"}, "count"));
      if (!c["status"]) {
        return doc_.Fail(c, "count needs status: CODE or a list");
      }
      TIGRESS_ASSIGN_OR_RETURN(e.codes, Codes(c["status"], "count.status"));
      if (ops > 1 || (ops == 1 && std::string_view(op_key) != "equals")) {
        return doc_.Fail(n, "count takes equals, min and/or max");
      }
      if (n["equals"]) {
        TIGRESS_ASSIGN_OR_RETURN(std::int64_t v, doc_.Int(n["equals"], "equals"));
        e.min = e.max = v;
      }
      if (n["min"]) {
        TIGRESS_ASSIGN_OR_RETURN(std::int64_t v, doc_.Int(n["min"], "min"));
        e.min = v;
      }
      if (n["max"]) {
        TIGRESS_ASSIGN_OR_RETURN(std::int64_t v, doc_.Int(n["max"], "max"));
        e.max = v;
      }
      if (!e.min && !e.max) {
        return doc_.Fail(n, "count needs equals, min or max");
      }
      e.op = Expectation::Op::kRange;
      return e;
    }
    if (op_key != nullptr) {
      std::string_view k(op_key);
      const YAML::Node& v = n[op_key];
      if (k == "equals") {
        e.op = Expectation::Op::kEquals;
        e.operand = YamlToJson(v);
      } else if (k == "matches") {
        e.op = Expectation::Op::kMatches;
        TIGRESS_ASSIGN_OR_RETURN(std::string re, doc_.String(v, "matches"));
        if (FindVarRefs(re).empty()) {
          try {
            std::regex test(re, std::regex::ECMAScript);
          } catch (const std::regex_error& err) {
            return doc_.Fail(v, "invalid regular expression '" + re + "': " + err.what());
          }
        }
        e.operand = re;
      } else if (k == "present" || k == "absent") {
        TIGRESS_ASSIGN_OR_RETURN(bool b, doc_.Bool(v, k));
        e.op = (b == (k == "present")) ? Expectation::Op::kPresent : Expectation::Op::kAbsent;
      } else if (k == "one_of") {
        if (!v.IsSequence() || v.size() == 0) {
          return doc_.Fail(v, "one_of must be a non-empty list");
        }
        e.op = Expectation::Op::kOneOf;
        e.operand = YamlToJson(v);
      } else if (k == "contains" || k == "not_contains") {
        e.op = k == "contains" ? Expectation::Op::kContains : Expectation::Op::kNotContains;
        TIGRESS_ASSIGN_OR_RETURN(std::string text, doc_.String(v, k));
        e.operand = text;
      } else if (k == "type") {
        TIGRESS_ASSIGN_OR_RETURN(std::string t, doc_.String(v, "type"));
        static const std::set<std::string> kTypes = {"string", "number", "integer", "boolean",
                                                     "object", "array",  "null"};
        if (!kTypes.contains(t)) {
          return doc_.Fail(v,
                           "type must be string, number, integer, boolean, object, array or null");
        }
        e.op = Expectation::Op::kType;
        e.operand = t;
      }
      TIGRESS_RETURN_IF_ERROR(CheckVars(v, e.operand, defined));
    }
    return e;
  }

  const YamlDoc& doc_;
  const KnownRequirement& known_;
  Scenario* scenario_ = nullptr;
};

}  // namespace

Result<Scenario> LoadScenarioString(std::string text, const std::filesystem::path& file,
                                    const KnownRequirement& known) {
  TIGRESS_ASSIGN_OR_RETURN(YamlDoc doc,
                           LoadYamlString(std::move(text), file.string(), Errc::kScenarioInvalid));
  Loader loader(doc, known);
  return loader.Load();
}

Result<Scenario> LoadScenarioFile(const std::filesystem::path& file,
                                  const KnownRequirement& known) {
  TIGRESS_ASSIGN_OR_RETURN(YamlDoc doc, LoadYamlFile(file, Errc::kScenarioInvalid));
  return LoadScenarioString(std::move(doc.text), file, known);
}

Result<ScenarioSet> LoadScenarioDir(const std::filesystem::path& dir,
                                    const KnownRequirement& known) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) {
    return MakeError(Errc::kScenarioInvalid, dir.string() + ": not a directory of scenarios");
  }
  std::vector<std::filesystem::path> files;
  for (auto it = std::filesystem::recursive_directory_iterator(dir, ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    if (it->is_regular_file() &&
        (it->path().extension() == ".yaml" || it->path().extension() == ".yml")) {
      files.push_back(it->path());
    }
  }
  std::sort(files.begin(), files.end());
  ScenarioSet set;
  std::map<std::string, std::string> seen;  // id -> file:line
  // Messages name files as "scenarios/relay/x.yaml", whatever path was given.
  fs::path base = fs::absolute(dir).lexically_normal();
  if (base.filename().empty()) {
    base = base.parent_path();
  }
  for (const auto& f : files) {
    fs::path shown = base.filename() / fs::absolute(f).lexically_normal().lexically_relative(base);
    TIGRESS_ASSIGN_OR_RETURN(YamlDoc doc, LoadYamlFile(f, Errc::kScenarioInvalid));
    TIGRESS_ASSIGN_OR_RETURN(Scenario s, LoadScenarioString(std::move(doc.text), shown, known));
    auto [it, inserted] = seen.emplace(s.id, shown.string());
    if (!inserted) {
      // Point at the id line of the second file.
      std::size_t line = 1;
      auto pos = s.text.find("id:");
      for (std::size_t i = 0; i < pos && i < s.text.size(); ++i) {
        line += s.text[i] == '\n' ? 1 : 0;
      }
      return MakeError(Errc::kScenarioInvalid, shown.string() + ":" + std::to_string(line) +
                                                   ": duplicate scenario id '" + s.id +
                                                   "' (also in " + it->second + ")");
    }
    set.scenarios.push_back(std::move(s));
  }
  std::sort(set.scenarios.begin(), set.scenarios.end(),
            [](const Scenario& a, const Scenario& b) { return a.id < b.id; });
  return set;
}

std::string ExpectationToString(const Expectation& e) {
  auto codes = [&] {
    std::string s;
    for (int c : e.codes) {
      s += (s.empty() ? "" : ", ") + std::to_string(c);
    }
    return e.codes.size() == 1 ? s : "one of [" + s + "]";
  };
  auto op = [&]() -> std::string {
    switch (e.op) {
      case Expectation::Op::kEquals:
        return "equals " + e.operand.dump();
      case Expectation::Op::kMatches:
        return "matches /" + e.operand.get<std::string>() + "/";
      case Expectation::Op::kPresent:
        return "is present";
      case Expectation::Op::kAbsent:
        return "is absent";
      case Expectation::Op::kOneOf:
        return "is one of " + e.operand.dump();
      case Expectation::Op::kContains:
        return "contains " + e.operand.dump();
      case Expectation::Op::kNotContains:
        return "does not contain " + e.operand.dump();
      case Expectation::Op::kType:
        return "is a " + e.operand.get<std::string>();
      default:
        return "";
    }
  };
  switch (e.subject) {
    case Expectation::Subject::kStatus:
      return "status " + codes();
    case Expectation::Subject::kError:
      return "adapter error " + codes();
    case Expectation::Subject::kOk:
      return "adapter call succeeds";
    case Expectation::Subject::kHeader:
      return "header " + e.target + " " + op();
    case Expectation::Subject::kJson:
      return "json " + (e.target.empty() ? std::string("$") : e.target) + " " + op();
    case Expectation::Subject::kBody:
      return "body " + op();
    case Expectation::Subject::kCount: {
      std::string range;
      if (e.min && e.max && *e.min == *e.max) {
        range = "exactly " + std::to_string(*e.min);
      } else {
        if (e.min) {
          range += "at least " + std::to_string(*e.min);
        }
        if (e.max) {
          range += std::string(range.empty() ? "" : " and ") + "at most " + std::to_string(*e.max);
        }
      }
      return range + " response(s) with status " + codes();
    }
  }
  return "?";
}

}  // namespace tigress::harness
