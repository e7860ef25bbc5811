// File: harness/run/runner.h
//
// The case runner: turns scenarios into cases, runs each case against fresh
// processes of the implementations under test (its own relay, ports, work
// directories and adapters), evaluates the expectations into
// `reports::Assertion`s, and writes the run directory.
//
//   RunOptions opt;  opt.manifests = {LoadManifest("implementations/reference.yaml").value()};
//   Runner runner(std::move(opt), catalog, scenarios);
//   int exit_code = runner.Run(std::cout);   // 0 / 1 as architecture.md says
//
// Run directory (reports/<run-id>/): report.json, junit.xml, report.html,
// summary.md (reports/ writers), pki/ (the run's test CA and server
// certificate), cases/<case>/ with each process's stderr, the adapters'
// JSON-RPC transcripts, http.log (probe exchanges), scenario.yaml (as
// written), resolved.yaml (every step as executed) and repro.sh; a failing
// case (FAIL/ERROR/TIMEOUT) also gets its reproduction bundle
// repro-<case dir>.tar.gz (harness/repro/bundle.h).
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "harness/config/expectations.h"
#include "harness/config/manifest.h"
#include "harness/scenario/scenario.h"
#include "reports/requirements.h"
#include "reports/results.h"

namespace tigress::harness {

struct RunOptions {
  std::vector<Manifest> manifests;  // --impl, in order
  std::string relay_impl;           // --relay NAME (default: first manifest with a relay)
  std::string initiator_impl;       // --initiator NAME (default: first with a device)
  std::string recipient_impl;       // --recipient NAME (default: the initiator's)
  // --matrix: every combination of the manifests that provide each role the
  // scenario uses (relay x initiator x recipient); case ids get "@cell".
  bool matrix = false;
  std::vector<std::string> filters;   // case-id globs; empty = all
  // Exact case ids (with "#n" and "@cell") kept after the implementations are
  // assigned; empty = all. `repro` uses it to rerun one matrix cell.
  std::vector<std::string> case_ids;
  std::vector<std::string> skips;     // case-id globs
  std::vector<std::string> keywords;  // a case needs at least one of them; empty = all
  int jobs = 1;
  std::uint64_t seed = 0;
  int repeat = 1;
  int shard_index = 0;  // 0-based
  int shard_count = 1;
  reports::Profile profile = reports::Profile::kStandard;
  std::filesystem::path report_dir = "reports";
  std::string run_id;  // empty: derived from the time and seed
  std::optional<ExpectationsFile> expectations;
  std::filesystem::path expectations_path;
  std::filesystem::path scenarios_dir;
  std::filesystem::path bindir;       // the {bindir} placeholder
  std::filesystem::path harness_exe;  // for rerun commands
  std::chrono::milliseconds call_timeout{15'000};
  std::chrono::milliseconds http_timeout{10'000};
  std::chrono::milliseconds start_timeout{10'000};  // adapter hello/probe
  std::string command_line;
  bool live_progress = false;
};

// `CaseSpec` is one case to run: a scenario and a repetition.
struct CaseSpec {
  const Scenario* scenario = nullptr;
  int repetition = 0;
  std::string case_id;  // scenario id, plus "#<n>" for repetitions after the first
  std::uint64_t seed = 0;
  // The implementations playing each role the scenario uses (null: unused).
  const Manifest* relay = nullptr;
  const Manifest* initiator = nullptr;
  const Manifest* recipient = nullptr;
};

// `SelectCases` applies filters, skips, keywords, repeat and sharding (a
// stable hash of the scenario id, so shards do not depend on the case order).
std::vector<CaseSpec> SelectCases(const ScenarioSet& set, const RunOptions& opt);

// `CaseSeed` derives a case's seed from the run seed, the scenario id and the
// repetition, so `--filter ID --seed S` replays the same values.
std::uint64_t CaseSeed(std::uint64_t run_seed, const std::string& scenario_id, int repetition);

// `AssignImplementations` fills the role fields of every case: with
// `opt.matrix` one case per distinct combination of the manifests providing
// the roles the scenario uses (ids get "@relay+initiator+recipient"), else the
// --relay/--initiator/--recipient choice (default: the first manifest with
// the role; the recipient defaults to the initiator's). Errors:
// kConfigInvalid for a name that matches no manifest or lacks the role.
Result<std::vector<CaseSpec>> AssignImplementations(std::vector<CaseSpec> cases,
                                                    const RunOptions& opt);

// `RerunCommand` is the one shell command that reruns exactly `c`.
std::string RerunCommand(const RunOptions& opt, const CaseSpec& c);

// `ShellQuote` quotes one argument for sh.
std::string ShellQuote(const std::string& arg);

class Runner {
 public:
  Runner(RunOptions options, const reports::Catalog& catalog, const ScenarioSet& scenarios);

  // `Run` runs the selected cases with `jobs` workers, prints progress to
  // `out`, writes the run directory and returns the exit code (0: nothing
  // unexpected, 1: an unexpected FAIL/ERROR/TIMEOUT or a stale expectation,
  // 2: the run could not be set up).
  int Run(std::ostream& out);

  // The finished run (after `Run`).
  const reports::RunResult& result() const { return run_; }
  const std::filesystem::path& run_dir() const { return run_dir_; }

 private:
  RunOptions opt_;
  const reports::Catalog& catalog_;
  const ScenarioSet& scenarios_;
  reports::RunResult run_;
  std::filesystem::path run_dir_;
};

}  // namespace tigress::harness
