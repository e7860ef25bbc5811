#include <algorithm>
#include <array>

#include "harness/kat/families.h"

namespace tigress::kat {
namespace {

using Json = nlohmann::json;

// The part C interpretations the vector's flags rest on, each once; the first
// flag missing from `notes` goes to `undefined_flag`.
std::vector<std::string> Interpretations(const Json& notes, const std::vector<std::string>& flags,
                                         std::string* undefined_flag) {
  std::vector<std::string> out;
  for (const auto& flag : flags) {
    const auto it = notes.find(flag);
    if (it == notes.end()) {
      if (undefined_flag->empty()) *undefined_flag = flag;
      continue;
    }
    if (it->is_object() && it->contains("interpretation") && (*it)["interpretation"].is_string()) {
      auto ref = (*it)["interpretation"].get<std::string>();
      if (std::find(out.begin(), out.end(), ref) == out.end()) out.push_back(std::move(ref));
    }
  }
  return out;
}

// File-level format errors that do not stop the vectors from running.
void CheckTopLevel(const Json& doc, FileReport& report) {
  for (const auto& [key, value] : doc.items()) {
    static constexpr std::array<std::string_view, 8> kTop = {
        "family", "schemaVersion", "source",     "header",
        "notes",  "numberOfTests", "retiredIds", "tests"};
    if (std::find(kTop.begin(), kTop.end(), key) == kTop.end()) {
      report.errors.emplace_back("unknown top-level field '" + key + "'");
    }
  }
  if (!doc.contains("schemaVersion") || doc["schemaVersion"] != 1) {
    report.errors.emplace_back("schemaVersion must be 1");
  }
}

// One object of `tests`: the common fields, then the family's evaluator.
VectorResult RunVector(const Json& t, const std::string& where, const std::string& family,
                       const Json& notes, KatBackend& backend) {
  VectorResult v;
  VectorFields f(t);
  v.id = f.Str("id");
  if (v.id.empty()) v.id = where;
  v.requirements = f.StrList("requirements");
  const auto flags = f.StrList("flags");
  std::string undefined_flag;
  v.interpretations = Interpretations(notes, flags, &undefined_flag);
  const std::string result = f.Str("result");
  const std::string token = result == "invalid" ? f.Str("error") : std::string();
  Outcome o;
  if (!f.Ok()) {
    o = Fail("vector format: " + f.FirstProblem());
  } else if (!undefined_flag.empty()) {
    o = Fail("vector format: flag '" + undefined_flag + "' is not defined in notes");
  } else if (result != "valid" && result != "invalid") {
    o = Fail("vector format: result '" + result + "' is not valid or invalid");
  } else if (family == "payload_aead") {
    o = RunPayloadVector(f, result, token, backend);
  } else if (family == "share_url") {
    o = RunShareUrlVector(f, result, token, backend);
  } else {
    o = RunMessageVector(t, f, result, token, backend);
  }
  v.verdict = o.verdict;
  v.detail = std::move(o.detail);
  return v;
}

}  // namespace

void RunTigressFile(const Json& doc, const std::string& family, KatBackend& backend,
                    FileReport& report) {
  CheckTopLevel(doc, report);
  const Json empty = Json::object();
  const Json& notes = doc.contains("notes") && doc["notes"].is_object() ? doc["notes"] : empty;
  if (!doc.contains("tests") || !doc["tests"].is_array()) {
    report.errors.emplace_back("tests: required array is missing");
    return;
  }
  const Json& tests = doc["tests"];
  if (!doc.contains("numberOfTests") || doc["numberOfTests"] != tests.size()) {
    report.errors.emplace_back("numberOfTests does not match the " + std::to_string(tests.size()) +
                               " tests");
  }
  std::size_t index = 0;
  for (const Json& t : tests) {
    const std::string where = "tests[" + std::to_string(index++) + "]";
    if (!t.is_object()) {
      VectorResult v;
      v.id = where;
      v.detail = "vector format: not an object";
      report.results.push_back(std::move(v));
      continue;
    }
    report.results.push_back(RunVector(t, where, family, notes, backend));
  }
}

}  // namespace tigress::kat
