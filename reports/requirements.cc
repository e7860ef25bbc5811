#include "reports/requirements.h"

#include <algorithm>
#include <array>
#include <fstream>
#include <regex>
#include <sstream>

#include <nlohmann/json.hpp>

#include "reports/catalog_revisions.h"

namespace tigress::reports {
namespace {

using Json = nlohmann::json;

constexpr std::array<std::string_view, 11> kLevels = {
    "MUST",        "MUST NOT", "SHALL",   "SHALL NOT", "SHOULD", "SHOULD NOT",
    "RECOMMENDED", "MAY",      "implied", "INTERP",    "info"};

// Line and column (1-based) of a byte offset, so a syntax error reads like a
// compiler diagnostic.
std::string LineColumn(std::string_view text, std::size_t offset) {
  offset = std::min(offset, text.size());
  std::size_t line = 1;
  std::size_t column = 1;
  for (std::size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return std::to_string(line) + ":" + std::to_string(column);
}

// Field readers: each names the JSON path of a bad field in its error.
class Reader {
 public:
  explicit Reader(std::string origin) : origin_(std::move(origin)) {}

  Error Bad(const std::string& path, const std::string& what) const {
    return MakeError(Errc::kConfigInvalid, origin_ + ": " + path + ": " + what);
  }

  Result<std::string> String(const Json& obj, const std::string& path, const char* key,
                             bool required) const {
    auto it = obj.find(key);
    if (it == obj.end()) {
      if (required) return Bad(path + "." + key, "required field is missing");
      return std::string();
    }
    if (!it->is_string()) return Bad(path + "." + key, "must be a string");
    return it->get<std::string>();
  }

  Result<std::vector<std::string>> Strings(const Json& obj, const std::string& path,
                                           const char* key, bool required) const {
    std::vector<std::string> out;
    auto it = obj.find(key);
    if (it == obj.end()) {
      if (required) return Bad(path + "." + key, "required field is missing");
      return out;
    }
    if (!it->is_array()) return Bad(path + "." + key, "must be an array of strings");
    for (std::size_t i = 0; i < it->size(); ++i) {
      const Json& v = (*it)[i];
      if (!v.is_string()) {
        return Bad(path + "." + key + "[" + std::to_string(i) + "]", "must be a string");
      }
      out.push_back(v.get<std::string>());
    }
    return out;
  }

 private:
  std::string origin_;
};

Result<Severity> ParseSeverity(const Reader& r, const std::string& path, const std::string& s) {
  if (auto parsed = ParseSeverityName(s)) return *parsed;
  return r.Bad(path, "unknown severity '" + s + "' (must|should|may|info)");
}

Result<Role> ParseRole(const Reader& r, const std::string& path, const std::string& s) {
  if (s == "relay") return Role::kRelay;
  if (s == "init") return Role::kInit;
  if (s == "recip") return Role::kRecip;
  if (s == "any") return Role::kAny;
  return r.Bad(path, "unknown role '" + s + "' (relay|init|recip|any)");
}

}  // namespace

std::optional<Severity> ParseSeverityName(std::string_view name) {
  for (Severity s : {Severity::kMust, Severity::kShould, Severity::kMay, Severity::kInfo}) {
    if (SeverityName(s) == name) return s;
  }
  return std::nullopt;
}

bool IsKnownLevel(std::string_view level) {
  return std::find(kLevels.begin(), kLevels.end(), level) != kLevels.end();
}

std::string_view SeverityName(Severity s) {
  switch (s) {
    case Severity::kMust:
      return "must";
    case Severity::kShould:
      return "should";
    case Severity::kMay:
      return "may";
    case Severity::kInfo:
      return "info";
  }
  return "must";
}

Verdict SeverityVerdict(Severity s) {
  switch (s) {
    case Severity::kMust:
      return Verdict::kFail;
    case Severity::kShould:
      return Verdict::kWarn;
    case Severity::kMay:
    case Severity::kInfo:
      return Verdict::kInfo;
  }
  return Verdict::kFail;
}

std::string_view RoleName(Role r) {
  switch (r) {
    case Role::kRelay:
      return "relay";
    case Role::kInit:
      return "init";
    case Role::kRecip:
      return "recip";
    case Role::kAny:
      return "any";
  }
  return "any";
}

Result<Catalog> Catalog::Parse(std::string_view json_text, std::string_view origin) {
  const std::string where(origin.empty() ? "<catalogue>" : origin);
  Json doc;
  try {
    doc = Json::parse(json_text.begin(), json_text.end());
  } catch (const Json::parse_error& e) {
    return MakeError(
        Errc::kJsonInvalid,
        where + ":" + LineColumn(json_text, e.byte > 0 ? e.byte - 1 : 0) + ": " + e.what());
  }
  const Reader r(where);
  if (!doc.is_object()) return r.Bad("$", "the catalogue must be a JSON object");

  Catalog cat;
  auto version = doc.find("schema_version");
  if (version == doc.end() || !version->is_number_integer()) {
    return r.Bad("schema_version", "required integer field is missing");
  }
  cat.schema_version_ = version->get<int>();
  if (cat.schema_version_ != 1) {
    return r.Bad("schema_version", "unsupported version " + std::to_string(cat.schema_version_) +
                                       " (this build reads 1)");
  }
  TIGRESS_ASSIGN_OR_RETURN(cat.title_, r.String(doc, "$", "title", true));

  if (auto src = doc.find("sources"); src != doc.end()) {
    if (!src->is_array()) return r.Bad("sources", "must be an array");
    for (std::size_t i = 0; i < src->size(); ++i) {
      const std::string path = "sources[" + std::to_string(i) + "]";
      const Json& s = (*src)[i];
      if (!s.is_object()) return r.Bad(path, "must be an object");
      Source out;
      TIGRESS_ASSIGN_OR_RETURN(out.tag, r.String(s, path, "tag", true));
      TIGRESS_ASSIGN_OR_RETURN(out.document, r.String(s, path, "document", true));
      TIGRESS_ASSIGN_OR_RETURN(out.revision, r.String(s, path, "revision", false));
      cat.sources_.push_back(std::move(out));
    }
  }
  TIGRESS_RETURN_IF_ERROR(RevisionParser::Revisions(doc, where, cat));

  // Interpretations first so that requirement refs can be checked against them.
  static const std::regex kInterpId("^C-[0-9]{2}$");
  auto interps = doc.find("interpretations");
  if (interps == doc.end() || !interps->is_array()) {
    return r.Bad("interpretations", "required array is missing");
  }
  for (std::size_t i = 0; i < interps->size(); ++i) {
    const std::string path = "interpretations[" + std::to_string(i) + "]";
    const Json& c = (*interps)[i];
    if (!c.is_object()) return r.Bad(path, "must be an object");
    Interpretation out;
    TIGRESS_ASSIGN_OR_RETURN(out.id, r.String(c, path, "id", true));
    if (!std::regex_match(out.id, kInterpId)) {
      return r.Bad(path + ".id", "'" + out.id + "' is not of the form C-nn");
    }
    TIGRESS_ASSIGN_OR_RETURN(out.issue, r.String(c, path, "issue", true));
    TIGRESS_ASSIGN_OR_RETURN(out.interpretation, r.String(c, path, "interpretation", true));
    TIGRESS_ASSIGN_OR_RETURN(std::string klass, r.String(c, path, "class", true));
    auto parsed_class = ParseInterpretationClass(klass);
    if (!parsed_class) {
      return r.Bad(path + ".class", "'" + klass + "' is not one of interop, robustness, hardening");
    }
    out.klass = *parsed_class;
    if (!cat.interpretation_by_id_.emplace(out.id, cat.interpretations_.size()).second) {
      return r.Bad(path + ".id", "duplicate interpretation ID " + out.id);
    }
    cat.interpretations_.push_back(std::move(out));
  }

  static const std::regex kReqId("^(RELAY|REPLAY|PAYLOAD|URL|INIT|RECIP|PRIV|SEC)-[0-9]{2,3}$");
  auto reqs = doc.find("requirements");
  if (reqs == doc.end() || !reqs->is_array() || reqs->empty()) {
    return r.Bad("requirements", "required non-empty array is missing");
  }
  for (std::size_t i = 0; i < reqs->size(); ++i) {
    std::string path = "requirements[" + std::to_string(i) + "]";
    const Json& q = (*reqs)[i];
    if (!q.is_object()) return r.Bad(path, "must be an object");
    Requirement out;
    TIGRESS_ASSIGN_OR_RETURN(out.id, r.String(q, path, "id", true));
    path += " (" + out.id + ")";
    if (!std::regex_match(out.id, kReqId)) {
      return r.Bad(path + ".id", "'" + out.id + "' is not a catalogue ID such as RELAY-31");
    }
    TIGRESS_ASSIGN_OR_RETURN(out.level, r.String(q, path, "level", true));
    if (!IsKnownLevel(out.level)) {
      return r.Bad(path + ".level", "unknown level '" + out.level + "'");
    }
    TIGRESS_ASSIGN_OR_RETURN(out.level_text, r.String(q, path, "level_text", false));
    if (out.level_text.empty()) out.level_text = out.level;
    TIGRESS_ASSIGN_OR_RETURN(std::string severity, r.String(q, path, "severity", true));
    TIGRESS_ASSIGN_OR_RETURN(out.severity, ParseSeverity(r, path + ".severity", severity));
    TIGRESS_ASSIGN_OR_RETURN(out.source, r.String(q, path, "source", true));
    TIGRESS_ASSIGN_OR_RETURN(out.statement, r.String(q, path, "statement", true));
    TIGRESS_ASSIGN_OR_RETURN(out.test, r.String(q, path, "test", false));
    TIGRESS_ASSIGN_OR_RETURN(std::string role, r.String(q, path, "role", true));
    TIGRESS_ASSIGN_OR_RETURN(out.role, ParseRole(r, path + ".role", role));
    auto interp = q.find("interpretation");
    if (interp == q.end() || !interp->is_boolean()) {
      return r.Bad(path + ".interpretation", "required boolean field is missing");
    }
    out.interpretation = interp->get<bool>();
    TIGRESS_ASSIGN_OR_RETURN(out.interpretation_refs,
                             r.Strings(q, path, "interpretation_refs", true));
    TIGRESS_ASSIGN_OR_RETURN(out.related_interpretations,
                             r.Strings(q, path, "related_interpretations", false));
    for (const auto* list : {&out.interpretation_refs, &out.related_interpretations}) {
      for (const std::string& ref : *list) {
        if (!cat.interpretation_by_id_.contains(ref)) {
          return r.Bad(path, "refers to unknown interpretation '" + ref + "'");
        }
      }
    }
    if (auto nc = q.find("not_checked"); nc != q.end()) {
      if (!nc->is_object()) return r.Bad(path + ".not_checked", "must be an object");
      NotChecked why;
      TIGRESS_ASSIGN_OR_RETURN(why.category,
                               r.String(*nc, path + ".not_checked", "category", true));
      TIGRESS_ASSIGN_OR_RETURN(why.reason, r.String(*nc, path + ".not_checked", "reason", true));
      if (std::find(kNotCheckedCategories.begin(), kNotCheckedCategories.end(), why.category) ==
          kNotCheckedCategories.end()) {
        return r.Bad(path + ".not_checked.category",
                     "unknown category '" + why.category +
                         "' (not-black-box|out-of-scope|needs-feature|needs-harness)");
      }
      if (why.reason.empty()) return r.Bad(path + ".not_checked.reason", "must not be empty");
      out.not_checked = std::move(why);
    }
    TIGRESS_ASSIGN_OR_RETURN(out.revisions, RevisionParser::Overrides(q, path, where, cat));
    if (!out.interpretation_refs.empty() && !out.interpretation) {
      return r.Bad(path + ".interpretation", "is false although interpretation_refs is not empty");
    }
    if (!cat.by_id_.emplace(out.id, cat.requirements_.size()).second) {
      return r.Bad(path + ".id", "duplicate requirement ID " + out.id);
    }
    cat.requirements_.push_back(std::move(out));
  }
  TIGRESS_RETURN_IF_ERROR(RevisionParser::Differences(doc, where, cat));
  return cat;
}

const Requirement* Catalog::Find(std::string_view id) const {
  auto it = by_id_.find(std::string(id));
  return it == by_id_.end() ? nullptr : &requirements_[it->second];
}

const Interpretation* Catalog::FindInterpretation(std::string_view id) const {
  auto it = interpretation_by_id_.find(std::string(id));
  return it == interpretation_by_id_.end() ? nullptr : &interpretations_[it->second];
}

Verdict Catalog::ViolationVerdict(std::string_view id) const {
  const Requirement* req = Find(id);
  return req == nullptr ? Verdict::kError : SeverityVerdict(req->severity);
}

Assertion Catalog::Judge(std::string_view id, bool satisfied, std::string message,
                         std::string expected, std::string actual) const {
  Assertion a;
  a.requirement_id = std::string(id);
  a.message = std::move(message);
  a.expected = std::move(expected);
  a.actual = std::move(actual);
  const Requirement* req = Find(id);
  if (req == nullptr) {
    a.verdict = Verdict::kError;
    a.message = "unknown requirement ID '" + a.requirement_id + "' (harness bug): " + a.message;
    return a;
  }
  a.verdict = satisfied ? Verdict::kPass : SeverityVerdict(req->severity);
  a.interpretation = req->interpretation;
  a.interpretation_refs = req->interpretation_refs;
  for (const auto& ref : a.interpretation_refs) {
    if (const Interpretation* in = FindInterpretation(ref)) {
      a.interpretation_class = WeakerClass(a.interpretation_class, in->klass);
    }
  }
  a.basis = BasisOf(id, a.interpretation_refs);
  return a;
}

void Catalog::AddInterpretations(Assertion& a, const std::vector<std::string>& refs) const {
  bool added = false;
  for (const auto& ref : refs) {
    const Interpretation* in = FindInterpretation(ref);
    if (in == nullptr || std::find(a.interpretation_refs.begin(), a.interpretation_refs.end(),
                                   ref) != a.interpretation_refs.end()) {
      continue;
    }
    a.interpretation_refs.push_back(ref);
    a.interpretation = true;
    a.interpretation_class = WeakerClass(a.interpretation_class, in->klass);
    added = true;
  }
  if (added && Find(a.requirement_id) != nullptr) {
    a.basis = BasisOf(a.requirement_id, a.interpretation_refs);
  }
}

Basis Catalog::BasisOf(std::string_view id, const std::vector<std::string>& refs) const {
  Basis b;
  const Requirement* req = Find(id);
  if (req == nullptr) {
    return b;
  }
  b.level = req->level;
  if (!refs.empty()) {
    b.kind = "interpretation";
    InterpretationClass weakest = InterpretationClass::kNone;
    std::string text;
    for (const auto& ref : refs) {
      b.source += (b.source.empty() ? "" : ", ") + ref;
      if (const Interpretation* in = FindInterpretation(ref)) {
        if (WeakerClass(weakest, in->klass) != weakest || text.empty()) {
          text = in->interpretation;
        }
        weakest = WeakerClass(weakest, in->klass);
      }
    }
    b.source += " (" + std::string(InterpretationClassName(weakest)) + ")";
    b.text = text;
    return b;
  }
  const bool cites_draft = req->source.find('[') != std::string::npos;
  b.kind = (!cites_draft && req->source.find("RFC") != std::string::npos) ? "rfc" : "draft";
  b.source = req->source;
  b.text = req->statement;
  return b;
}

Result<Catalog> LoadCatalog(const std::filesystem::path& path, std::string_view revision) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return MakeError(Errc::kIoFailure, path.string() + ": cannot open the requirements catalogue");
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return MakeError(Errc::kIoFailure, path.string() + ": read failed");
  TIGRESS_ASSIGN_OR_RETURN(Catalog cat, Catalog::Parse(text.str(), path.string()));
  return cat.ForRevision(revision);
}

}  // namespace tigress::reports
