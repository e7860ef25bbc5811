#include "harness/scenario/coverage.h"

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

namespace tigress::harness {

namespace fs = std::filesystem;
using Json = nlohmann::json;

bool VectorReachesImplementations(const std::string& family, const std::string& operation) {
  if (family == "payload_aead") {
    return true;
  }
  // Adapters offer shareUrl.parse/build but no fragment stripping, and no
  // method parses message bodies (docs/vectors.md).
  return family == "share_url" && (operation == "parse" || operation == "build");
}

Result<std::vector<VectorRef>> LoadVectorRefs(const fs::path& dir) {
  std::vector<fs::path> files;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    const std::string name = e.path().filename().string();
    if (e.path().extension() == ".json" && name.rfind("requirements", 0) != 0 &&
        name.find(".schema.") == std::string::npos) {
      files.push_back(e.path());
    }
  }
  if (ec) {
    return MakeError(Errc::kIoFailure, dir.string() + ": " + ec.message());
  }
  std::sort(files.begin(), files.end());
  std::vector<VectorRef> out;
  for (const fs::path& f : files) {
    std::ifstream in(f, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    if (!in) {
      return MakeError(Errc::kIoFailure, f.string() + ": cannot read");
    }
    Json doc = Json::parse(text.str(), nullptr, false);
    if (doc.is_discarded()) {
      return MakeError(Errc::kJsonInvalid, f.string() + ": not valid JSON");
    }
    if (!doc.is_object() || !doc.contains("family") || !doc["family"].is_string() ||
        !doc.contains("tests") || !doc["tests"].is_array()) {
      return MakeError(Errc::kConfigInvalid,
                       f.string() + ": not a vector file (needs 'family' and 'tests')");
    }
    const std::string family = doc["family"].get<std::string>();
    for (const Json& t : doc["tests"]) {
      if (!t.is_object() || !t.contains("id") || !t["id"].is_string()) {
        return MakeError(Errc::kConfigInvalid, f.string() + ": a vector has no string 'id'");
      }
      VectorRef v;
      v.id = t["id"].get<std::string>();
      v.family = family;
      v.operation = t.value("operation", std::string());
      if (t.contains("requirements")) {
        if (!t["requirements"].is_array()) {
          return MakeError(Errc::kConfigInvalid,
                           f.string() + ": " + v.id + ": 'requirements' must be a list");
        }
        for (const Json& r : t["requirements"]) {
          if (!r.is_string()) {
            return MakeError(Errc::kConfigInvalid,
                             f.string() + ": " + v.id + ": a requirement is not a string");
          }
          v.requirements.push_back(r.get<std::string>());
        }
      }
      v.reaches_implementations = VectorReachesImplementations(family, v.operation);
      out.push_back(std::move(v));
    }
  }
  return out;
}

std::vector<CoverageProblem> CoverageReport::Problems(bool strict) const {
  std::vector<CoverageProblem> out = unchecked;
  if (strict) {
    out.insert(out.end(), stale.begin(), stale.end());
  }
  return out;
}

namespace {

void CollectAsserted(std::span<const Step> steps, std::vector<std::string>& out) {
  auto add = [&out](const std::string& id) {
    if (!id.empty() && std::find(out.begin(), out.end(), id) == out.end()) {
      out.push_back(id);
    }
  };
  for (const Step& st : steps) {
    if (st.kind() == Step::Kind::kPush) {
      add(st.req.empty() ? "RELAY-50" : st.req);
      add("PRIV-10");
    } else {
      add(st.req);
    }
    for (const Expectation& e : st.expect) {
      add(e.req);
    }
    CollectAsserted(st.Inner(), out);
  }
}

}  // namespace

std::vector<std::string> AssertedRequirements(const Scenario& s) {
  std::vector<std::string> out;
  CollectAsserted(s.steps, out);
  return out;
}

bool RunsOracles(const Scenario& s) {
  return s.HasRole(Role::kRelay) && (s.HasRole(Role::kInitiator) || s.HasRole(Role::kRecipient));
}

CoverageReport ComputeCatalogueCoverage(const reports::Catalog& catalog,
                                        const ScenarioSet& scenarios,
                                        std::span<const VectorRef> vectors,
                                        std::span<const std::string> oracle_requirements) {
  struct Refs {
    std::set<std::string> cases, oracle_cases, vectors, core_vectors, declared_only;
  };
  std::map<std::string, Refs> refs;
  for (const Scenario& s : scenarios.scenarios) {
    const std::vector<std::string> asserted = AssertedRequirements(s);
    const bool oracles = RunsOracles(s);
    for (const std::string& id : asserted) {
      refs[id].cases.insert(s.id);
    }
    if (oracles) {
      for (const std::string& id : oracle_requirements) {
        refs[id].oracle_cases.insert(s.id);
      }
    }
    for (const std::string& id : s.requirements) {
      const bool by_oracle =
          oracles && std::find(oracle_requirements.begin(), oracle_requirements.end(), id) !=
                         oracle_requirements.end();
      if (!by_oracle && std::find(asserted.begin(), asserted.end(), id) == asserted.end()) {
        refs[id].declared_only.insert(s.id);
      }
    }
  }
  CoverageReport rep;
  rep.scenario_count = scenarios.scenarios.size();
  for (const VectorRef& v : vectors) {
    rep.vector_count += v.reaches_implementations ? 1 : 0;
    for (const std::string& id : v.requirements) {
      (v.reaches_implementations ? refs[id].vectors : refs[id].core_vectors).insert(v.id);
    }
  }
  for (const reports::Requirement& r : catalog.requirements()) {
    RequirementCoverage e;
    e.requirement = &r;
    if (auto it = refs.find(r.id); it != refs.end()) {
      e.cases.assign(it->second.cases.begin(), it->second.cases.end());
      e.oracle_cases.assign(it->second.oracle_cases.begin(), it->second.oracle_cases.end());
      e.vectors.assign(it->second.vectors.begin(), it->second.vectors.end());
      e.core_vectors.assign(it->second.core_vectors.begin(), it->second.core_vectors.end());
      e.declared_only.assign(it->second.declared_only.begin(), it->second.declared_only.end());
    }
    if (!e.declared_only.empty() && e.cases.empty() && e.oracle_cases.empty()) {
      rep.declared_not_asserted.push_back(r.id);
    }
    const std::string severity(reports::SeverityName(r.severity));
    for (CoverageTally* t : {&rep.by_level[r.level], &rep.by_severity[severity]}) {
      ++t->total;
      if (e.Checked()) {
        ++t->checked;
      } else if (r.not_checked) {
        ++t->not_checked[r.not_checked->category];
      } else {
        ++t->unexplained;
      }
    }
    const std::string what = r.id + " (" + r.level + ", " + severity + ")";
    if (!e.Checked() && !r.not_checked) {
      std::string message = what +
                            ": no scenario, oracle or adapter vector asserts it and "
                            "vectors/requirements.json gives no not_checked reason";
      if (!e.declared_only.empty()) {
        message += " (" + e.declared_only.front() + " declares it but asserts nothing of it)";
      }
      rep.unchecked.push_back({CoverageProblem::Kind::kUnchecked, r.id, std::move(message)});
    } else if (e.Checked() && r.not_checked) {
      std::string by = !e.cases.empty()          ? e.cases.front()
                       : !e.oracle_cases.empty() ? "the oracles in " + e.oracle_cases.front()
                                                 : e.vectors.front();
      rep.stale.push_back({CoverageProblem::Kind::kStale, r.id,
                           what + " is checked (by " + by + ") but still says not_checked (" +
                               r.not_checked->category +
                               "): remove the not_checked member from vectors/requirements.json"});
    }
    rep.entries.push_back(std::move(e));
  }
  return rep;
}

Result<void> AddRevisionCoverage(CoverageReport& report, const reports::Catalog& catalog,
                                 std::span<const std::string> revisions) {
  std::vector<std::string> names(revisions.begin(), revisions.end());
  if (names.empty()) {
    for (const reports::RevisionEntry& r : catalog.revisions()) names.push_back(r.id);
  }
  for (const std::string& name : names) {
    TIGRESS_ASSIGN_OR_RETURN(reports::Catalog seen, catalog.ForRevision(name));
    RevisionCoverage rc;
    rc.revision = name;
    rc.document = seen.FindRevision(name)->document;
    for (const RequirementCoverage& e : report.entries) {
      const reports::Requirement* here = seen.Find(e.requirement->id);
      const reports::Requirement* base = catalog.Find(e.requirement->id);
      if (here == nullptr || base == nullptr) continue;
      if (here->severity == reports::Severity::kInfo) {
        if (base->severity != reports::Severity::kInfo) rc.info_here.push_back(here->id);
        continue;
      }
      ++rc.applies;
      rc.checked += e.Checked() ? 1 : 0;
    }
    report.by_revision.push_back(std::move(rc));
  }
  return {};
}

namespace {

std::string JoinSome(const std::vector<std::string>& items, std::size_t max) {
  std::string s;
  for (std::size_t i = 0; i < items.size() && i < max; ++i) {
    s += (i == 0 ? "" : ", ") + items[i];
  }
  if (items.size() > max) {
    s += " (+" + std::to_string(items.size() - max) + ")";
  }
  return s;
}

std::string TallyLine(const std::string& name, const CoverageTally& t) {
  std::ostringstream o;
  o << "  " << name;
  for (std::size_t i = name.size(); i < 12; ++i) {
    o << ' ';
  }
  o << t.checked << "/" << t.total << " checked";
  if (t.checked < t.total) {
    o << "; not checked:";
    bool first = true;
    for (const auto& [category, n] : t.not_checked) {
      o << (first ? " " : ", ") << category << " " << n;
      first = false;
    }
    if (t.unexplained > 0) {
      o << (first ? " " : ", ") << "NO REASON " << t.unexplained;
    }
  }
  o << "\n";
  return o.str();
}

// Severity and level rows in a fixed, meaningful order rather than map order.
const std::vector<std::string> kSeverityOrder = {"must", "should", "may", "info"};
const std::vector<std::string> kLevelOrder = {"MUST",        "MUST NOT", "SHALL",  "SHALL NOT",
                                              "implied",     "INTERP",   "SHOULD", "SHOULD NOT",
                                              "RECOMMENDED", "MAY",      "info"};

}  // namespace

std::string RenderCoverageText(const CoverageReport& report, bool verbose) {
  std::ostringstream o;
  o << "Requirement coverage of the test catalogue: " << report.entries.size() << " requirements, "
    << report.scenario_count << " scenarios, " << report.vector_count << " adapter vectors\n\n";
  for (const RequirementCoverage& e : report.entries) {
    const reports::Requirement& r = *e.requirement;
    std::string head = r.id;
    head.resize(std::max<std::size_t>(head.size() + 1, 12), ' ');
    std::string level = r.level;
    level.resize(std::max<std::size_t>(level.size() + 1, 12), ' ');
    o << head << level;
    if (e.Checked()) {
      std::vector<std::string> all = e.cases;
      if (!e.oracle_cases.empty()) {
        all.push_back("oracles in " + std::to_string(e.oracle_cases.size()) + " scenario" +
                      (e.oracle_cases.size() == 1 ? "" : "s"));
      }
      for (const auto& v : e.vectors) {
        all.push_back("vector " + v);
      }
      o << JoinSome(all, verbose ? all.size() : 3);
      if (r.not_checked) {
        o << "  [STALE not_checked: " << r.not_checked->category << "]";
      }
    } else if (r.not_checked) {
      o << "not checked (" << r.not_checked->category << "): " << r.not_checked->reason;
    } else {
      o << "NOT CHECKED, NO REASON GIVEN";
    }
    if (verbose && !e.declared_only.empty()) {
      o << "  [declared, not asserted, by " << JoinSome(e.declared_only, e.declared_only.size())
        << "]";
    }
    o << "\n";
  }
  o << "\nBy severity (a violation is must: FAIL, should: WARN, may/info: INFO):\n";
  for (const auto& s : kSeverityOrder) {
    if (auto it = report.by_severity.find(s); it != report.by_severity.end()) {
      o << TallyLine(s, it->second);
    }
  }
  o << "By level (as worded in the catalogue):\n";
  for (const auto& l : kLevelOrder) {
    if (auto it = report.by_level.find(l); it != report.by_level.end()) {
      o << TallyLine(l, it->second);
    }
  }
  if (!report.by_revision.empty()) {
    o << "By revision (a requirement applies unless its severity is info there):\n";
    for (const RevisionCoverage& rc : report.by_revision) {
      std::string name = rc.revision;
      name.resize(std::max<std::size_t>(name.size() + 1, 10), ' ');
      // The document's first word is the draft's name; its title and authors are noise here.
      o << "  " << name << rc.checked << "/" << rc.applies << " applying checked  ("
        << rc.document.substr(0, rc.document.find(' ')) << ")";
      if (!rc.info_here.empty()) {
        o << "; info here only: " << JoinSome(rc.info_here, verbose ? rc.info_here.size() : 6);
      }
      o << "\n";
    }
  }
  o << "\nDeclared but not asserted: " << report.declared_not_asserted.size()
    << " requirement(s) that scenarios list in requirements: but no expectation, step or oracle "
       "asserts";
  if (!report.declared_not_asserted.empty()) {
    o << (verbose
              ? ": " + JoinSome(report.declared_not_asserted, report.declared_not_asserted.size())
              : " (-v lists them)");
  }
  o << "\n";
  if (!report.stale.empty()) {
    o << "\nStale not_checked reasons (" << report.stale.size() << "):\n";
    for (const auto& p : report.stale) {
      o << "  " << p.message << "\n";
    }
  }
  if (!report.unchecked.empty()) {
    o << "\nPROBLEMS (" << report.unchecked.size() << "):\n";
    for (const auto& p : report.unchecked) {
      o << "  " << p.message << "\n";
    }
  }
  return o.str();
}

Json CoverageToJson(const CoverageReport& report) {
  auto tally = [](const CoverageTally& t) {
    return Json{{"total", t.total},
                {"checked", t.checked},
                {"not_checked", t.not_checked},
                {"unexplained", t.unexplained}};
  };
  Json reqs = Json::array();
  for (const RequirementCoverage& e : report.entries) {
    const reports::Requirement& r = *e.requirement;
    Json item{{"requirement_id", r.id},
              {"level", r.level},
              {"severity", reports::SeverityName(r.severity)},
              {"cases", e.cases},
              {"oracle_cases", e.oracle_cases},
              {"declared_only", e.declared_only},
              {"vectors", e.vectors},
              {"core_vectors", e.core_vectors},
              {"checked", e.Checked()}};
    item["not_checked"] = r.not_checked ? Json{{"category", r.not_checked->category},
                                               {"reason", r.not_checked->reason}}
                                        : Json(nullptr);
    reqs.push_back(std::move(item));
  }
  Json by_level = Json::object();
  for (const auto& [k, t] : report.by_level) {
    by_level[k] = tally(t);
  }
  Json by_severity = Json::object();
  for (const auto& [k, t] : report.by_severity) {
    by_severity[k] = tally(t);
  }
  auto problems = [](const std::vector<CoverageProblem>& ps) {
    Json a = Json::array();
    for (const auto& p : ps) {
      a.push_back(Json{{"requirement_id", p.requirement_id}, {"message", p.message}});
    }
    return a;
  };
  Json by_revision = Json::array();
  for (const RevisionCoverage& rc : report.by_revision) {
    by_revision.push_back(Json{{"revision", rc.revision},
                               {"document", rc.document},
                               {"applies", rc.applies},
                               {"checked", rc.checked},
                               {"info_here", rc.info_here}});
  }
  return Json{{"scenarios", report.scenario_count},
              {"by_revision", by_revision},
              {"adapter_vectors", report.vector_count},
              {"by_severity", by_severity},
              {"by_level", by_level},
              {"requirements", reqs},
              {"unchecked", problems(report.unchecked)},
              {"stale", problems(report.stale)},
              {"declared_not_asserted", report.declared_not_asserted}};
}

}  // namespace tigress::harness
