#include "harness/run/case_files.h"

#include <fstream>
#include <utility>

#include "harness/config/yaml_util.h"
#include "harness/process/adapter_client.h"
#include "harness/run/evidence.h"

namespace tigress::harness {

namespace fs = std::filesystem;
using Json = nlohmann::json;

void CaseLog::AppendHttp(const std::string& text) {
  std::lock_guard<std::mutex> lock(mu_);
  http_log_ += text;
}

void CaseLog::AddResolvedStep(Json step) {
  std::lock_guard<std::mutex> lock(mu_);
  resolved_.push_back(std::move(step));
}

std::string CaseLog::http_log() const {
  std::lock_guard<std::mutex> lock(mu_);
  return http_log_;
}

std::vector<Json> CaseLog::resolved_steps() const {
  std::lock_guard<std::mutex> lock(mu_);
  return resolved_;
}

namespace {

// The resolved scenario: the case, its variables (Secrets hidden as in the
// adapters' transcripts) and every step as executed.
Json ResolvedScenario(const CaseFilesInput& in) {
  Json resolved{{"case", in.case_id}, {"seed", in.seed}, {"scenario", in.scenario_file}};
  Json vars = Json::object();
  for (const auto& [k, v] : in.variables) {
    vars[k] = Json::parse(RedactRpcLine(Json{{k, v}}.dump()), nullptr, false)[k];
  }
  resolved["variables"] = vars;
  resolved["steps"] = in.log != nullptr ? in.log->resolved_steps() : std::vector<Json>{};
  return resolved;
}

// The processes' own logs, which the supervisor already wrote there.
void ListProcessLogs(const fs::path& dir, std::vector<reports::Attachment>& out) {
  for (const auto& entry : fs::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    const bool is_stderr = name.find("stderr") != std::string::npos;
    if (entry.is_regular_file() && name.size() > 4 && name.substr(name.size() - 4) == ".log" &&
        (is_stderr || name.find("stdout") != std::string::npos)) {
      out.push_back({name.substr(0, name.find('.')) + " " + (is_stderr ? "stderr" : "stdout"), name,
                     "text/plain"});
    }
  }
}

}  // namespace

std::vector<reports::Attachment> WriteCaseFiles(const CaseFilesInput& in) {
  std::vector<reports::Attachment> out;
  auto write = [&](const std::string& name, const std::string& text, const std::string& what,
                   const std::string& media) {
    std::ofstream(in.case_dir / name, std::ios::binary) << (in.redact ? in.redact(text) : text);
    out.push_back({what, name, media});
  };
  write("scenario.yaml", in.scenario_text, "scenario as written", "application/yaml");
  write("resolved.yaml", JsonToYaml(ResolvedScenario(in)), "resolved scenario", "application/yaml");
  if (const std::string http = in.log != nullptr ? in.log->http_log() : ""; !http.empty()) {
    write("http.log", http, "probe HTTP exchanges", "text/plain");
  }
  for (const auto& [role, lines] : in.transcripts) {
    std::string t;
    for (const auto& line : lines) {
      t += line + "\n";
    }
    write(role + ".jsonrpc.log", t, role + " JSON-RPC transcript", "text/plain");
  }
  const std::string repro = "#!/bin/sh\n# Reruns case " + in.case_id +
                            " with the same seed.\nexec " + in.rerun_command + " \"$@\"\n";
  write("repro.sh", repro, "rerun command", "text/x-shellscript");
  fs::permissions(in.case_dir / "repro.sh",
                  fs::perms::owner_exec | fs::perms::group_exec | fs::perms::others_exec,
                  fs::perm_options::add);
  ListProcessLogs(in.case_dir, out);
  return out;
}

reports::Attachment WriteTranscriptHar(const fs::path& case_dir, const har::Transcript& transcript,
                                       const Redactor& redact) {
  har::Transcript shown = transcript;
  for (auto& e : shown.exchanges) {
    e.request_headers = RedactHeaders(e.request_headers);
  }
  const std::string text = har::WriteHar(shown);
  std::ofstream(case_dir / "transcript.har", std::ios::binary) << (redact ? redact(text) : text);
  return {"HTTP transcript the relay saw (HAR 1.2)", "transcript.har", "application/json"};
}

}  // namespace tigress::harness
