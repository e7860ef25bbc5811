#include "harness/run/case_files.h"

#include <cerrno>
#include <fcntl.h>
#include <fstream>
#include <sstream>
#include <unistd.h>
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

// `path`'s last `kMaxRedactedLogBytes` (the whole file when smaller), and
// how many bytes came before them.
std::pair<std::string, std::uintmax_t> ReadLogTail(const fs::path& path) {
  std::error_code ec;
  const std::uintmax_t size = fs::file_size(path, ec);
  const std::uintmax_t skipped =
      !ec && size > kMaxRedactedLogBytes ? size - kMaxRedactedLogBytes : 0;
  std::ifstream in(path, std::ios::binary);
  in.seekg(static_cast<std::streamoff>(skipped));
  std::stringstream ss;
  ss << in.rdbuf();
  return {ss.str(), skipped};
}

// Rewrites a process log redacted, owner-only, through a new file renamed
// over it: the processes have stopped, and nothing that opened the old file
// keeps a view of the unredacted text through the new one.
void RedactProcessLog(const fs::path& path, const Redactor& redact) {
  auto [text, skipped] = ReadLogTail(path);
  std::string shown = redact ? redact(text) : std::move(text);
  if (skipped > 0) {
    shown = "[tigress-harness: the first " + std::to_string(skipped) +
            " bytes of this log were dropped; the last " +
            std::to_string(kMaxRedactedLogBytes >> 20U) + " MiB follow]\n" + shown;
  }
  const fs::path tmp = path.string() + ".redacting";
  std::error_code ec;
  fs::remove(tmp, ec);
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  bool ok = fd >= 0;
  for (std::size_t off = 0; ok && off < shown.size();) {
    const ssize_t n = ::write(fd, shown.data() + off, shown.size() - off);
    ok = n > 0 || (n < 0 && errno == EINTR);
    off += n > 0 ? static_cast<std::size_t>(n) : 0;
  }
  if (fd >= 0) {
    ok = ::close(fd) == 0 && ok;
  }
  if (ok) {
    fs::rename(tmp, path, ec);
    ok = !ec;
  }
  if (!ok) {
    // Never leave the unredacted text behind when it cannot be replaced.
    fs::remove(tmp, ec);
    fs::remove(path, ec);
  }
}

}  // namespace

std::vector<reports::Attachment> ProcessLogs(const fs::path& dir, const Redactor& redact) {
  std::vector<reports::Attachment> out;
  std::vector<fs::path> logs;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    const bool is_stderr = name.find("stderr") != std::string::npos;
    if (entry.is_regular_file() && name.size() > 4 && name.substr(name.size() - 4) == ".log" &&
        (is_stderr || name.find("stdout") != std::string::npos)) {
      logs.push_back(entry.path());
      out.push_back({name.substr(0, name.find('.')) + " " + (is_stderr ? "stderr" : "stdout"), name,
                     "text/plain"});
    }
  }
  for (const auto& p : logs) {
    RedactProcessLog(p, redact);
  }
  return out;
}

namespace {}  // namespace

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
  const std::vector<reports::Attachment> logs = ProcessLogs(in.case_dir, in.redact);
  out.insert(out.end(), logs.begin(), logs.end());
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
