#include "harness/config/expectations.h"

#include <algorithm>
#include <fnmatch.h>
#include <regex>

#include "harness/config/yaml_util.h"

namespace tigress::harness {

bool GlobMatch(const std::string& pattern, const std::string& text) {
  return ::fnmatch(pattern.c_str(), text.c_str(), 0) == 0;
}

namespace {

const KnownFailureRule* FirstKnownFailure(const std::vector<KnownFailureRule>& rules,
                                          const std::string& id) {
  for (const KnownFailureRule& r : rules) {
    if (GlobMatch(r.glob, id)) {
      return &r;
    }
  }
  return nullptr;
}

Result<std::string> Reason(const YamlDoc& doc, const YAML::Node& node, const std::string& glob) {
  TIGRESS_ASSIGN_OR_RETURN(std::string reason, doc.String(node, "reason for '" + glob + "'"));
  if (reason.empty()) {
    return doc.Fail(node, "give a reason for '" + glob + "'");
  }
  return reason;
}

// The map form: {reason: "...", requirements: [RELAY-32, ...]}.
Result<KnownFailureRule> KnownFailureMap(const YamlDoc& doc, const YAML::Node& node,
                                         std::string glob) {
  static const std::regex kId("^(RELAY|REPLAY|PAYLOAD|URL|INIT|RECIP|PRIV|SEC)-[0-9]{2,3}$");
  const std::string what = "known failure '" + glob + "'";
  TIGRESS_RETURN_IF_ERROR(doc.CheckKeys(node, {"reason", "requirements"}, what));
  if (!node["reason"]) {
    return doc.Fail(node, what + " needs a reason");
  }
  KnownFailureRule rule;
  TIGRESS_ASSIGN_OR_RETURN(rule.reason, Reason(doc, node["reason"], glob));
  if (const YAML::Node reqs = node["requirements"]) {
    if (!reqs.IsSequence() || reqs.size() == 0) {
      return doc.Fail(reqs, what + ": requirements must be a non-empty list of requirement IDs");
    }
    for (const YAML::Node& item : reqs) {
      TIGRESS_ASSIGN_OR_RETURN(std::string id, doc.String(item, "requirement ID of " + what));
      if (!std::regex_match(id, kId)) {
        return doc.Fail(item, "'" + id + "' in " + what +
                                  " is not a requirement ID like RELAY-32 (RELAY, REPLAY, "
                                  "PAYLOAD, URL, INIT, RECIP, PRIV or SEC, then 2 or 3 digits)");
      }
      if (std::find(rule.requirements.begin(), rule.requirements.end(), id) ==
          rule.requirements.end()) {
        rule.requirements.push_back(std::move(id));
      }
    }
  }
  rule.glob = std::move(glob);
  return rule;
}

}  // namespace

std::optional<std::string> ExpectationsFile::KnownFailure(const std::string& case_id) const {
  const KnownFailureRule* r = FirstKnownFailure(known_failures, case_id);
  return r == nullptr ? std::nullopt : std::optional<std::string>(r->reason);
}

std::vector<std::string> ExpectationsFile::KnownFailureRequirements(
    const std::string& case_id) const {
  const KnownFailureRule* r = FirstKnownFailure(known_failures, case_id);
  return r == nullptr ? std::vector<std::string>() : r->requirements;
}

std::optional<std::string> ExpectationsFile::Disabled(const std::string& case_id) const {
  for (const auto& [glob, reason] : disabled) {
    if (GlobMatch(glob, case_id)) {
      return reason;
    }
  }
  return std::nullopt;
}

Result<ExpectationsFile> LoadExpectationsString(std::string text,
                                                const std::filesystem::path& path) {
  TIGRESS_ASSIGN_OR_RETURN(
      YamlDoc doc, LoadYamlString(std::move(text), path.string(), Errc::kExpectationsInvalid));
  ExpectationsFile out;
  if (doc.root.IsNull()) {
    return out;
  }
  TIGRESS_RETURN_IF_ERROR(
      doc.CheckKeys(doc.root, {"known_failures", "disabled"}, "expectations file"));
  if (const YAML::Node& n = doc.root["known_failures"]) {
    if (!n.IsMap()) {
      return doc.Fail(n,
                      "known_failures must be a mapping of \"case-id glob\": reason or "
                      "{reason, requirements}");
    }
    for (const auto& kv : n) {
      auto glob = kv.first.as<std::string>();
      if (glob.empty()) {
        return doc.Fail(kv.first, "empty case-id glob");
      }
      if (kv.second.IsMap()) {
        TIGRESS_ASSIGN_OR_RETURN(KnownFailureRule rule, KnownFailureMap(doc, kv.second, glob));
        out.known_failures.push_back(std::move(rule));
        continue;
      }
      TIGRESS_ASSIGN_OR_RETURN(std::string reason, Reason(doc, kv.second, glob));
      out.known_failures.push_back({std::move(glob), std::move(reason), {}});
    }
  }
  if (const YAML::Node& n = doc.root["disabled"]) {
    if (!n.IsMap()) {
      return doc.Fail(n, "disabled must be a mapping of \"case-id glob\": reason");
    }
    for (const auto& kv : n) {
      auto glob = kv.first.as<std::string>();
      if (glob.empty()) {
        return doc.Fail(kv.first, "empty case-id glob");
      }
      TIGRESS_ASSIGN_OR_RETURN(std::string reason, Reason(doc, kv.second, glob));
      out.disabled.emplace_back(std::move(glob), std::move(reason));
    }
  }
  return out;
}

Result<ExpectationsFile> LoadExpectations(const std::filesystem::path& path) {
  TIGRESS_ASSIGN_OR_RETURN(YamlDoc doc, LoadYamlFile(path, Errc::kExpectationsInvalid));
  return LoadExpectationsString(std::move(doc.text), path);
}

}  // namespace tigress::harness
