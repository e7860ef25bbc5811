#include "harness/expectations.h"

#include <fnmatch.h>

#include "harness/yaml_util.h"

namespace tigress::harness {

bool GlobMatch(const std::string& pattern, const std::string& text) {
  return ::fnmatch(pattern.c_str(), text.c_str(), 0) == 0;
}

namespace {

std::optional<std::string> FirstMatch(const std::vector<std::pair<std::string, std::string>>& list,
                                      const std::string& id) {
  for (const auto& [glob, reason] : list) {
    if (GlobMatch(glob, id)) {
      return reason;
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> ExpectationsFile::KnownFailure(const std::string& case_id) const {
  return FirstMatch(known_failures, case_id);
}

std::optional<std::string> ExpectationsFile::Disabled(const std::string& case_id) const {
  return FirstMatch(disabled, case_id);
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
  for (const char* section : {"known_failures", "disabled"}) {
    const YAML::Node& n = doc.root[section];
    if (!n) {
      continue;
    }
    if (!n.IsMap()) {
      return doc.Fail(n, std::string(section) + " must be a mapping of \"case-id glob\": reason");
    }
    auto& list = std::string_view(section) == "known_failures" ? out.known_failures : out.disabled;
    for (const auto& kv : n) {
      auto glob = kv.first.as<std::string>();
      if (glob.empty()) {
        return doc.Fail(kv.first, "empty case-id glob");
      }
      TIGRESS_ASSIGN_OR_RETURN(std::string reason,
                               doc.String(kv.second, "reason for '" + glob + "'"));
      if (reason.empty()) {
        return doc.Fail(kv.second, "give a reason for '" + glob + "'");
      }
      list.emplace_back(std::move(glob), std::move(reason));
    }
  }
  return out;
}

Result<ExpectationsFile> LoadExpectations(const std::filesystem::path& path) {
  TIGRESS_ASSIGN_OR_RETURN(YamlDoc doc, LoadYamlFile(path, Errc::kExpectationsInvalid));
  return LoadExpectationsString(std::move(doc.text), path);
}

}  // namespace tigress::harness
