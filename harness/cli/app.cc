#include "harness/cli/app.h"

#include <optional>
#include <vector>

#include <CLI/CLI.hpp>

#include "harness/cli/command.h"
#include "harness/cli/options.h"
#include "tigress/version.h"

namespace tigress::harness {

namespace {

void AddPathOptions(CLI::App& app, PathOptions& p) {
  app.add_option("--scenarios", p.scenarios_dir,
                 "Scenario directory (default: <source>/scenarios)");
  app.add_option("--catalog", p.catalog_file,
                 "Requirement catalogue (default: <source>/vectors/requirements.json)");
  app.add_option("--bindir", p.bindir,
                 "Value of the {bindir} manifest placeholder (default: $TIGRESS_BINDIR or the "
                 "harness's directory)");
}

// Parses argv; returns the exit code when the process should end here
// (--help, --version or a parse error), nothing when a command is to run.
std::optional<int> Parse(CLI::App& app, int argc, const char* const* argv, std::ostream& out,
                         std::ostream& err) {
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    out << app.help();
    return kExitOk;
  } catch (const CLI::CallForAllHelp&) {
    out << app.help("", CLI::AppFormatMode::All);
    return kExitOk;
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) {
      app.exit(e, out, err);
      return kExitOk;
    }
    err << "tigress-harness: " << e.what() << "\n";
    if (!app.get_subcommands().empty()) {
      err << app.get_subcommands().front()->help();
    }
    return kExitUsage;
  }
  return std::nullopt;
}

}  // namespace

int ExitCodeOf(const Result<int>& outcome) { return outcome ? *outcome : kExitUsage; }

std::string FailureText(const Error& e) {
  if (e.Is(Errc::kCommandUsage) || e.Is(Errc::kSourceTreeNotFound) ||
      e.Is(Errc::kCaseNotRunnable)) {
    return e.detail.empty() ? e.code.message() : e.detail;
  }
  return e.Message();
}

int RunCli(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
  CLI::App app{
      "tigress-harness: conformance and interop test harness for TIGRESS relays and devices"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string(kVersion), "Print the version and exit");
  app.footer(
      "Exit codes: 0 nothing unexpected, 1 an unexpected FAIL/ERROR/TIMEOUT or stale expectation, "
      "2 usage or configuration error (repro: 0 not reproduced, 1 reproduced, 2 error, 3 fails "
      "differently).\nDocs: docs/harness.md, docs/scenario-format.md, "
      "docs/adapter-contract.md\n");
  PathOptions paths;
  AddPathOptions(app, paths);
  // The order of --help.
  const std::vector<Command> commands = {
      AddRunCommand(app),     AddListCommand(app),  AddExplainCommand(app), AddVectorsCommand(app),
      AddInteropCommand(app), AddReproCommand(app), AddReplayCommand(app),  AddCoverageCommand(app),
  };
  // --scenarios/--catalog/--bindir may also follow the subcommand.
  for (const Command& c : commands) {
    c.app->fallthrough();
  }
  if (auto done = Parse(app, argc, argv, out, err)) {
    return *done;
  }
  const CommandContext context{paths, JoinArgs(argc, argv), out, err};
  for (const Command& c : commands) {
    if (*c.app) {
      Result<int> outcome = c.run(context);
      if (!outcome) {
        err << "tigress-harness: " << FailureText(outcome.error()) << "\n";
      }
      return ExitCodeOf(outcome);
    }
  }
  return kExitUsage;  // unreachable: require_subcommand(1)
}

}  // namespace tigress::harness
