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
// *stderr*.log / *stdout*.log already in the directory.
std::vector<reports::Attachment> WriteCaseFiles(const CaseFilesInput& in);

// `WriteTranscriptHar` writes transcript.har (HAR 1.2) from what the
// recording proxy saw, claims shortened, and returns its attachment.
reports::Attachment WriteTranscriptHar(const std::filesystem::path& case_dir,
                                       const har::Transcript& transcript, const Redactor& redact);

}  // namespace tigress::harness
