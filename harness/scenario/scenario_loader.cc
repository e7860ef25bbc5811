// Files, directories and the top-level keys of a scenario; the steps are
// read by step_loader.cc, their expectations by expectation_loader.cc.
#include <algorithm>
#include <map>
#include <regex>

#include "harness/config/manifest.h"
#include "harness/config/yaml_util.h"
#include "harness/scenario/loader_internal.h"
#include "harness/scenario/scenario.h"
#include "harness/scenario/vars.h"

namespace tigress::harness {

namespace internal {

DefinedVars BuiltinRoots() { return {"relay", "case"}; }

bool IsVariableName(const std::string& name) {
  static const std::regex kVar("[A-Za-z_][A-Za-z0-9_]*");
  return std::regex_match(name, kVar);
}

bool IsReservedVariable(const std::string& name) {
  return BuiltinRoots().contains(name) || name == "i" || name == "uuid";
}

std::optional<Role> ParseDeviceRole(std::string_view name) {
  std::optional<Role> role = ParseRole(name);
  return role && IsDeviceRole(*role) ? role : std::nullopt;
}

Result<void> CheckReq(const LoadContext& cx, const YAML::Node& node, const std::string& id) {
  if (!cx.known(id)) {
    return cx.doc.Fail(node, "unknown requirement ID '" + id + "' (not in the catalogue)");
  }
  return {};
}

Result<void> CheckInterpretationRefs(const LoadContext& cx, const YAML::Node& node,
                                     const std::vector<std::string>& refs) {
  static const std::regex kRef("C-[0-9]{2}");
  for (const auto& r : refs) {
    if (!std::regex_match(r, kRef)) {
      return cx.doc.Fail(node, "interpretation '" + r + "' must look like C-11");
    }
  }
  return {};
}

Result<void> CheckVars(const LoadContext& cx, const YAML::Node& node, const nlohmann::json& value,
                       const DefinedVars& defined) {
  if (value.is_string()) {
    for (const auto& expr : FindVarRefs(value.get_ref<const std::string&>())) {
      if (IsGenerator(expr)) {
        continue;
      }
      std::string root = VarRoot(expr);
      if (root.empty() || !defined.contains(root)) {
        return MakeError(Errc::kVariableUndefined,
                         cx.doc.Where(node) + ": undefined variable ${" + expr +
                             "} (define it with `save:` in an earlier step)");
      }
    }
  } else if (value.is_structured()) {
    for (const auto& v : value) {
      TIGRESS_RETURN_IF_ERROR(CheckVars(cx, node, v, defined));
    }
  }
  return {};
}

}  // namespace internal

namespace {

using internal::LoadContext;

// Reads the top-level keys in the order the format lists them, so the first
// error a file has is the one reported.
class TopLevelReader {
 public:
  TopLevelReader(const YamlDoc& doc, const KnownRequirement& known, Scenario& s)
      : doc_(doc), root_(doc.root), cx_{doc, known, s}, s_(s) {}

  Result<void> Read() {
    TIGRESS_RETURN_IF_ERROR(
        doc_.CheckKeys(root_,
                       {"id", "title", "description", "requirements", "keywords", "roles",
                        "features", "interpretation", "start_late", "personal_data", "steps"},
                       "scenario"));
    TIGRESS_RETURN_IF_ERROR(ReadIdentity());
    TIGRESS_RETURN_IF_ERROR(ReadRequirements());
    TIGRESS_RETURN_IF_ERROR(ReadRoles());
    TIGRESS_RETURN_IF_ERROR(ReadOptionalLists());
    return ReadSteps();
  }

 private:
  Result<void> ReadIdentity() {
    if (!root_["id"]) {
      return doc_.Fail(root_, "missing key 'id'");
    }
    TIGRESS_ASSIGN_OR_RETURN(s_.id, doc_.String(root_["id"], "id"));
    static const std::regex kId("[a-z0-9][a-z0-9._-]*(/[a-z0-9][a-z0-9._-]*)+");
    if (!std::regex_match(s_.id, kId)) {
      return doc_.Fail(root_["id"],
                       "id '" + s_.id + "' must look like area/name ([a-z0-9._-], '/'-separated)");
    }
    if (!root_["title"]) {
      return doc_.Fail(root_, "missing key 'title'");
    }
    TIGRESS_ASSIGN_OR_RETURN(s_.title, doc_.String(root_["title"], "title"));
    if (root_["description"]) {
      TIGRESS_ASSIGN_OR_RETURN(s_.description, doc_.String(root_["description"], "description"));
    }
    return {};
  }

  // requirements and keywords.
  Result<void> ReadRequirements() {
    const YAML::Node& reqs = root_["requirements"];
    if (!reqs) {
      return doc_.Fail(root_, "missing key 'requirements'");
    }
    TIGRESS_ASSIGN_OR_RETURN(s_.requirements, doc_.StringList(reqs, "requirements"));
    for (std::size_t i = 0; i < s_.requirements.size(); ++i) {
      TIGRESS_RETURN_IF_ERROR(
          internal::CheckReq(cx_, reqs.IsSequence() ? reqs[i] : reqs, s_.requirements[i]));
    }
    if (root_["keywords"]) {
      TIGRESS_ASSIGN_OR_RETURN(s_.keywords, doc_.StringList(root_["keywords"], "keywords"));
    }
    return {};
  }

  Result<void> ReadRoles() {
    if (!root_["roles"]) {
      return doc_.Fail(root_, "missing key 'roles' (relay, initiator, recipient)");
    }
    TIGRESS_ASSIGN_OR_RETURN(std::vector<std::string> names,
                             doc_.StringList(root_["roles"], "roles"));
    for (const auto& r : names) {
      std::optional<Role> role = ParseRole(r);
      if (!role) {
        return doc_.Fail(root_["roles"], "unknown role '" + r + "' (relay, initiator, recipient)");
      }
      s_.roles.push_back(*role);
    }
    return {};
  }

  // features, interpretation, start_late and personal_data.
  Result<void> ReadOptionalLists() {
    if (root_["features"]) {
      TIGRESS_ASSIGN_OR_RETURN(s_.features, doc_.StringList(root_["features"], "features"));
      for (std::size_t i = 0; i < s_.features.size(); ++i) {
        if (std::string msg = CheckFeatureName(s_.features[i]); !msg.empty()) {
          // A scalar reads as a list of one and has no element to point at.
          const YAML::Node& features = root_["features"];
          return doc_.Fail(features.IsSequence() ? features[i] : features, msg);
        }
      }
    }
    if (root_["interpretation"]) {
      TIGRESS_ASSIGN_OR_RETURN(s_.interpretation_refs,
                               doc_.StringList(root_["interpretation"], "interpretation"));
      TIGRESS_RETURN_IF_ERROR(
          internal::CheckInterpretationRefs(cx_, root_["interpretation"], s_.interpretation_refs));
    }
    if (root_["start_late"]) {
      TIGRESS_ASSIGN_OR_RETURN(std::vector<std::string> names,
                               doc_.StringList(root_["start_late"], "start_late"));
      for (const auto& r : names) {
        std::optional<Role> role = internal::ParseDeviceRole(r);
        if (!role || !s_.HasRole(*role)) {
          return doc_.Fail(root_["start_late"],
                           "start_late lists '" + r + "', which is not a device role of 'roles'");
        }
        s_.start_late.push_back(*role);
      }
    }
    if (root_["personal_data"]) {
      TIGRESS_ASSIGN_OR_RETURN(s_.personal_data,
                               doc_.StringList(root_["personal_data"], "personal_data"));
      for (const auto& p : s_.personal_data) {
        if (p.size() < 3) {
          return doc_.Fail(root_["personal_data"],
                           "personal_data entry '" + p +
                               "' is shorter than 3 characters (it would match ordinary text)");
        }
      }
    }
    return {};
  }

  Result<void> ReadSteps() {
    const YAML::Node& steps = root_["steps"];
    if (!steps || !steps.IsSequence() || steps.size() == 0) {
      return doc_.Fail(steps ? steps : root_, "'steps' must be a non-empty list");
    }
    internal::DefinedVars defined = internal::BuiltinRoots();
    TIGRESS_ASSIGN_OR_RETURN(s_.steps,
                             internal::LoadSteps(cx_, steps, defined, /*in_parallel=*/false));
    std::size_t expectations = 0;
    CollectReqs(s_.steps, expectations);
    if (expectations == 0) {
      return doc_.Fail(steps, "the scenario has no expectation");
    }
    return {};
  }

  // Adds every requirement the steps cite to the declared ones and counts
  // the checks (expectations, and push steps, which are judged themselves).
  void CollectReqs(std::span<const Step> steps, std::size_t& n) {
    auto add = [this](const std::string& id) {
      if (std::find(s_.requirements.begin(), s_.requirements.end(), id) == s_.requirements.end()) {
        s_.requirements.push_back(id);
      }
    };
    for (const auto& st : steps) {
      for (const auto& e : st.expect) {
        ++n;
        add(e.req);
      }
      if (st.kind() == Step::Kind::kPush) {  // judged itself: the count, then PRIV-10
        ++n;
        add(st.req.empty() ? "RELAY-50" : st.req);
        add("PRIV-10");
      }
      CollectReqs(st.Inner(), n);
    }
  }

  const YamlDoc& doc_;
  const YAML::Node& root_;
  const LoadContext cx_;
  Scenario& s_;
};

// The line of the first "id:" in `text` (1-based), for the duplicate-id error.
std::size_t IdLine(const std::string& text) {
  std::size_t line = 1;
  auto pos = text.find("id:");
  for (std::size_t i = 0; i < pos && i < text.size(); ++i) {
    line += text[i] == '\n' ? 1 : 0;
  }
  return line;
}

}  // namespace

Result<Scenario> LoadScenarioString(std::string text, const std::filesystem::path& file,
                                    const KnownRequirement& known) {
  TIGRESS_ASSIGN_OR_RETURN(YamlDoc doc,
                           LoadYamlString(std::move(text), file.string(), Errc::kScenarioInvalid));
  Scenario s;
  s.file = doc.path;
  s.text = doc.text;
  TopLevelReader reader(doc, known, s);
  TIGRESS_RETURN_IF_ERROR(reader.Read());
  return s;
}

Result<Scenario> LoadScenarioFile(const std::filesystem::path& file,
                                  const KnownRequirement& known) {
  TIGRESS_ASSIGN_OR_RETURN(YamlDoc doc, LoadYamlFile(file, Errc::kScenarioInvalid));
  return LoadScenarioString(std::move(doc.text), file, known);
}

Result<ScenarioSet> LoadScenarioDir(const std::filesystem::path& dir,
                                    const KnownRequirement& known) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    return MakeError(Errc::kScenarioInvalid, dir.string() + ": not a directory of scenarios");
  }
  std::vector<fs::path> files;
  for (auto it = fs::recursive_directory_iterator(dir, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (it->is_regular_file() &&
        (it->path().extension() == ".yaml" || it->path().extension() == ".yml")) {
      files.push_back(it->path());
    }
  }
  std::sort(files.begin(), files.end());
  ScenarioSet set;
  std::map<std::string, std::string> seen;  // id -> file
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
      return MakeError(Errc::kScenarioInvalid,
                       shown.string() + ":" + std::to_string(IdLine(s.text)) +
                           ": duplicate scenario id '" + s.id + "' (also in " + it->second + ")");
    }
    set.scenarios.push_back(std::move(s));
  }
  std::sort(set.scenarios.begin(), set.scenarios.end(),
            [](const Scenario& a, const Scenario& b) { return a.id < b.id; });
  return set;
}

}  // namespace tigress::harness
