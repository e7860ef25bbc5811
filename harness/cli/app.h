// File: harness/cli/app.h
//
// The `tigress-harness` command line (CLI11): the global flags (--scenarios,
// --catalog, --bindir, --version), the subcommands of command.h (run,
// interop, repro, replay, list, explain, vectors, coverage), and the one
// place that turns a command's outcome into the exit code and the message
// on stderr.
//
//   int main(int argc, char** argv) { return RunCli(argc, argv, std::cout, std::cerr); }
//
// Exit codes (docs/harness.md):
//   0  nothing unexpected (repro: not reproduced)
//   1  an unexpected FAIL/ERROR/TIMEOUT or stale expectation, a failing
//      vector, an unchecked requirement (coverage), a differing exchange
//      (replay), a reproduced failure (repro)
//   2  usage or configuration error: a command-line parse error, and every
//      `Error` a command returns
//   3  repro only: the case fails differently
#pragma once

#include <ostream>
#include <string>

#include "protocol/result.h"

namespace tigress::harness {

enum ExitCode : int {
  kExitOk = 0,
  kExitUnexpected = 1,
  kExitUsage = 2,
  kExitFailsDifferently = 3,
};

// `RunCli` parses `argv`, runs the chosen command and returns the exit code.
int RunCli(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

// `ExitCodeOf` is the code a command returned, or kExitUsage for an error.
int ExitCodeOf(const Result<int>& outcome);

// `FailureText` is what follows "tigress-harness: " on stderr for a command's
// error. The harness's own refusals (kCommandUsage, kSourceTreeNotFound,
// kCaseNotRunnable) are sentences written for the user and print alone;
// errors from the libraries print as "<token>: <detail>" so the file, line
// or field they name keeps its catalogue token.
std::string FailureText(const Error& e);

}  // namespace tigress::harness
