// bundle.json: the `BundleInfo` model rendered and read back (bundle.h).
#include <nlohmann/json.hpp>

#include "harness/process/adapter_client.h"
#include "harness/repro/bundle.h"
#include "harness/repro/bundle_internal.h"

namespace tigress::harness {
namespace {

using OJson = nlohmann::ordered_json;

OJson Strings(const std::vector<std::string>& v) {
  OJson a = OJson::array();
  for (const auto& s : v) {
    a.push_back(s);
  }
  return a;
}

class InfoReader {
 public:
  explicit InfoReader(const OJson& doc) : doc_(doc) {}

  static Result<std::string> Str(const OJson& o, const std::string& path, const char* key,
                                 bool required) {
    auto it = o.find(key);
    if (it == o.end() || it->is_null()) {
      if (required) {
        return BundleInvalid("bundle.json: " + path + key + " is missing");
      }
      return std::string();
    }
    if (!it->is_string()) {
      return BundleInvalid("bundle.json: " + path + key + " must be a string");
    }
    return it->get<std::string>();
  }

  static Result<std::vector<std::string>> Strs(const OJson& o, const std::string& path,
                                               const char* key) {
    std::vector<std::string> out;
    auto it = o.find(key);
    if (it == o.end()) {
      return out;
    }
    if (!it->is_array()) {
      return BundleInvalid("bundle.json: " + path + key + " must be an array of strings");
    }
    for (const auto& v : *it) {
      if (!v.is_string()) {
        return BundleInvalid("bundle.json: " + path + key + " must be an array of strings");
      }
      out.push_back(v.get<std::string>());
    }
    return out;
  }

  Result<std::uint64_t> U64(const char* key) const {
    auto it = doc_.find(key);
    if (it == doc_.end()) {
      return std::uint64_t{0};
    }
    if (it->is_string()) {
      const std::string s = it->get<std::string>();
      if (!s.empty() && s.size() <= 20 && s.find_first_not_of("0123456789") == std::string::npos) {
        try {
          return static_cast<std::uint64_t>(std::stoull(s));
        } catch (const std::exception&) {  // out of range: reported below
        }
      }
    }
    return BundleInvalid(std::string("bundle.json: ") + key + " must be a decimal string");
  }

 private:
  const OJson& doc_;
};

// The format name and version come first: nothing else is read from a
// document of another format.
Result<void> CheckFormat(const OJson& doc) {
  if (doc.value("format", std::string()) != kBundleFormatName) {
    return BundleInvalid("bundle.json: format is not '" + std::string(kBundleFormatName) + "'");
  }
  auto version = doc.find("format_version");
  if (version == doc.end() || !version->is_number_integer() ||
      version->get<int>() != kBundleFormatVersion) {
    return BundleInvalid("bundle.json: format_version must be " +
                         std::to_string(kBundleFormatVersion));
  }
  return {};
}

// The case: ids, repetition, seeds, profile, matrix, roles and verdict.
Result<void> ParseCase(const OJson& doc, const InfoReader& r, BundleInfo& info) {
  TIGRESS_ASSIGN_OR_RETURN(info.case_id, r.Str(doc, "", "case_id", true));
  TIGRESS_ASSIGN_OR_RETURN(info.scenario_id, r.Str(doc, "", "scenario_id", true));
  if (auto rep = doc.find("repetition"); rep != doc.end()) {
    if (!rep->is_number_integer() || rep->get<int>() < 0 || rep->get<int>() > 100000) {
      return BundleInvalid("bundle.json: repetition must be a small non-negative integer");
    }
    info.repetition = rep->get<int>();
  }
  TIGRESS_ASSIGN_OR_RETURN(info.run_seed, r.U64("run_seed"));
  TIGRESS_ASSIGN_OR_RETURN(info.case_seed, r.U64("case_seed"));
  TIGRESS_ASSIGN_OR_RETURN(info.profile, r.Str(doc, "", "profile", false));
  if (info.profile.empty()) {
    info.profile = "strict";
  }
  if (auto m = doc.find("matrix"); m != doc.end()) {
    if (!m->is_boolean()) {
      return BundleInvalid("bundle.json: matrix must be a boolean");
    }
    info.matrix = m->get<bool>();
  }
  if (auto roles = doc.find("roles"); roles != doc.end()) {
    if (!roles->is_object()) {
      return BundleInvalid("bundle.json: roles must be an object");
    }
    TIGRESS_ASSIGN_OR_RETURN(info.relay, r.Str(*roles, "roles.", "relay", false));
    TIGRESS_ASSIGN_OR_RETURN(info.initiator, r.Str(*roles, "roles.", "initiator", false));
    TIGRESS_ASSIGN_OR_RETURN(info.recipient, r.Str(*roles, "roles.", "recipient", false));
  }
  TIGRESS_ASSIGN_OR_RETURN(info.verdict, r.Str(doc, "", "verdict", false));
  return {};
}

Result<std::vector<BundleFinding>> ParseFindings(const OJson& doc, const InfoReader& r) {
  std::vector<BundleFinding> out;
  auto found = doc.find("findings");
  if (found == doc.end()) {
    return out;
  }
  if (!found->is_array()) {
    return BundleInvalid("bundle.json: findings must be an array");
  }
  for (std::size_t i = 0; i < found->size(); ++i) {
    const OJson& x = (*found)[i];
    const std::string p = "findings[" + std::to_string(i) + "].";
    if (!x.is_object()) {
      return BundleInvalid("bundle.json: " + p + " must be an object");
    }
    BundleFinding f;
    TIGRESS_ASSIGN_OR_RETURN(f.requirement_id, r.Str(x, p, "requirement_id", false));
    TIGRESS_ASSIGN_OR_RETURN(f.verdict, r.Str(x, p, "verdict", true));
    TIGRESS_ASSIGN_OR_RETURN(f.message, r.Str(x, p, "message", false));
    TIGRESS_ASSIGN_OR_RETURN(f.expected, r.Str(x, p, "expected", false));
    TIGRESS_ASSIGN_OR_RETURN(f.actual, r.Str(x, p, "actual", false));
    out.push_back(std::move(f));
  }
  return out;
}

Result<BundleImplementation> ParseImplementation(const OJson& x, const std::string& p,
                                                 const InfoReader& r) {
  BundleImplementation m;
  TIGRESS_ASSIGN_OR_RETURN(m.name, r.Str(x, p, "name", true));
  TIGRESS_ASSIGN_OR_RETURN(m.version, r.Str(x, p, "version", false));
  TIGRESS_ASSIGN_OR_RETURN(m.features, r.Strs(x, p, "features"));
  TIGRESS_ASSIGN_OR_RETURN(m.roles, r.Strs(x, p, "roles"));
  TIGRESS_ASSIGN_OR_RETURN(m.manifest, r.Str(x, p, "manifest", true));
  if (!IsSafeMemberPath(m.manifest)) {
    return BundleInvalid("bundle.json: " + p + "manifest is not a safe member path");
  }
  TIGRESS_ASSIGN_OR_RETURN(m.original_path, r.Str(x, p, "original_path", false));
  TIGRESS_ASSIGN_OR_RETURN(m.original_root, r.Str(x, p, "original_root", false));
  return m;
}

Result<std::vector<BundleImplementation>> ParseImplementations(const OJson& doc,
                                                               const InfoReader& r) {
  auto impls = doc.find("implementations");
  if (impls == doc.end() || !impls->is_array()) {
    return BundleInvalid("bundle.json: implementations must be an array");
  }
  std::vector<BundleImplementation> out;
  for (std::size_t i = 0; i < impls->size(); ++i) {
    const OJson& x = (*impls)[i];
    const std::string p = "implementations[" + std::to_string(i) + "].";
    if (!x.is_object()) {
      return BundleInvalid("bundle.json: " + p + " must be an object");
    }
    TIGRESS_ASSIGN_OR_RETURN(BundleImplementation m, ParseImplementation(x, p, r));
    out.push_back(std::move(m));
  }
  return out;
}

// The member paths, the recording run and the file lists.
Result<void> ParseMembersAndRun(const OJson& doc, const InfoReader& r, BundleInfo& info) {
  TIGRESS_ASSIGN_OR_RETURN(info.scenario, r.Str(doc, "", "scenario", true));
  if (!IsSafeMemberPath(info.scenario)) {
    return BundleInvalid("bundle.json: scenario is not a safe member path");
  }
  TIGRESS_ASSIGN_OR_RETURN(info.expectations, r.Str(doc, "", "expectations", false));
  if (!info.expectations.empty() && !IsSafeMemberPath(info.expectations)) {
    return BundleInvalid("bundle.json: expectations is not a safe member path");
  }
  if (auto e = doc.find("expected_failure"); e != doc.end()) {
    if (!e->is_boolean()) {
      return BundleInvalid("bundle.json: expected_failure must be a boolean");
    }
    info.expected_failure = e->get<bool>();
  }
  TIGRESS_ASSIGN_OR_RETURN(info.harness_version, r.Str(doc, "", "harness_version", false));
  TIGRESS_ASSIGN_OR_RETURN(info.created, r.Str(doc, "", "created", false));
  TIGRESS_ASSIGN_OR_RETURN(info.command, r.Str(doc, "", "command", false));
  TIGRESS_ASSIGN_OR_RETURN(info.command_line, r.Str(doc, "", "command_line", false));
  TIGRESS_ASSIGN_OR_RETURN(info.files, r.Strs(doc, "", "files"));
  TIGRESS_ASSIGN_OR_RETURN(info.omitted, r.Strs(doc, "", "omitted"));
  return {};
}

}  // namespace

std::string BundleInfoToJson(const BundleInfo& info) {
  OJson findings = OJson::array();
  for (const auto& f : info.findings) {
    findings.push_back(OJson{{"requirement_id", f.requirement_id},
                             {"verdict", f.verdict},
                             {"message", f.message},
                             {"expected", f.expected},
                             {"actual", f.actual}});
  }
  OJson impls = OJson::array();
  for (const auto& i : info.implementations) {
    impls.push_back(OJson{{"name", i.name},
                          {"version", i.version},
                          {"features", Strings(i.features)},
                          {"roles", Strings(i.roles)},
                          {"manifest", i.manifest},
                          {"original_path", i.original_path},
                          {"original_root", i.original_root}});
  }
  OJson doc{{"format", kBundleFormatName},
            {"format_version", info.format_version},
            {"case_id", info.case_id},
            {"scenario_id", info.scenario_id},
            {"repetition", info.repetition},
            {"run_seed", std::to_string(info.run_seed)},
            {"case_seed", std::to_string(info.case_seed)},
            {"profile", info.profile},
            {"matrix", info.matrix},
            {"roles",
             {{"relay", info.relay}, {"initiator", info.initiator}, {"recipient", info.recipient}}},
            {"verdict", info.verdict},
            {"findings", std::move(findings)},
            {"implementations", std::move(impls)},
            {"scenario", info.scenario},
            {"expectations", info.expectations},
            {"expected_failure", info.expected_failure},
            {"harness_version", info.harness_version},
            {"created", info.created},
            {"command", info.command},
            {"command_line", info.command_line},
            {"files", Strings(info.files)},
            {"omitted", Strings(info.omitted)}};
  return doc.dump(2, ' ', false, OJson::error_handler_t::replace) + "\n";
}

Result<BundleInfo> ParseBundleInfo(std::string_view json) {
  // Parsing is iterative, but a deep value would be recursed into by anything
  // that later copies or prints it; bundle.json is a few levels deep.
  if (JsonNestingDepth(json) > kMaxRpcDepth) {
    return BundleInvalid("bundle.json: nested deeper than " + std::to_string(kMaxRpcDepth) +
                         " levels");
  }
  OJson doc = OJson::parse(json.begin(), json.end(), nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) {
    return BundleInvalid("bundle.json: not a JSON object");
  }
  TIGRESS_RETURN_IF_ERROR(CheckFormat(doc));
  const InfoReader r(doc);
  BundleInfo info;
  TIGRESS_RETURN_IF_ERROR(ParseCase(doc, r, info));
  TIGRESS_ASSIGN_OR_RETURN(info.findings, ParseFindings(doc, r));
  TIGRESS_ASSIGN_OR_RETURN(info.implementations, ParseImplementations(doc, r));
  TIGRESS_RETURN_IF_ERROR(ParseMembersAndRun(doc, r, info));
  return info;
}

}  // namespace tigress::harness
