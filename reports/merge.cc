#include "reports/merge.h"

#include <algorithm>
#include <numeric>

namespace tigress::reports {

Result<RunResult> MergeRuns(const std::vector<RunResult>& runs, const std::string& run_id) {
  if (runs.empty()) return MakeError(Errc::kConfigInvalid, "merge: no runs given");
  const RunResult& first = runs.front();
  RunResult merged;
  merged.schema_version = first.schema_version;
  merged.run_id = run_id;
  merged.harness_version = first.harness_version;
  merged.profile = first.profile;
  merged.seed = first.seed;
  merged.spec = first.spec;
  std::vector<std::string> ids;
  for (const RunResult& r : runs) {
    if (r.schema_version != first.schema_version) {
      return MakeError(Errc::kConfigInvalid, "merge: run " + r.run_id + " has schema version " +
                                                 std::to_string(r.schema_version) + ", run " +
                                                 first.run_id + " has " +
                                                 std::to_string(first.schema_version));
    }
    // Mixing profiles would mix two meanings of WARN in one report.
    if (r.profile != first.profile) {
      return MakeError(Errc::kConfigInvalid, "merge: run " + r.run_id + " used profile " +
                                                 std::string(ProfileName(r.profile)) + ", run " +
                                                 first.run_id + " used " +
                                                 std::string(ProfileName(first.profile)));
    }
    // Each run's verdicts rest on its revision's catalogue: one report, one revision.
    if (r.spec != first.spec) {
      return MakeError(Errc::kConfigInvalid, "merge: run " + r.run_id + " judged against " +
                                                 r.spec + ", run " + first.run_id + " against " +
                                                 first.spec);
    }
    for (const std::string& line : r.diagnosis) {
      if (std::find(merged.diagnosis.begin(), merged.diagnosis.end(), line) ==
          merged.diagnosis.end()) {
        merged.diagnosis.push_back(line);
      }
    }
    ids.push_back(r.run_id);
    if (!r.started.empty() && (merged.started.empty() || r.started < merged.started)) {
      merged.started = r.started;
    }
    if (r.finished > merged.finished) merged.finished = r.finished;
    for (const ImplementationInfo& impl : r.implementations) {
      auto same = [&](const ImplementationInfo& i) {
        return i.name == impl.name && i.version == impl.version;
      };
      auto it = std::find_if(merged.implementations.begin(), merged.implementations.end(), same);
      if (it == merged.implementations.end()) {
        merged.implementations.push_back(impl);
        continue;
      }
      for (const std::string& role : impl.roles) {
        if (std::find(it->roles.begin(), it->roles.end(), role) == it->roles.end()) {
          it->roles.push_back(role);
        }
      }
    }
    merged.cases.insert(merged.cases.end(), r.cases.begin(), r.cases.end());
  }
  std::string joined;
  for (const std::string& id : ids) joined += (joined.empty() ? "" : " ") + id;
  merged.command_line = "tigress-report merge of: " + joined;
  return merged;
}

Result<void> RebaseCaseDirs(RunResult& merged, const std::vector<std::filesystem::path>& run_dirs,
                            const std::vector<std::size_t>& case_counts,
                            const std::filesystem::path& out_dir) {
  const std::size_t total = std::accumulate(case_counts.begin(), case_counts.end(), std::size_t{0});
  if (run_dirs.size() != case_counts.size() || total != merged.cases.size()) {
    return MakeError(Errc::kConfigInvalid, "merge: case counts do not match the merged run");
  }
  std::error_code ec;
  const std::filesystem::path out_abs = std::filesystem::weakly_canonical(out_dir, ec);
  std::size_t index = 0;
  for (std::size_t run = 0; run < run_dirs.size(); ++run) {
    const std::filesystem::path dir_abs = std::filesystem::weakly_canonical(run_dirs[run], ec);
    for (std::size_t k = 0; k < case_counts[run]; ++k, ++index) {
      CaseResult& c = merged.cases[index];
      if (c.case_dir.empty()) continue;
      c.case_dir = (dir_abs / c.case_dir).lexically_relative(out_abs).generic_string();
    }
  }
  return {};
}

}  // namespace tigress::reports
