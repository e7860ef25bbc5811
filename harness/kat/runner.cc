#include "harness/kat/runner.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "harness/kat/families.h"

namespace tigress::kat {
namespace {

using Json = nlohmann::json;

// The report of a file that could not be read or parsed.
FileReport Unreadable(const std::filesystem::path& path, std::string error) {
  FileReport report;
  report.file = path.string();
  report.errors.push_back(std::move(error));
  return report;
}

// Why `text` is not JSON, located as a line for the message.
std::string JsonSyntaxError(const std::string& text) {
  try {
    [[maybe_unused]] const Json unused = Json::parse(text);
  } catch (const Json::parse_error& e) {
    const std::size_t offset = e.byte == 0 ? 0 : e.byte - 1;
    const std::size_t line =
        1 + static_cast<std::size_t>(std::count(
                text.begin(),
                text.begin() + static_cast<std::ptrdiff_t>(std::min(offset, text.size())), '\n'));
    return "line " + std::to_string(line) + ": not valid JSON (byte " + std::to_string(e.byte) +
           ")";
  }
  return "not valid JSON";
}

}  // namespace

std::string_view VerdictName(Verdict v) {
  switch (v) {
    case Verdict::kPass:
      return "PASS";
    case Verdict::kFail:
      return "FAIL";
    case Verdict::kSkip:
      return "SKIP";
    case Verdict::kUnsupported:
      return "UNSUPPORTED";
  }
  return "FAIL";
}

FileReport RunVectorDocument(const nlohmann::json& doc, std::string_view label,
                             KatBackend& backend) {
  FileReport report;
  report.file = std::string(label);
  if (!doc.is_object()) {
    report.errors.emplace_back("the file is not a JSON object");
    return report;
  }
  if (doc.contains("family")) {
    if (!doc["family"].is_string()) {
      report.errors.emplace_back("family: expected a string");
      return report;
    }
    report.family = doc["family"].get<std::string>();
    if (report.family != "payload_aead" && report.family != "share_url" &&
        report.family != "messages") {
      report.errors.emplace_back("family '" + report.family +
                                 "' is not payload_aead, share_url or messages");
      return report;
    }
    RunTigressFile(doc, report.family, backend, report);
    return report;
  }
  if (doc.contains("testGroups")) {
    report.family = "wycheproof_aead";
    RunWycheproofFile(doc, label, backend, report);
    return report;
  }
  report.errors.emplace_back(
      "neither a tigress vector file (no 'family') nor a Wycheproof AEAD file (no 'testGroups')");
  return report;
}

FileReport RunVectorFile(const std::filesystem::path& path, KatBackend& backend) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Unreadable(path, "cannot open the file");
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string text = buffer.str();
  const Json doc = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return Unreadable(path, JsonSyntaxError(text));
  return RunVectorDocument(doc, path.string(), backend);
}

Summary Summarize(const std::vector<FileReport>& reports) {
  Summary s;
  for (const auto& r : reports) {
    s.failed += r.errors.size();
    for (const auto& v : r.results) {
      switch (v.verdict) {
        case Verdict::kPass:
          ++s.passed;
          break;
        case Verdict::kFail:
          ++s.failed;
          break;
        case Verdict::kSkip:
          ++s.skipped;
          break;
        case Verdict::kUnsupported:
          ++s.unsupported;
          break;
      }
    }
  }
  return s;
}

std::vector<std::string> DefaultVectorFiles(const std::filesystem::path& dir) {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (!entry.is_regular_file(ec) || !name.ends_with(".json")) continue;
    if (name.starts_with("requirements") || name.ends_with(".schema.json")) continue;
    out.push_back(entry.path().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace tigress::kat
