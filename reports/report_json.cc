// report.json: writer and reader. The layout is documented in docs/reports.md;
// bump kReportSchemaVersion for any change a reader could trip over.
//
// Version 1 (before interpretation classes, bases, not-evaluated
// requirements and root causes) is still read: what it lacks stays empty and
// its `lenient_downgrade` is read as `profile_downgrade`.
#include <charconv>
#include <set>

#include <nlohmann/json.hpp>

#include "reports/escape.h"
#include "reports/matrix.h"
#include "reports/render_util.h"
#include "reports/root_causes.h"
#include "reports/writers.h"

namespace tigress::reports {
namespace {

using Json = nlohmann::ordered_json;

Json Pairs(const std::vector<std::pair<std::string, std::string>>& pairs, const char* k,
           const char* v) {
  Json arr = Json::array();
  for (const auto& [key, value] : pairs) arr.push_back(Json{{k, key}, {v, value}});
  return arr;
}

Json EvidenceJson(const Evidence& e) {
  Json http = Json::array();
  for (const HttpExcerpt& h : e.http) {
    http.push_back(Json{{"vantage", h.vantage},
                        {"request_line", h.request_line},
                        {"request_headers", Pairs(h.request_headers, "name", "value")},
                        {"request_body", h.request_body},
                        {"status", h.status},
                        {"response_headers", Pairs(h.response_headers, "name", "value")},
                        {"response_body", h.response_body}});
  }
  Json attachments = Json::array();
  for (const Attachment& a : e.attachments) {
    attachments.push_back(Json{{"name", a.name}, {"path", a.path}, {"media_type", a.media_type}});
  }
  return Json{{"fields", Pairs(e.fields, "key", "value")},
              {"http", std::move(http)},
              {"attachments", std::move(attachments)}};
}

Json AssertionJson(const Assertion& a) {
  return Json{{"requirement_id", a.requirement_id},
              {"verdict", VerdictName(a.verdict)},
              {"message", a.message},
              {"expected", a.expected},
              {"actual", a.actual},
              {"interpretation", a.interpretation},
              {"interpretation_refs", a.interpretation_refs},
              {"interpretation_class", a.interpretation_class == InterpretationClass::kNone
                                           ? Json(nullptr)
                                           : Json(InterpretationClassName(a.interpretation_class))},
              {"basis", Json{{"kind", a.basis.kind},
                             {"source", a.basis.source},
                             {"level", a.basis.level},
                             {"text", a.basis.text}}},
              {"profile_downgrade", a.profile_downgrade},
              {"evidence", EvidenceJson(a.evidence)}};
}

Json NotEvaluatedJson(const std::vector<NotEvaluated>& list) {
  Json arr = Json::array();
  for (const NotEvaluated& n : list) {
    arr.push_back(Json{{"requirement_id", n.requirement_id}, {"reason", n.reason}});
  }
  return arr;
}

Json CaseJson(const CaseResult& c) {
  Json assertions = Json::array();
  for (const Assertion& a : c.assertions) assertions.push_back(AssertionJson(a));
  return Json{{"id", c.case_id},
              {"title", c.title},
              {"scenario_file", c.scenario_file},
              {"area", c.Area()},
              {"requirement_ids", c.requirement_ids},
              {"keywords", c.keywords},
              {"implementations",
               Json{{"initiator", c.initiator}, {"relay", c.relay}, {"recipient", c.recipient}}},
              {"verdict", VerdictName(c.verdict)},
              {"is_unexpected", c.Unexpected()},
              {"expected_failure", c.expected_failure},
              {"expected_failure_reason", c.expected_failure_reason},
              {"expected_failure_requirements", c.expected_failure_requirements},
              {"stale_expectation", c.stale_expectation},
              {"stopped_early", c.stopped_early},
              {"not_evaluated", NotEvaluatedJson(c.not_evaluated)},
              {"failure_signature", FailureSignature(c)},
              {"duration_s", c.duration_s},
              {"seed", std::to_string(c.seed)},
              {"rerun_command", c.rerun_command},
              {"case_dir", c.case_dir},
              {"error_detail", c.error_detail},
              {"assertions", std::move(assertions)}};
}

Json StatusJson(CoverageStatus s) {
  switch (s) {
    case CoverageStatus::kChecked:
      return "checked";
    case CoverageStatus::kNotEvaluated:
      return "not_evaluated";
    case CoverageStatus::kNotExamined:
      return "not_examined";
    case CoverageStatus::kNotTested:
      return "not_tested";
  }
  return "not_tested";
}

// ---- reader ----

class Reader {
 public:
  Error Bad(const std::string& path, const std::string& what) const {
    return MakeError(Errc::kConfigInvalid, "report.json: " + path + ": " + what);
  }

  Result<std::string> Str(const Json& o, const std::string& path, const char* key,
                          bool required = false) const {
    auto it = o.find(key);
    if (it == o.end() || it->is_null()) {
      if (required) return Bad(path + "." + key, "required field is missing");
      return std::string();
    }
    if (!it->is_string()) return Bad(path + "." + key, "must be a string");
    return it->get<std::string>();
  }

  Result<bool> Bool(const Json& o, const std::string& path, const char* key) const {
    auto it = o.find(key);
    if (it == o.end()) return false;
    if (!it->is_boolean()) return Bad(path + "." + key, "must be a boolean");
    return it->get<bool>();
  }

  Result<std::vector<std::string>> Strs(const Json& o, const std::string& path,
                                        const char* key) const {
    std::vector<std::string> out;
    auto it = o.find(key);
    if (it == o.end()) return out;
    if (!it->is_array()) return Bad(path + "." + key, "must be an array");
    for (const Json& v : *it) {
      if (!v.is_string()) return Bad(path + "." + key, "must hold strings only");
      out.push_back(v.get<std::string>());
    }
    return out;
  }

  Result<std::uint64_t> Seed(const Json& o, const std::string& path) const {
    auto it = o.find("seed");
    if (it == o.end()) return std::uint64_t{0};
    if (it->is_number_unsigned()) return it->get<std::uint64_t>();
    if (it->is_string()) {
      const std::string s = it->get<std::string>();
      std::uint64_t v = 0;
      auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
      if (ec == std::errc() && end == s.data() + s.size() && !s.empty()) return v;
    }
    return Bad(path + ".seed", "must be an unsigned integer or its decimal string");
  }

  Result<Verdict> VerdictOf(const Json& o, const std::string& path) const {
    TIGRESS_ASSIGN_OR_RETURN(std::string name, Str(o, path, "verdict", true));
    auto v = ParseVerdict(name);
    if (!v) return Bad(path + ".verdict", "unknown verdict '" + name + "'");
    return *v;
  }

  Result<std::vector<std::pair<std::string, std::string>>> PairsOf(const Json& o,
                                                                   const std::string& path,
                                                                   const char* key, const char* k,
                                                                   const char* v) const {
    std::vector<std::pair<std::string, std::string>> out;
    auto it = o.find(key);
    if (it == o.end()) return out;
    if (!it->is_array()) return Bad(path + "." + key, "must be an array");
    for (std::size_t i = 0; i < it->size(); ++i) {
      const std::string p = path + "." + key + "[" + std::to_string(i) + "]";
      const Json& item = (*it)[i];
      if (!item.is_object()) return Bad(p, "must be an object");
      TIGRESS_ASSIGN_OR_RETURN(std::string first, Str(item, p, k, true));
      TIGRESS_ASSIGN_OR_RETURN(std::string second, Str(item, p, v));
      out.emplace_back(std::move(first), std::move(second));
    }
    return out;
  }

  Result<Evidence> EvidenceOf(const Json& o, const std::string& path) const {
    Evidence e;
    auto it = o.find("evidence");
    if (it == o.end()) return e;
    if (!it->is_object()) return Bad(path + ".evidence", "must be an object");
    const std::string p = path + ".evidence";
    TIGRESS_ASSIGN_OR_RETURN(e.fields, PairsOf(*it, p, "fields", "key", "value"));
    if (auto h = it->find("http"); h != it->end()) {
      if (!h->is_array()) return Bad(p + ".http", "must be an array");
      for (std::size_t i = 0; i < h->size(); ++i) {
        const std::string hp = p + ".http[" + std::to_string(i) + "]";
        const Json& x = (*h)[i];
        if (!x.is_object()) return Bad(hp, "must be an object");
        HttpExcerpt ex;
        TIGRESS_ASSIGN_OR_RETURN(ex.vantage, Str(x, hp, "vantage"));
        TIGRESS_ASSIGN_OR_RETURN(ex.request_line, Str(x, hp, "request_line"));
        TIGRESS_ASSIGN_OR_RETURN(ex.request_headers,
                                 PairsOf(x, hp, "request_headers", "name", "value"));
        TIGRESS_ASSIGN_OR_RETURN(ex.request_body, Str(x, hp, "request_body"));
        if (auto s = x.find("status"); s != x.end()) {
          if (!s->is_number_integer()) return Bad(hp + ".status", "must be an integer");
          ex.status = s->get<int>();
        }
        TIGRESS_ASSIGN_OR_RETURN(ex.response_headers,
                                 PairsOf(x, hp, "response_headers", "name", "value"));
        TIGRESS_ASSIGN_OR_RETURN(ex.response_body, Str(x, hp, "response_body"));
        e.http.push_back(std::move(ex));
      }
    }
    if (auto a = it->find("attachments"); a != it->end()) {
      if (!a->is_array()) return Bad(p + ".attachments", "must be an array");
      for (std::size_t i = 0; i < a->size(); ++i) {
        const std::string ap = p + ".attachments[" + std::to_string(i) + "]";
        const Json& x = (*a)[i];
        if (!x.is_object()) return Bad(ap, "must be an object");
        Attachment at;
        TIGRESS_ASSIGN_OR_RETURN(at.name, Str(x, ap, "name"));
        TIGRESS_ASSIGN_OR_RETURN(at.path, Str(x, ap, "path", true));
        TIGRESS_ASSIGN_OR_RETURN(at.media_type, Str(x, ap, "media_type"));
        e.attachments.push_back(std::move(at));
      }
    }
    return e;
  }

  Result<InterpretationClass> ClassOf(const Json& o, const std::string& path) const {
    TIGRESS_ASSIGN_OR_RETURN(std::string name, Str(o, path, "interpretation_class"));
    if (name.empty()) return InterpretationClass::kNone;
    auto k = ParseInterpretationClass(name);
    if (!k) return Bad(path + ".interpretation_class", "unknown class '" + name + "'");
    return *k;
  }

  Result<Basis> BasisOf(const Json& o, const std::string& path) const {
    Basis b;
    auto it = o.find("basis");
    if (it == o.end() || it->is_null()) return b;
    const std::string p = path + ".basis";
    if (!it->is_object()) return Bad(p, "must be an object");
    TIGRESS_ASSIGN_OR_RETURN(b.kind, Str(*it, p, "kind"));
    if (!b.kind.empty() && b.kind != "draft" && b.kind != "rfc" && b.kind != "interpretation") {
      return Bad(p + ".kind", "unknown kind '" + b.kind + "' (draft|rfc|interpretation)");
    }
    TIGRESS_ASSIGN_OR_RETURN(b.source, Str(*it, p, "source"));
    TIGRESS_ASSIGN_OR_RETURN(b.level, Str(*it, p, "level"));
    TIGRESS_ASSIGN_OR_RETURN(b.text, Str(*it, p, "text"));
    return b;
  }

  Result<CaseResult> CaseOf(const Json& o, const std::string& path) const {
    if (!o.is_object()) return Bad(path, "must be an object");
    CaseResult c;
    TIGRESS_ASSIGN_OR_RETURN(c.case_id, Str(o, path, "id", true));
    TIGRESS_ASSIGN_OR_RETURN(c.title, Str(o, path, "title"));
    TIGRESS_ASSIGN_OR_RETURN(c.scenario_file, Str(o, path, "scenario_file"));
    TIGRESS_ASSIGN_OR_RETURN(c.area, Str(o, path, "area"));
    TIGRESS_ASSIGN_OR_RETURN(c.requirement_ids, Strs(o, path, "requirement_ids"));
    TIGRESS_ASSIGN_OR_RETURN(c.keywords, Strs(o, path, "keywords"));
    if (auto im = o.find("implementations"); im != o.end()) {
      if (!im->is_object()) return Bad(path + ".implementations", "must be an object");
      const std::string ip = path + ".implementations";
      TIGRESS_ASSIGN_OR_RETURN(c.initiator, Str(*im, ip, "initiator"));
      TIGRESS_ASSIGN_OR_RETURN(c.relay, Str(*im, ip, "relay"));
      TIGRESS_ASSIGN_OR_RETURN(c.recipient, Str(*im, ip, "recipient"));
    }
    TIGRESS_ASSIGN_OR_RETURN(c.verdict, VerdictOf(o, path));
    TIGRESS_ASSIGN_OR_RETURN(c.expected_failure, Bool(o, path, "expected_failure"));
    TIGRESS_ASSIGN_OR_RETURN(c.expected_failure_reason, Str(o, path, "expected_failure_reason"));
    TIGRESS_ASSIGN_OR_RETURN(c.expected_failure_requirements,
                             Strs(o, path, "expected_failure_requirements"));
    TIGRESS_ASSIGN_OR_RETURN(c.stale_expectation, Bool(o, path, "stale_expectation"));
    TIGRESS_ASSIGN_OR_RETURN(c.stopped_early, Bool(o, path, "stopped_early"));
    TIGRESS_ASSIGN_OR_RETURN(c.failure_signature, Str(o, path, "failure_signature"));
    if (auto ne = o.find("not_evaluated"); ne != o.end()) {
      if (!ne->is_array()) return Bad(path + ".not_evaluated", "must be an array");
      for (std::size_t i = 0; i < ne->size(); ++i) {
        const std::string np = path + ".not_evaluated[" + std::to_string(i) + "]";
        if (!(*ne)[i].is_object()) return Bad(np, "must be an object");
        NotEvaluated n;
        TIGRESS_ASSIGN_OR_RETURN(n.requirement_id, Str((*ne)[i], np, "requirement_id", true));
        TIGRESS_ASSIGN_OR_RETURN(n.reason, Str((*ne)[i], np, "reason"));
        c.not_evaluated.push_back(std::move(n));
      }
    }
    if (auto d = o.find("duration_s"); d != o.end()) {
      if (!d->is_number()) return Bad(path + ".duration_s", "must be a number");
      c.duration_s = d->get<double>();
    }
    TIGRESS_ASSIGN_OR_RETURN(c.seed, Seed(o, path));
    TIGRESS_ASSIGN_OR_RETURN(c.rerun_command, Str(o, path, "rerun_command"));
    TIGRESS_ASSIGN_OR_RETURN(c.case_dir, Str(o, path, "case_dir"));
    TIGRESS_ASSIGN_OR_RETURN(c.error_detail, Str(o, path, "error_detail"));
    if (auto as = o.find("assertions"); as != o.end()) {
      if (!as->is_array()) return Bad(path + ".assertions", "must be an array");
      for (std::size_t i = 0; i < as->size(); ++i) {
        const std::string ap = path + ".assertions[" + std::to_string(i) + "]";
        const Json& x = (*as)[i];
        if (!x.is_object()) return Bad(ap, "must be an object");
        Assertion a;
        TIGRESS_ASSIGN_OR_RETURN(a.requirement_id, Str(x, ap, "requirement_id"));
        TIGRESS_ASSIGN_OR_RETURN(a.verdict, VerdictOf(x, ap));
        TIGRESS_ASSIGN_OR_RETURN(a.message, Str(x, ap, "message"));
        TIGRESS_ASSIGN_OR_RETURN(a.expected, Str(x, ap, "expected"));
        TIGRESS_ASSIGN_OR_RETURN(a.actual, Str(x, ap, "actual"));
        TIGRESS_ASSIGN_OR_RETURN(a.interpretation, Bool(x, ap, "interpretation"));
        TIGRESS_ASSIGN_OR_RETURN(a.interpretation_refs, Strs(x, ap, "interpretation_refs"));
        TIGRESS_ASSIGN_OR_RETURN(a.interpretation_class, ClassOf(x, ap));
        TIGRESS_ASSIGN_OR_RETURN(a.basis, BasisOf(x, ap));
        TIGRESS_ASSIGN_OR_RETURN(
            a.profile_downgrade,
            Bool(x, ap,
                 x.contains("profile_downgrade") ? "profile_downgrade" : "lenient_downgrade"));
        TIGRESS_ASSIGN_OR_RETURN(a.evidence, EvidenceOf(x, ap));
        c.assertions.push_back(std::move(a));
      }
    }
    return c;
  }
};

}  // namespace

std::string RenderReportJson(const RunResult& unguarded, const Catalog* catalog,
                             const RedactionGuard* guard) {
  const RunResult run = internal::Guarded(unguarded, guard);
  const RunSummary s = run.Summarize();

  Json impls = Json::array();
  for (const ImplementationInfo& i : run.implementations) {
    impls.push_back(Json{{"name", i.name},
                         {"version", i.version},
                         {"roles", i.roles},
                         {"features", i.features},
                         {"manifest_path", i.manifest_path},
                         {"spec", i.spec}});
  }
  Json cases = Json::array();
  for (const CaseResult& c : run.cases) cases.push_back(CaseJson(c));

  std::set<std::string> interp_ids;
  for (const CaseResult& c : run.cases) {
    for (const Assertion& a : c.assertions) {
      interp_ids.insert(a.interpretation_refs.begin(), a.interpretation_refs.end());
    }
  }
  Json coverage = Json::array();
  int tested = 0;
  int untested = 0;
  int untested_must = 0;
  int not_evaluated = 0;
  int not_examined = 0;
  Json by_severity = Json::object();
  for (const CoverageEntry& e : ComputeCoverage(run, catalog)) {
    Json case_ids = Json::array();
    for (std::size_t i : e.cases) case_ids.push_back(run.cases[i].case_id);
    Json item{{"requirement_id", e.requirement_id}, {"in_catalogue", e.requirement != nullptr}};
    if (e.requirement != nullptr) {
      item["level"] = e.requirement->level;
      item["severity"] = SeverityName(e.requirement->severity);
      item["role"] = RoleName(e.requirement->role);
      item["interpretation"] = e.requirement->interpretation;
      item["interpretation_refs"] = e.requirement->interpretation_refs;
      if (!e.cases.empty()) {
        interp_ids.insert(e.requirement->interpretation_refs.begin(),
                          e.requirement->interpretation_refs.end());
      }
    }
    item["cases"] = std::move(case_ids);
    item["status"] = StatusJson(e.status);
    item["verdict"] = e.worst ? Json(VerdictName(*e.worst)) : Json(nullptr);
    Json skipped = Json::array();
    for (const auto& [i, reason] : e.not_evaluated) {
      skipped.push_back(Json{{"case_id", run.cases[i].case_id}, {"reason", reason}});
    }
    item["not_evaluated"] = std::move(skipped);
    const NotChecked* why = e.requirement != nullptr && e.requirement->not_checked
                                ? &*e.requirement->not_checked
                                : nullptr;
    item["not_checked"] =
        why != nullptr ? Json{{"category", why->category}, {"reason", why->reason}} : Json(nullptr);
    if (e.worst) {
      ++tested;
    } else {
      ++untested;
      if (e.requirement != nullptr && e.requirement->severity == Severity::kMust) ++untested_must;
    }
    not_evaluated += e.status == CoverageStatus::kNotEvaluated ? 1 : 0;
    not_examined += e.status == CoverageStatus::kNotExamined ? 1 : 0;
    if (e.requirement != nullptr) {
      Json& tally = by_severity[std::string(SeverityName(e.requirement->severity))];
      if (tally.is_null()) tally = Json{{"total", 0}, {"tested", 0}, {"not_checked", 0}};
      tally["total"] = tally["total"].get<int>() + 1;
      if (e.worst) {
        tally["tested"] = tally["tested"].get<int>() + 1;
      } else if (why != nullptr) {
        tally["not_checked"] = tally["not_checked"].get<int>() + 1;
      }
    }
    coverage.push_back(std::move(item));
  }
  Json interpretations = Json::array();
  if (catalog != nullptr) {
    for (const std::string& id : interp_ids) {
      if (const Interpretation* i = catalog->FindInterpretation(id)) {
        interpretations.push_back(Json{{"id", i->id},
                                       {"issue", i->issue},
                                       {"interpretation", i->interpretation},
                                       {"class", InterpretationClassName(i->klass)}});
      }
    }
  }
  Json root_causes = Json::array();
  for (const FailureGroup& g : GroupFailures(run)) {
    root_causes.push_back(Json{{"signature", g.signature},
                               {"count", g.cases.size()},
                               {"verdict", VerdictName(g.verdict)},
                               {"cases", g.cases}});
  }
  Json disabled = Json::array();
  for (const auto& [id, reason] : run.disabled) {
    disabled.push_back(Json{{"case_id", id}, {"reason", reason}});
  }

  Json doc{
      {"schema", kReportSchemaName},
      {"schema_version", kReportSchemaVersion},
      {"run", Json{{"run_id", run.run_id},
                   {"started", run.started},
                   {"finished", run.finished},
                   {"harness_version", run.harness_version},
                   {"profile", ProfileName(run.profile)},
                   {"seed", std::to_string(run.seed)},
                   {"command_line", run.command_line},
                   {"spec", run.spec},
                   {"diagnosis", run.diagnosis}}},
      {"catalogue", catalog == nullptr ? Json(nullptr)
                                       : Json{{"title", catalog->title()},
                                              {"schema_version", catalog->schema_version()},
                                              {"requirements", catalog->requirements().size()}}},
      {"implementations", std::move(impls)},
      {"summary", Json{{"total", s.total},
                       {"pass", s.pass},
                       {"fail", s.fail},
                       {"warn", s.warn},
                       {"info", s.info},
                       {"unsupported", s.unsupported},
                       {"error", s.error},
                       {"timeout", s.timeout},
                       {"unexpected", s.unexpected},
                       {"expected_failures", s.expected_failures},
                       {"stale_expectations", s.stale},
                       {"interpretation", s.interpretation},
                       {"nothing_tested", run.NothingTested()},
                       {"exit_code", run.ExitCode()}}},
      {"root_causes", std::move(root_causes)},
      {"coverage_summary", Json{{"tested", tested},
                                {"untested", untested},
                                {"untested_must", untested_must},
                                {"not_evaluated", not_evaluated},
                                {"not_examined", not_examined},
                                {"by_severity", std::move(by_severity)}}},
      {"matrix", MatrixJson(ComputeMatrix(run), run)},
      {"cases", std::move(cases)},
      {"disabled", std::move(disabled)},
      {"coverage", std::move(coverage)},
      {"interpretations", std::move(interpretations)},
  };
  // Invalid UTF-8 from an implementation must not make dump() throw.
  std::string text = doc.dump(2, ' ', false, Json::error_handler_t::replace);
  text.push_back('\n');
  return internal::FinalGuard(std::move(text), guard);
}

Result<RunResult> ParseReportJson(std::string_view text) {
  Json doc = Json::parse(text.begin(), text.end(), nullptr, false);
  if (doc.is_discarded()) return MakeError(Errc::kJsonInvalid, "report.json: not valid JSON");
  const Reader r;
  if (!doc.is_object()) return r.Bad("$", "must be an object");
  TIGRESS_ASSIGN_OR_RETURN(std::string schema, r.Str(doc, "$", "schema", true));
  if (schema != kReportSchemaName)
    return r.Bad("schema", "is not '" + std::string(kReportSchemaName) + "'");
  auto version = doc.find("schema_version");
  if (version == doc.end() || !version->is_number_integer()) {
    return r.Bad("schema_version", "required integer field is missing");
  }
  RunResult run;
  const int read_version = version->get<int>();
  if (read_version != 1 && read_version != kReportSchemaVersion) {
    return r.Bad("schema_version", "version " + std::to_string(read_version) +
                                       " is not supported (this build reads 1 and " +
                                       std::to_string(kReportSchemaVersion) + ")");
  }
  run.schema_version = kReportSchemaVersion;  // what is read is now the current model
  auto info = doc.find("run");
  if (info == doc.end() || !info->is_object()) return r.Bad("run", "required object is missing");
  TIGRESS_ASSIGN_OR_RETURN(run.run_id, r.Str(*info, "run", "run_id", true));
  TIGRESS_ASSIGN_OR_RETURN(run.started, r.Str(*info, "run", "started"));
  TIGRESS_ASSIGN_OR_RETURN(run.finished, r.Str(*info, "run", "finished"));
  TIGRESS_ASSIGN_OR_RETURN(run.harness_version, r.Str(*info, "run", "harness_version"));
  TIGRESS_ASSIGN_OR_RETURN(std::string profile, r.Str(*info, "run", "profile"));
  if (!profile.empty()) {
    auto p = ParseProfile(profile);
    if (!p) return r.Bad("run.profile", "unknown profile '" + profile + "'");
    run.profile = *p;
  }
  TIGRESS_ASSIGN_OR_RETURN(run.seed, r.Seed(*info, "run"));
  TIGRESS_ASSIGN_OR_RETURN(run.command_line, r.Str(*info, "run", "command_line"));
  // Reports written before revisions existed judged http-00 and say nothing.
  if (info->contains("spec")) {
    TIGRESS_ASSIGN_OR_RETURN(run.spec, r.Str(*info, "run", "spec", true));
  }
  TIGRESS_ASSIGN_OR_RETURN(run.diagnosis, r.Strs(*info, "run", "diagnosis"));
  if (auto im = doc.find("implementations"); im != doc.end()) {
    if (!im->is_array()) return r.Bad("implementations", "must be an array");
    for (std::size_t i = 0; i < im->size(); ++i) {
      const std::string p = "implementations[" + std::to_string(i) + "]";
      const Json& x = (*im)[i];
      if (!x.is_object()) return r.Bad(p, "must be an object");
      ImplementationInfo info_out;
      TIGRESS_ASSIGN_OR_RETURN(info_out.name, r.Str(x, p, "name", true));
      TIGRESS_ASSIGN_OR_RETURN(info_out.version, r.Str(x, p, "version"));
      TIGRESS_ASSIGN_OR_RETURN(info_out.roles, r.Strs(x, p, "roles"));
      TIGRESS_ASSIGN_OR_RETURN(info_out.features, r.Strs(x, p, "features"));
      TIGRESS_ASSIGN_OR_RETURN(info_out.manifest_path, r.Str(x, p, "manifest_path"));
      if (x.contains("spec")) {
        TIGRESS_ASSIGN_OR_RETURN(info_out.spec, r.Str(x, p, "spec", true));
      }
      run.implementations.push_back(std::move(info_out));
    }
  }
  // The matrix is derived from the cases (ComputeMatrix); only its shape is checked.
  if (auto m = doc.find("matrix"); m != doc.end()) TIGRESS_RETURN_IF_ERROR(CheckMatrixJson(*m));
  auto cases = doc.find("cases");
  if (cases == doc.end() || !cases->is_array()) return r.Bad("cases", "required array is missing");
  for (std::size_t i = 0; i < cases->size(); ++i) {
    TIGRESS_ASSIGN_OR_RETURN(CaseResult c,
                             r.CaseOf((*cases)[i], "cases[" + std::to_string(i) + "]"));
    run.cases.push_back(std::move(c));
  }
  if (auto d = doc.find("disabled"); d != doc.end()) {
    if (!d->is_array()) return r.Bad("disabled", "must be an array");
    for (std::size_t i = 0; i < d->size(); ++i) {
      const std::string p = "disabled[" + std::to_string(i) + "]";
      const Json& x = (*d)[i];
      if (!x.is_object()) return r.Bad(p, "must be an object");
      TIGRESS_ASSIGN_OR_RETURN(std::string id, r.Str(x, p, "case_id", true));
      TIGRESS_ASSIGN_OR_RETURN(std::string reason, r.Str(x, p, "reason"));
      run.disabled.emplace_back(std::move(id), std::move(reason));
    }
  }
  return run;
}

}  // namespace tigress::reports
