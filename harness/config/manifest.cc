#include "harness/config/manifest.h"

#include <algorithm>
#include <regex>

#include "harness/config/yaml_util.h"
#include "protocol/text.h"

namespace tigress::harness {

bool Manifest::HasFeature(std::string_view f) const {
  return std::find(features.begin(), features.end(), f) != features.end();
}

std::string CheckFeatureName(std::string_view feature) {
  std::vector<std::string_view> known(std::begin(kKnownFeatures), std::end(kKnownFeatures));
  if (std::find(known.begin(), known.end(), feature) != known.end()) return "";
  std::string msg = "unknown feature '" + std::string(feature) + "' (";
  if (std::optional<std::string> near = text::Nearest(feature, known)) {
    msg += "did you mean '" + *near + "'? ";
  }
  msg += "known:";
  for (std::string_view k : known) msg += " " + std::string(k);
  return msg + ")";
}

namespace {

bool IsKnownPlaceholder(std::string_view name) {
  return std::find(std::begin(kPlaceholderNames), std::end(kPlaceholderNames), name) !=
         std::end(kPlaceholderNames);
}

// A placeholder is `{identifier}`; anything else in braces (JSON in an
// argument, say) is not ours and is left alone.
Result<void> CheckPlaceholders(const YamlDoc& doc, const YAML::Node& node, std::string_view text) {
  static const std::regex kRe(R"(\{([A-Za-z_][A-Za-z0-9_]*)\})");
  std::string s(text);
  for (std::sregex_iterator it(s.begin(), s.end(), kRe), end; it != end; ++it) {
    std::string name = (*it)[1].str();
    if (!IsKnownPlaceholder(name)) {
      return doc.Fail(node, "unknown placeholder {" + name +
                                "} (known: {root} {port} {cert} {key} {ca} {workdir} "
                                "{public_url} {bindir} {push_url})");
    }
  }
  return {};
}

Result<ReadySpec> LoadReady(const YamlDoc& doc, const YAML::Node& node, std::string_view role) {
  ReadySpec r;
  TIGRESS_RETURN_IF_ERROR(doc.CheckKeys(node, {"tcp", "stdout", "port", "timeout"}, "ready"));
  if (node["tcp"] && node["stdout"]) {
    return doc.Fail(node, "ready: give either tcp or stdout");
  }
  if (node["tcp"]) {
    TIGRESS_ASSIGN_OR_RETURN(bool tcp, doc.Bool(node["tcp"], "ready.tcp"));
    if (tcp) {
      r.kind = ReadySpec::Kind::kTcp;
    }
  }
  if (node["stdout"]) {
    TIGRESS_ASSIGN_OR_RETURN(r.token, doc.String(node["stdout"], "ready.stdout"));
    if (r.token.empty()) {
      return doc.Fail(node["stdout"], "ready.stdout must not be empty");
    }
    r.kind = ReadySpec::Kind::kStdout;
  }
  if (node["port"]) {
    TIGRESS_ASSIGN_OR_RETURN(r.reports_port, doc.Bool(node["port"], "ready.port"));
    // The port travels on the ready line, so only stdout readiness can carry it.
    if (r.reports_port && role != "relay") {
      return doc.Fail(node["port"], std::string(role) + ".ready.port: only a relay reports a port");
    }
    if (r.reports_port && r.kind != ReadySpec::Kind::kStdout) {
      return doc.Fail(node["port"],
                      "ready.port: true needs stdout readiness (ready: {stdout: \"READY\", port: "
                      "true}): the port is read from the ready line");
    }
  }
  if (node["timeout"]) {
    TIGRESS_ASSIGN_OR_RETURN(std::string t, doc.String(node["timeout"], "ready.timeout"));
    auto ms = ParseDurationMs(t);
    if (!ms || *ms <= 0) {
      return doc.Fail(node["timeout"],
                      "ready.timeout '" + t + "' is not a duration like 10s or 500ms");
    }
    r.timeout = std::chrono::milliseconds(*ms);
  }
  return r;
}

Result<RoleSpec> LoadRole(const YamlDoc& doc, const YAML::Node& node, std::string_view role) {
  RoleSpec spec;
  const bool is_relay = role == "relay";
  if (is_relay) {
    TIGRESS_RETURN_IF_ERROR(doc.CheckKeys(node, {"command", "ready", "base_url"}, role));
  } else {
    TIGRESS_RETURN_IF_ERROR(doc.CheckKeys(node, {"command", "ready"}, role));
  }
  if (!node["command"]) {
    return doc.Fail(node, std::string(role) + ": missing key 'command'");
  }
  if (!node["command"].IsSequence()) {
    return doc.Fail(node["command"], std::string(role) + ".command must be a list of arguments");
  }
  TIGRESS_ASSIGN_OR_RETURN(spec.command,
                           doc.StringList(node["command"], std::string(role) + ".command"));
  if (spec.command.empty() || spec.command.front().empty()) {
    return doc.Fail(node["command"], std::string(role) + ".command must not be empty");
  }
  for (const auto& arg : node["command"]) {
    TIGRESS_RETURN_IF_ERROR(CheckPlaceholders(doc, arg, arg.Scalar()));
  }
  if (node["ready"]) {
    TIGRESS_ASSIGN_OR_RETURN(spec.ready, LoadReady(doc, node["ready"], role));
  } else if (is_relay) {
    spec.ready.kind = ReadySpec::Kind::kTcp;  // a relay must at least accept connections
  }
  if (is_relay) {
    if (node["base_url"]) {
      TIGRESS_ASSIGN_OR_RETURN(spec.base_url, doc.String(node["base_url"], "relay.base_url"));
      TIGRESS_RETURN_IF_ERROR(CheckPlaceholders(doc, node["base_url"], spec.base_url));
      if (spec.base_url.rfind("https://", 0) != 0) {
        return doc.Fail(node["base_url"], "relay.base_url must start with https://");
      }
    } else {
      spec.base_url = "https://localhost:{port}";
    }
  }
  return spec;
}

}  // namespace

Result<Manifest> LoadManifestString(std::string text, const std::filesystem::path& path) {
  TIGRESS_ASSIGN_OR_RETURN(YamlDoc doc,
                           LoadYamlString(std::move(text), path.string(), Errc::kManifestInvalid));
  const YAML::Node& root = doc.root;
  TIGRESS_RETURN_IF_ERROR(
      doc.CheckKeys(root, {"name", "version", "spec", "relay", "device", "features", "env"},
                    "manifest"));
  Manifest m;
  m.path = std::filesystem::absolute(path).lexically_normal();
  m.root = m.path.parent_path();
  if (!root["name"]) {
    return doc.Fail(root, "missing key 'name'");
  }
  TIGRESS_ASSIGN_OR_RETURN(m.name, doc.String(root["name"], "name"));
  static const std::regex kName("[a-z0-9-]+");
  if (!std::regex_match(m.name, kName)) {
    return doc.Fail(root["name"], "name '" + m.name + "' must match [a-z0-9-]+");
  }
  if (root["version"]) {
    TIGRESS_ASSIGN_OR_RETURN(m.version, doc.String(root["version"], "version"));
  }
  if (root["relay"]) {
    TIGRESS_ASSIGN_OR_RETURN(RoleSpec r, LoadRole(doc, root["relay"], "relay"));
    m.relay = std::move(r);
  }
  if (root["device"]) {
    TIGRESS_ASSIGN_OR_RETURN(RoleSpec d, LoadRole(doc, root["device"], "device"));
    m.device = std::move(d);
  }
  if (!m.relay && !m.device) {
    return doc.Fail(root, "a manifest must provide relay, device or both");
  }
  if (root["spec"]) {
    TIGRESS_ASSIGN_OR_RETURN(std::string spec, doc.String(root["spec"], "spec"));
    std::optional<Revision> r = ParseRevision(spec);
    if (!r) {
      return doc.Fail(root["spec"],
                      "spec '" + spec + "' is not a known draft revision (known: " + RevisionNames() + ")");
    }
    m.spec = *r;
  }
  if (root["features"]) {
    TIGRESS_ASSIGN_OR_RETURN(m.features, doc.StringList(root["features"], "features"));
    for (std::size_t i = 0; i < m.features.size(); ++i) {
      if (std::string msg = CheckFeatureName(m.features[i]); !msg.empty()) {
        // A scalar reads as a list of one and has no element to point at.
        const YAML::Node& features = root["features"];
        return doc.Fail(features.IsSequence() ? features[i] : features, msg);
      }
    }
  }
  if (root["env"]) {
    const YAML::Node& env = root["env"];
    if (!env.IsMap()) {
      return doc.Fail(env, "env must be a mapping of NAME: value");
    }
    static const std::regex kEnvName("[A-Za-z_][A-Za-z0-9_]*");
    for (const auto& kv : env) {
      if (!kv.first.IsScalar()) return doc.Fail(kv.first, "env name must be a plain name");
      auto key = kv.first.as<std::string>();
      if (!std::regex_match(key, kEnvName)) {
        return doc.Fail(kv.first, "env name '" + key + "' is invalid");
      }
      TIGRESS_ASSIGN_OR_RETURN(std::string value, doc.String(kv.second, "env." + key));
      TIGRESS_RETURN_IF_ERROR(CheckPlaceholders(doc, kv.second, value));
      m.env.emplace_back(std::move(key), std::move(value));
    }
  }
  return m;
}

Result<Manifest> LoadManifest(const std::filesystem::path& path) {
  TIGRESS_ASSIGN_OR_RETURN(YamlDoc doc, LoadYamlFile(path, Errc::kManifestInvalid));
  return LoadManifestString(std::move(doc.text), path);
}

std::string Expand(std::string_view text, const Placeholders& ph) {
  const std::pair<std::string_view, const std::string*> table[] = {{"{root}", &ph.root},
                                                                   {"{port}", &ph.port},
                                                                   {"{cert}", &ph.cert},
                                                                   {"{key}", &ph.key},
                                                                   {"{ca}", &ph.ca},
                                                                   {"{workdir}", &ph.workdir},
                                                                   {"{public_url}", &ph.public_url},
                                                                   {"{bindir}", &ph.bindir},
                                                                   {"{push_url}", &ph.push_url}};
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    bool replaced = false;
    if (text[i] == '{') {
      for (const auto& [name, value] : table) {
        if (text.substr(i, name.size()) == name) {
          out += *value;
          i += name.size();
          replaced = true;
          break;
        }
      }
    }
    if (!replaced) {
      out += text[i++];
    }
  }
  return out;
}

std::vector<std::string> ExpandCommand(const std::vector<std::string>& command,
                                       const Placeholders& ph) {
  std::vector<std::string> out;
  out.reserve(command.size());
  for (const auto& arg : command) {
    out.push_back(Expand(arg, ph));
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> PlaceholderEnv(const Placeholders& ph) {
  std::vector<std::pair<std::string, std::string>> env;
  auto add = [&env](const char* name, const std::string& v) {
    if (!v.empty()) {
      env.emplace_back(name, v);
    }
  };
  add("TIGRESS_PORT", ph.port);
  add("TIGRESS_CERT", ph.cert);
  add("TIGRESS_KEY", ph.key);
  add("TIGRESS_CA", ph.ca);
  add("TIGRESS_WORKDIR", ph.workdir);
  add("TIGRESS_PUBLIC_URL", ph.public_url);
  add("TIGRESS_ROOT", ph.root);
  add("TIGRESS_BINDIR", ph.bindir);
  add("TIGRESS_PUSH_URL", ph.push_url);
  return env;
}

}  // namespace tigress::harness
