// File: harness/cli/command.h
//
// What a subcommand of `tigress-harness` is: the CLI11 sub-app its flags are
// registered on, and the function that runs it once the command line is
// parsed. Each Add*Command registers its flags on `app` (storage lives with
// the returned function) and is called once, in the order of `--help`.
//
//   Command c = AddListCommand(app);
//   app.parse(argc, argv);
//   if (*c.app) return ExitCodeOf(c.run(context));
//
// A command returns its exit code (app.h) when it ran to the end, and an
// `Error` when it could not run; the caller prints the error and exits 2.
#pragma once

#include <functional>
#include <ostream>
#include <string>

#include <CLI/CLI.hpp>

#include "harness/cli/paths.h"
#include "protocol/result.h"

namespace tigress::harness {

// `CommandContext` is what every command may use besides its own flags.
struct CommandContext {
  const PathOptions& paths;  // --scenarios, --catalog, --bindir
  std::string command_line;  // the whole argv, shell-quoted, for the report
  std::ostream& out;
  std::ostream& err;
};

struct Command {
  CLI::App* app = nullptr;
  std::function<Result<int>(const CommandContext&)> run;
};

// run_command.cc: `run` and `interop`.
Command AddRunCommand(CLI::App& app);
Command AddInteropCommand(CLI::App& app);
// catalogue_commands.cc: `list` and `explain`.
Command AddListCommand(CLI::App& app);
Command AddExplainCommand(CLI::App& app);
// vectors_command.cc
Command AddVectorsCommand(CLI::App& app);
// repro_command.cc
Command AddReproCommand(CLI::App& app);
// replay_command.cc
Command AddReplayCommand(CLI::App& app);
// coverage_command.cc
Command AddCoverageCommand(CLI::App& app);

}  // namespace tigress::harness
