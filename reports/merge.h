// File: reports/merge.h
//
// Merging runs: CI fans out one job per relay (or per implementation pair)
// and aggregates the jobs' report.json files into one report.
//
//   std::vector<RunResult> runs = ...;  // ParseReportJson of each job's file
//   std::vector<std::filesystem::path> dirs = ...;  // where each report.json was
//   auto merged = MergeRuns(runs, "ci-1234");
//   RebaseCaseDirs(*merged, dirs, out_dir);  // keep artifact links working
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "protocol/result.h"
#include "reports/results.h"

namespace tigress::reports {

// `MergeRuns` concatenates the cases of `runs` in order. The merged run gets
// `run_id`; started = the earliest start, finished = the latest finish
// (RFC 3339 UTC strings compare lexically); harness_version, profile, seed
// and spec from the first run; diagnosis lines of every run, without repeats;
// implementations are the union by (name, version);
// command_line names the merged run IDs. Case verdicts are kept as they are
// (they were finalised under the same profile).
// Errors: kConfigInvalid when `runs` is empty, when the profiles or the specs
// (draft revisions) differ, or when the schema versions differ.
Result<RunResult> MergeRuns(const std::vector<RunResult>& runs, const std::string& run_id);

// `RebaseCaseDirs` rewrites each case's `case_dir` (relative to the run
// folder it came from) to be relative to `out_dir`. `run_dirs[i]` is the
// folder of the i-th merged run, and `case_counts[i]` the number of its cases,
// in the order `MergeRuns` received them. Cases without a case_dir are left
// alone. Errors: kConfigInvalid when the counts do not add up.
Result<void> RebaseCaseDirs(RunResult& merged, const std::vector<std::filesystem::path>& run_dirs,
                            const std::vector<std::size_t>& case_counts,
                            const std::filesystem::path& out_dir);

}  // namespace tigress::reports
