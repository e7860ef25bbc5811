// File: harness/cli/repro.h
//
// `tigress-harness repro BUNDLE`: unpack a reproduction bundle
// (harness/repro/bundle.h) into a temporary directory and rerun its one case with
// the recorded scenario, seed, repetition, profile and role assignment,
// against the implementations named in the bundle (its manifests; {bindir}
// is this harness's bindir, {root} the manifest's original directory when it
// still exists, else the bundle's manifests/ folder) or against the
// manifests given with --impl (roles keep the recorded names when those
// manifests are among them, else the usual defaults apply).
//
// A bundle may come from anyone, and its manifests' commands and env (say
// LD_PRELOAD) are code: they run only with `trust_bundle` (--trust-bundle),
// after every command is printed (argv with {bindir} and {root} resolved, env
// names without values); otherwise repro is an error (kCommandUsage, exit 2)
// that prints those commands, runs nothing and names the two ways on:
// --impl or --trust-bundle. Env values the bundle carries redacted
// (kRedactedEnvValue) are left unset, and repro says so.
//
//   ReproOptions o;  o.bundle = "cases/x/repro-x.tar.gz";  o.bindir = ...;
//   Result<int> rc = RunRepro(o, catalog, std::cout);
//
// The rerun prints the same progress and verdict lines as `run` and writes
// a run directory under `report_dir`. Expectations files are not applied: the
// question is only whether the failure still happens. Exit codes:
//   0  not reproduced: the case did not fail (PASS/WARN/INFO/UNSUPPORTED)
//   1  reproduced: the case failed with the same verdict and the same set of
//      failing requirement IDs as recorded (`FailureSignature`)
//   3  fails differently: FAIL/ERROR/TIMEOUT but another signature
// and an `Error` (exit 2, harness/cli/app.h) for an unreadable or unsafe
// bundle, the bundle's own manifests without `trust_bundle`, a bad manifest, a scenario not
// loadable against this catalogue or a case that could not be run (kCaseNotRunnable).
#pragma once

#include <chrono>
#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

#include "harness/config/defaults.h"
#include "harness/config/manifest.h"
#include "protocol/result.h"
#include "reports/requirements.h"

namespace tigress::harness {

inline constexpr int kReproNotReproduced = 0;
inline constexpr int kReproReproduced = 1;
inline constexpr int kReproDiffers = 3;

struct ReproOptions {
  std::filesystem::path bundle;
  std::vector<Manifest> manifests;  // --impl; empty: the bundle's own
  std::filesystem::path bindir;     // the {bindir} placeholder
  std::filesystem::path harness_exe;
  std::filesystem::path report_dir = "reports";
  std::string run_id;         // empty: derived from the time
  bool keep = false;          // keep the unpacked bundle (its path is printed)
  bool trust_bundle = false;  // run the bundle's own manifests (without --impl)
  std::chrono::milliseconds call_timeout{kDefaultCallTimeoutMs};
  std::chrono::milliseconds http_timeout{kDefaultHttpTimeoutMs};
  std::chrono::milliseconds start_timeout{kDefaultStartTimeoutMs};
  std::string command_line;
};

// `RunRepro` runs the bundle's case and returns one of the exit codes above.
Result<int> RunRepro(const ReproOptions& opt, const reports::Catalog& catalog, std::ostream& out);

}  // namespace tigress::harness
