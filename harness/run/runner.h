// File: harness/run/runner.h
//
// The case runner: turns scenarios into cases, runs each case against fresh
// processes of the implementations under test (its own relay, ports, work
// directories and adapters), evaluates the expectations into
// `reports::Assertion`s, and writes the run directory.
//
//   RunOptions opt;  opt.manifests = {LoadManifest("implementations/reference.yaml").value()};
//   Runner runner(std::move(opt), catalog, scenarios);
//   Result<int> exit_code = runner.Run(std::cout);   // 0 / 1; an Error: not set up
//
// Run directory (reports/<run-id>/): report.json, junit.xml, report.html,
// summary.md (reports/ writers), pki/ (the run's test CA and server
// certificate), cases/<case>/ with each process's stderr, the adapters'
// JSON-RPC transcripts, http.log (probe exchanges), scenario.yaml (as
// written), resolved.yaml (every step as executed) and repro.sh; a failing
// case (FAIL/ERROR/TIMEOUT) also gets its reproduction bundle
// repro-<case dir>.tar.gz (harness/repro/bundle.h).
//
// The units of harness/run/: selection.h (which cases, which
// implementations, seeds, rerun commands), case_run.h (one case's
// lifecycle), devices.h (its adapters), step_executor.h (the steps and the
// ports they run through), step_verdicts.h (how steps shape the verdict),
// oracle_inputs.h, case_files.h and evidence.h (what a case records), and
// run_shared.h (what the cases of a run share).
#pragma once

#include <filesystem>
#include <ostream>

#include "harness/run/run_options.h"
#include "harness/run/selection.h"
#include "harness/scenario/scenario.h"
#include "reports/requirements.h"
#include "reports/results.h"

namespace tigress::harness {

class Runner {
 public:
  Runner(RunOptions options, const reports::Catalog& catalog, const ScenarioSet& scenarios);

  // `Run` runs the selected cases with `jobs` workers, prints progress to
  // `out`, writes the run directory and returns the exit code (0: nothing
  // unexpected, 1: an unexpected FAIL/ERROR/TIMEOUT or a stale expectation).
  // Errors (the run could not be set up): kCommandUsage (no case matches the
  // selection), the manifests' role errors, kIoFailure (run directory, PKI
  // files, reports), the test CA's errors.
  Result<int> Run(std::ostream& out);

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
