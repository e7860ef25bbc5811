// File: harness/cli/cli.h
//
// The `tigress-harness` command line (CLI11): run, interop, repro, replay,
// list, explain, vectors, coverage.
// Exit codes: 0 nothing unexpected, 1 an unexpected FAIL/ERROR/TIMEOUT (or a
// failing vector), 2 usage or configuration error; `repro` has its own
// (harness/cli/repro.h: 0 not reproduced, 1 reproduced, 3 fails differently).
#pragma once

#include <filesystem>
#include <optional>
#include <ostream>

namespace tigress::harness {

// `RunCli` parses `argv` and runs the chosen command.
int RunCli(int argc, char** argv, std::ostream& out, std::ostream& err);

// `FindSourceRoot` looks for the directory holding scenarios/ and
// vectors/requirements.json: TIGRESS_SOURCE_DIR, then the ancestors of the
// executable's directory, then the ancestors of the working directory.
std::optional<std::filesystem::path> FindSourceRoot(const std::filesystem::path& exe_dir);

// `ExecutableDir` is the directory of the running executable (/proc/self/exe).
std::filesystem::path ExecutableDir();

}  // namespace tigress::harness
