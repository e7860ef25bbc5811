// File: harness/config/yaml_util.h
//
// Strict YAML reading shared by the manifest, scenario and expectations
// loaders (yaml-cpp 0.7). Every error names `file:line` from the node's mark,
// so a typo in a hand-written file is reported where it is.
//
//   YamlDoc doc = LoadYamlFile("implementations/reference.yaml", Errc::kManifestInvalid).value();
//   TIGRESS_RETURN_IF_ERROR(doc.CheckKeys(doc.root, {"name", "version", "relay"}, "manifest"));
//   std::string where = doc.Where(doc.root["relay"]);   // "implementations/reference.yaml:3"
#pragma once

#include <cstdint>
#include <filesystem>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include "protocol/result.h"

namespace tigress::harness {

// `YamlDoc` is a parsed file plus what is needed to point at its lines.
struct YamlDoc {
  std::filesystem::path path;  // as given (used in messages)
  std::string text;            // the raw file contents
  YAML::Node root;
  Errc errc = Errc::kConfigInvalid;  // the code every error of this document gets

  // `Where` is "file:line" of `node` (1-based line), or "file" when the node
  // has no mark (a missing node).
  std::string Where(const YAML::Node& node) const;

  // `Fail` builds an error "file:line: message" with this document's code.
  Error Fail(const YAML::Node& node, std::string_view message) const;

  // `CheckKeys` requires `node` to be a mapping whose keys are all in
  // `allowed`; the first unknown key is an error naming its line and the
  // allowed keys. `what` names the mapping in the message ("manifest").
  Result<void> CheckKeys(const YAML::Node& node, std::initializer_list<std::string_view> allowed,
                         std::string_view what) const;

  // `String` reads a scalar as text; errors name the line and `what`.
  Result<std::string> String(const YAML::Node& node, std::string_view what) const;
  // `Int` reads a scalar as an integer.
  Result<std::int64_t> Int(const YAML::Node& node, std::string_view what) const;
  // `Bool` reads a scalar true/false.
  Result<bool> Bool(const YAML::Node& node, std::string_view what) const;
  // `StringList` reads a sequence of scalars (a single scalar is a list of one).
  Result<std::vector<std::string>> StringList(const YAML::Node& node, std::string_view what) const;
};

// `LoadYamlFile` reads and parses `path`; syntax errors name file:line:column.
Result<YamlDoc> LoadYamlFile(const std::filesystem::path& path, Errc errc);

// `LoadYamlString` parses `text` as if it came from `name`.
Result<YamlDoc> LoadYamlString(std::string text, std::string name, Errc errc);

// `YamlToJson` converts a YAML node to JSON. Plain scalars that read as
// integers, floats, booleans or null become those JSON types; quoted scalars
// stay strings. A key that is a mapping or sequence is named by its JSON text.
nlohmann::json YamlToJson(const YAML::Node& node);

// `JsonToYaml` emits `j` as block-style YAML text (for resolved scenario dumps).
std::string JsonToYaml(const nlohmann::json& j);

// `ParseDurationMs` reads "250ms", "10s", "2m" or a bare number of seconds.
std::optional<std::int64_t> ParseDurationMs(std::string_view text);

}  // namespace tigress::harness
