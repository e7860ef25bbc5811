// File: harness/run/run_options.h
//
// What a run is asked to do (`RunOptions`, filled from the command line) and
// one case to run (`CaseSpec`: a scenario, a repetition and the
// implementations playing its roles).
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "harness/config/defaults.h"
#include "harness/config/expectations.h"
#include "harness/config/manifest.h"
#include "harness/scenario/scenario.h"
#include "reports/requirements.h"

namespace tigress::harness {

struct RunOptions {
  std::vector<Manifest> manifests;  // --impl, in order
  std::string relay_impl;           // --relay NAME (default: first manifest with a relay)
  std::string initiator_impl;       // --initiator NAME (default: first with a device)
  std::string recipient_impl;       // --recipient NAME (default: the initiator's)
  // --matrix: every combination of the manifests that provide each role the
  // scenario uses (relay x initiator x recipient); case ids get "@cell".
  bool matrix = false;
  std::vector<std::string> filters;  // case-id globs; empty = all
  // Exact case ids (with "#n" and "@cell") kept after the implementations are
  // assigned; empty = all. `repro` uses it to rerun one matrix cell.
  std::vector<std::string> case_ids;
  std::vector<std::string> skips;     // case-id globs
  std::vector<std::string> keywords;  // a case needs at least one of them; empty = all
  int jobs = 0;  // 0: DefaultJobs (harness/run/selection.h)
  std::uint64_t seed = 0;
  int repeat = 1;
  int shard_index = 0;  // 0-based
  int shard_count = 1;
  reports::Profile profile = reports::Profile::kStandard;
  // --spec: the revision every manifest's `spec` was overridden with (kept
  // for rerun commands); nullopt: each manifest speaks its own.
  std::optional<Revision> spec_override;
  std::filesystem::path report_dir = "reports";
  std::string run_id;  // empty: derived from the time and seed
  std::optional<ExpectationsFile> expectations;
  std::filesystem::path expectations_path;
  std::filesystem::path scenarios_dir;
  std::filesystem::path bindir;       // the {bindir} placeholder
  std::filesystem::path harness_exe;  // for rerun commands
  std::chrono::milliseconds call_timeout{kDefaultCallTimeoutMs};
  std::chrono::milliseconds http_timeout{kDefaultHttpTimeoutMs};
  std::chrono::milliseconds start_timeout{kDefaultStartTimeoutMs};  // adapter hello/probe
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

  // `Player` is the implementation playing `role` (null: unused).
  const Manifest* Player(Role role) const {
    return role == Role::kRelay ? relay : role == Role::kInitiator ? initiator : recipient;
  }
};

}  // namespace tigress::harness
