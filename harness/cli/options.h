// File: harness/cli/options.h
//
// The options `run`, `interop`, `repro` and `replay` share, each registered
// by one function so a flag has one name, one type, one check and one
// default wherever it appears. Only the help text differs: `run --help`
// explains each flag in full, the others are brief and point to it.
//
//   RunFlags f;
//   AddSelectionOptions(*sub, f, OptionStyle::kRun);
//   AddTimeoutOptions(*sub, f.timeouts, OptionStyle::kRun);
//   ApplyTimeouts(f.timeouts, run_options);
//
// Also the pure helpers that turn flag text into values (SplitComma,
// ParseShard, JoinArgs).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "harness/config/defaults.h"
#include "protocol/result.h"

namespace tigress::harness {

// `OptionStyle` picks the help text (and, for timeouts, which flags exist).
enum class OptionStyle { kRun, kInterop, kRepro, kReplay };

struct Timeouts {
  std::int64_t call_ms = kDefaultCallTimeoutMs;    // --call-timeout-ms
  std::int64_t http_ms = kDefaultHttpTimeoutMs;    // --http-timeout-ms
  std::int64_t start_ms = kDefaultStartTimeoutMs;  // --start-timeout-ms
};

// `ReportLocation` is where a run directory goes.
struct ReportLocation {
  std::string report_dir = "reports";  // --report-dir
  std::string run_id;                  // --run-id; empty: derived from the time
};

// `RunFlags` are the flags of `run` and `interop` (interop has no role,
// --matrix or --shard flags; it always runs the matrix).
struct RunFlags {
  std::vector<std::string> impls;
  std::string relay;
  std::string initiator;
  std::string recipient;
  bool matrix = false;
  std::vector<std::string> filters;
  std::vector<std::string> skips;
  std::vector<std::string> keywords;
  int jobs = 0;  // 0: chosen by the runner (DefaultJobs)
  std::optional<std::uint64_t> seed;
  int repeat = 1;
  std::string shard;
  std::string profile = "standard";
  std::string spec;  // --spec: overrides every manifest's `spec`; empty: keep them
  ReportLocation report;
  std::string expectations;
  Timeouts timeouts;
};

// --impl (required, repeatable).
void AddImplOption(CLI::App& sub, RunFlags& f);
// --filter, --skip, --keywords.
void AddSelectionOptions(CLI::App& sub, RunFlags& f, OptionStyle style);
// -j/--jobs (1..64), --seed, --repeat (1..1000).
void AddScheduleOptions(CLI::App& sub, RunFlags& f, OptionStyle style);
// --profile (standard, strict or lenient) and --spec (a draft revision).
void AddProfileOption(CLI::App& sub, RunFlags& f, OptionStyle style);
// --report-dir, --run-id.
void AddReportOptions(CLI::App& sub, ReportLocation& r, OptionStyle style);
// --expectations.
void AddExpectationsOption(CLI::App& sub, RunFlags& f, OptionStyle style);
// --call-timeout-ms, --http-timeout-ms, --start-timeout-ms; kReplay has only
// --http-timeout-ms (a replay starts no adapter).
void AddTimeoutOptions(CLI::App& sub, Timeouts& t, OptionStyle style);

// `ApplyTimeouts` copies the timeouts into RunOptions or ReproOptions.
template <class Options>
void ApplyTimeouts(const Timeouts& t, Options& o) {
  o.call_timeout = std::chrono::milliseconds(t.call_ms);
  o.http_timeout = std::chrono::milliseconds(t.http_ms);
  o.start_timeout = std::chrono::milliseconds(t.start_ms);
}

// `SplitComma` splits every value at commas and drops empty parts, so
// "--filter a,b --filter c" and "--filter a --filter b,c" mean the same.
std::vector<std::string> SplitComma(const std::vector<std::string>& values);

// `Shard` is --shard I/N as a 0-based index and a count.
struct Shard {
  int index = 0;
  int count = 1;
};

// `ParseShard` reads "I/N" with 1 <= I <= N; kCommandUsage otherwise.
Result<Shard> ParseShard(const std::string& text);

// `JoinArgs` is argv as one shell command line (each argument quoted as sh
// needs), as the report records it.
std::string JoinArgs(int argc, const char* const* argv);

}  // namespace tigress::harness
