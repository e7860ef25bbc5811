// File: harness/run/case_files.h
//
// A case's directory (cases/<case>/): what its steps logged while running
// (`CaseLog`: http.log and the resolved steps, from parallel lanes too) and
// the files written when it ends: scenario.yaml, resolved.yaml, http.log,
// <role>.jsonrpc.log, repro.sh, transcript.har. Every file goes through the
// run's redaction first; each written file is returned as an attachment.
//
//   CaseLog log;  log.AppendHttp("=== step ...");
//   std::vector<reports::Attachment> files = WriteCaseFiles(in);
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "harness/har/har.h"
#include "reports/results.h"

namespace tigress::harness {

// `CaseLog` is what a case's steps record as they run. Thread-safe.
class CaseLog {
 public:
  // `AppendHttp` adds one probe exchange (already formatted) to http.log.
  void AppendHttp(const std::string& text);
  // `AddResolvedStep` adds a step as executed (templates resolved, claims
  // shortened) to resolved.yaml.
  void AddResolvedStep(nlohmann::json step);

  std::string http_log() const;
  std::vector<nlohmann::json> resolved_steps() const;

 private:
  mutable std::mutex mu_;
  std::string http_log_;
  std::vector<nlohmann::json> resolved_;
};

// A redaction applied to every text written (the run's guard).
using Redactor = std::function<std::string(std::string_view)>;

struct CaseFilesInput {
  std::filesystem::path case_dir;
  std::string case_id;
  std::uint64_t seed = 0;
  std::string scenario_file;                        // as loaded
  std::string scenario_text;                        // as written
  std::map<std::string, nlohmann::json> variables;  // the case's variables at the end
  const CaseLog* log = nullptr;
  // The adapters' JSON-RPC transcripts by role (lines, oldest first).
  std::map<std::string, std::vector<std::string>> transcripts;
  std::string rerun_command;
  Redactor redact;
};

// `WriteCaseFiles` writes scenario.yaml, resolved.yaml (variables with
// Secrets hidden), http.log (when a probe ran), one <role>.jsonrpc.log per
// transcript and an executable repro.sh, and lists them with the processes'
// logs (`ProcessLogs`, which it redacts). Call it once the case's processes
// have stopped.
std::vector<reports::Attachment> WriteCaseFiles(const CaseFilesInput& in);

// A process log kept is at most this long: the rest, from its start, is
// dropped when the log is redacted.
inline constexpr std::uintmax_t kMaxRedactedLogBytes = 64U << 20U;

// `ProcessLogs` lists the processes' *stderr*.log / *stdout*.log in `dir`
// (which the supervisor wrote, 0644 and unredacted, while they ran) and
// rewrites each through `redact`, mode 0600, keeping its last
// `kMaxRedactedLogBytes`: an implementation that logs a Secret the run saw
// leaves no copy of it in the run directory, and one the run did not see
// stays readable by the owner only. A log that cannot be rewritten is removed.
std::vector<reports::Attachment> ProcessLogs(const std::filesystem::path& dir,
                                             const Redactor& redact);

// `WriteTranscriptHar` writes transcript.har (HAR 1.2) from what the
// recording proxy saw, claims shortened, and returns its attachment.
reports::Attachment WriteTranscriptHar(const std::filesystem::path& case_dir,
                                       const har::Transcript& transcript, const Redactor& redact);

}  // namespace tigress::harness
