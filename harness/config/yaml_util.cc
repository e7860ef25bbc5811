#include "harness/config/yaml_util.h"

#include <charconv>
#include <cstdint>
#include <fstream>
#include <sstream>

namespace tigress::harness {

std::string YamlDoc::Where(const YAML::Node& node) const {
  if (!node.IsDefined() || node.Mark().is_null()) {
    return path.string();
  }
  return path.string() + ":" + std::to_string(node.Mark().line + 1);
}

Error YamlDoc::Fail(const YAML::Node& node, std::string_view message) const {
  return MakeError(errc, Where(node) + ": " + std::string(message));
}

Result<void> YamlDoc::CheckKeys(const YAML::Node& node,
                                std::initializer_list<std::string_view> allowed,
                                std::string_view what) const {
  if (!node.IsMap()) {
    return Fail(node, std::string(what) + " must be a mapping");
  }
  for (const auto& kv : node) {
    if (!kv.first.IsScalar() && !kv.first.IsNull()) {  // `{[a]: b}`: as<std::string> would throw
      return Fail(kv.first, "a key in " + std::string(what) + " must be a name");
    }
    const auto key = kv.first.as<std::string>();
    bool known = false;
    for (std::string_view a : allowed) {
      known = known || key == a;
    }
    if (!known) {
      std::string list;
      for (std::string_view a : allowed) {
        if (!list.empty()) {
          list += ", ";
        }
        list += a;
      }
      return Fail(kv.first,
                  "unknown key '" + key + "' in " + std::string(what) + " (allowed: " + list + ")");
    }
  }
  return {};
}

Result<std::string> YamlDoc::String(const YAML::Node& node, std::string_view what) const {
  if (!node.IsScalar()) {
    return Fail(node, std::string(what) + " must be a string");
  }
  return node.Scalar();
}

Result<std::int64_t> YamlDoc::Int(const YAML::Node& node, std::string_view what) const {
  if (!node.IsScalar()) {
    return Fail(node, std::string(what) + " must be an integer");
  }
  const std::string& s = node.Scalar();
  std::int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) {
    return Fail(node, std::string(what) + " must be an integer, got '" + s + "'");
  }
  return v;
}

Result<bool> YamlDoc::Bool(const YAML::Node& node, std::string_view what) const {
  if (node.IsScalar()) {
    const std::string& s = node.Scalar();
    if (s == "true" || s == "yes") {
      return true;
    }
    if (s == "false" || s == "no") {
      return false;
    }
  }
  return Fail(node, std::string(what) + " must be true or false");
}

Result<std::vector<std::string>> YamlDoc::StringList(const YAML::Node& node,
                                                     std::string_view what) const {
  std::vector<std::string> out;
  if (node.IsScalar()) {
    out.push_back(node.Scalar());
    return out;
  }
  if (!node.IsSequence()) {
    return Fail(node, std::string(what) + " must be a list of strings");
  }
  for (const auto& item : node) {
    if (!item.IsScalar()) {
      return Fail(item, std::string(what) + " must contain only strings");
    }
    out.push_back(item.Scalar());
  }
  return out;
}

Result<YamlDoc> LoadYamlString(std::string text, std::string name, Errc errc) {
  YamlDoc doc;
  doc.path = std::move(name);
  doc.errc = errc;
  try {
    doc.root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    // yaml-cpp's marks are 0-based.
    return MakeError(errc, doc.path.string() + ":" + std::to_string(e.mark.line + 1) + ":" +
                               std::to_string(e.mark.column + 1) + ": YAML syntax error: " + e.msg);
  }
  doc.text = std::move(text);
  return doc;
}

Result<YamlDoc> LoadYamlFile(const std::filesystem::path& path, Errc errc) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return MakeError(errc, path.string() + ": cannot open file");
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  return LoadYamlString(ss.str(), path.string(), errc);
}

namespace {

nlohmann::json PlainScalarToJson(const std::string& s) {
  if (s == "null" || s == "~" || s.empty()) {
    return nullptr;
  }
  if (s == "true") {
    return true;
  }
  if (s == "false") {
    return false;
  }
  std::int64_t i = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), i);
  if (ec == std::errc() && p == s.data() + s.size()) {
    return i;
  }
  double d = 0;
  auto [pd, ecd] = std::from_chars(s.data(), s.data() + s.size(), d);
  if (ecd == std::errc() && pd == s.data() + s.size() &&
      s.find_first_of(".eE") != std::string::npos) {
    return d;
  }
  return s;
}

void EmitJson(YAML::Emitter& out, const nlohmann::json& j) {
  if (j.is_object()) {
    out << YAML::BeginMap;
    for (const auto& [k, v] : j.items()) {
      out << YAML::Key << k << YAML::Value;
      EmitJson(out, v);
    }
    out << YAML::EndMap;
  } else if (j.is_array()) {
    out << YAML::BeginSeq;
    for (const auto& v : j) {
      EmitJson(out, v);
    }
    out << YAML::EndSeq;
  } else if (j.is_string()) {
    out << YAML::DoubleQuoted << j.get<std::string>();
  } else if (j.is_null()) {
    out << YAML::Null;
  } else {
    out << j.dump();
  }
}

}  // namespace

nlohmann::json YamlToJson(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map: {
      nlohmann::json obj = nlohmann::json::object();
      for (const auto& kv : node) {
        // JSON keys are text: a key that is itself a mapping or sequence is
        // named by its JSON (as<std::string> would throw).
        const bool complex = kv.first.IsMap() || kv.first.IsSequence();
        obj[complex ? YamlToJson(kv.first).dump(-1, ' ', false,
                                                nlohmann::json::error_handler_t::replace)
                    : kv.first.as<std::string>()] = YamlToJson(kv.second);
      }
      return obj;
    }
    case YAML::NodeType::Sequence: {
      nlohmann::json arr = nlohmann::json::array();
      for (const auto& item : node) {
        arr.push_back(YamlToJson(item));
      }
      return arr;
    }
    case YAML::NodeType::Scalar:
      // yaml-cpp tags quoted scalars "!" and plain ones "?".
      if (node.Tag() == "!") {
        return node.Scalar();
      }
      return PlainScalarToJson(node.Scalar());
    default:
      return nullptr;
  }
}

std::string JsonToYaml(const nlohmann::json& j) {
  YAML::Emitter out;
  EmitJson(out, j);
  return std::string(out.c_str()) + "\n";
}

std::optional<std::int64_t> ParseDurationMs(std::string_view text) {
  std::int64_t v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || v < 0) {
    return std::nullopt;
  }
  std::string_view unit(p, static_cast<std::size_t>(text.data() + text.size() - p));
  if (unit == "ms") {
    return v;
  }
  if (unit == "s" || unit.empty()) {
    return v * 1000;
  }
  if (unit == "m") {
    return v * 60 * 1000;
  }
  return std::nullopt;
}

}  // namespace tigress::harness
