#include "harness/cli/run_command.h"

#include <algorithm>
#include <memory>
#include <random>
#include <thread>

#include "harness/cli/app.h"
#include "harness/cli/command.h"
#include "harness/run/runner.h"
#include "harness/run/selection.h"
#include "reports/matrix.h"
#include "reports/progress.h"

namespace tigress::harness {

namespace fs = std::filesystem;

namespace {

Result<std::vector<Manifest>> LoadManifests(const std::vector<std::string>& files) {
  std::vector<Manifest> out;
  for (const auto& f : files) {
    TIGRESS_ASSIGN_OR_RETURN(Manifest m, LoadManifest(f));
    for (const auto& existing : out) {
      if (existing.name == m.name) {
        return MakeError(Errc::kCommandUsage, "two manifests are named '" + m.name + "'");
      }
    }
    out.push_back(std::move(m));
  }
  return out;
}

ScenarioSet InteropScenarios(const ScenarioSet& all) {
  ScenarioSet out;
  for (const auto& s : all.scenarios) {
    if (s.Area() == "interop") {
      out.scenarios.push_back(s);
    }
  }
  return out;
}

// "a relay", "a device", "a relay or a device": the kinds of process no
// manifest of `o` provides although a selected case needs them.
std::string MissingKinds(const RunOptions& o, const ScenarioSet& set) {
  const auto provides = [&o](bool relay) {
    return std::any_of(o.manifests.begin(), o.manifests.end(), [relay](const Manifest& m) {
      return relay ? m.relay.has_value() : m.device.has_value();
    });
  };
  bool need_relay = false;
  bool need_device = false;
  for (const CaseSpec& c : SelectCases(set, o)) {
    for (const Role role : c.scenario->roles) {
      (IsDeviceRole(role) ? need_device : need_relay) = true;
    }
  }
  need_relay = need_relay && !provides(true);
  need_device = need_device && !provides(false);
  if (need_relay && need_device) return "a relay or a device";
  return need_relay ? "a relay" : need_device ? "a device" : "";
}

void PrintMatrix(std::ostream& out, const Runner& runner) {
  out << "\nInterop matrix:\n\n"
      << reports::RenderMatrixMarkdown(reports::ComputeMatrix(runner.result()));
}

// Runs the cases of `set` with `o`; `note` (the reference standing in) is the
// first line printed.
Result<int> RunCases(RunOptions o, const SourceTree& tree, const ScenarioSet& set,
                     const std::string& note, std::ostream& out) {
  if (!note.empty()) out << note << "\n";
  const bool matrix = o.matrix;
  Runner runner(std::move(o), tree.catalog, set);
  TIGRESS_ASSIGN_OR_RETURN(const int rc, runner.Run(out));
  if (matrix) PrintMatrix(out, runner);
  return rc;
}

}  // namespace

Result<std::string> AddReferenceForMissingRoles(RunOptions& o, const ScenarioSet& set,
                                                const std::filesystem::path& source_root,
                                                const std::string& command_line) {
  const std::string missing = MissingKinds(o, set);
  if (missing.empty()) return std::string();
  const Revision spec = o.manifests.empty() ? kDefaultRevision : o.manifests.front().spec;
  const std::string file = spec == Revision::kSct04 ? "reference-sct04.yaml" : "reference.yaml";
  const std::optional<fs::path> path = ReferenceManifestPath(source_root, spec);
  if (!path) {
    return MakeError(Errc::kCommandUsage,
                     "no --impl manifest provides " + missing + " and the reference " +
                         "implementation (implementations/" + file +
                         ") is not in a source tree the harness can find; name an "
                         "implementation for it, e.g.\n  " +
                         command_line + " --impl /path/to/tigress/implementations/" + file +
                         "\n(or set TIGRESS_SOURCE_DIR to the source tree)");
  }
  TIGRESS_ASSIGN_OR_RETURN(Manifest ref, LoadManifest(*path));
  for (const Manifest& m : o.manifests) {
    if (m.name == ref.name) {
      return MakeError(Errc::kCommandUsage, "no --impl manifest provides " + missing +
                                                " and the reference that would play it is "
                                                "named '" +
                                                ref.name + "' like " + m.path.string() +
                                                "; rename that manifest");
    }
  }
  // Only the missing kind: a vendor's device is never paired with the
  // reference device by default or in a matrix.
  if (missing == "a relay") ref.device.reset();
  if (missing == "a device") ref.relay.reset();
  if (o.spec_override) ref.spec = *o.spec_override;
  o.manifests.push_back(std::move(ref));
  const std::string plays = missing == "a relay"    ? "the reference relay"
                            : missing == "a device" ? "the reference device"
                                                    : "the reference relay and device";
  return "tigress-harness: no --impl manifest provides " + missing + "; " + plays + " (" +
         path->string() + ") " + (missing == "a relay or a device" ? "play" : "plays") + " it";
}

Result<RunOptions> BuildRunOptions(const RunFlags& flags, const SourcePaths& paths,
                                   const std::string& command_line) {
  RunOptions o;
  TIGRESS_ASSIGN_OR_RETURN(o.manifests, LoadManifests(flags.impls));
  // CLI11 already held --spec to the revisions ParseRevision knows.
  o.spec_override = ParseRevision(flags.spec);
  if (o.spec_override) {
    for (Manifest& m : o.manifests) m.spec = *o.spec_override;
  }
  o.relay_impl = flags.relay;
  o.initiator_impl = flags.initiator;
  o.recipient_impl = flags.recipient;
  o.matrix = flags.matrix;
  o.filters = SplitComma(flags.filters);
  o.skips = SplitComma(flags.skips);
  o.keywords = SplitComma(flags.keywords);
  o.jobs = flags.jobs;
  o.seed = flags.seed ? *flags.seed : std::random_device{}();
  o.repeat = flags.repeat;
  if (!flags.shard.empty()) {
    TIGRESS_ASSIGN_OR_RETURN(Shard shard, ParseShard(flags.shard));
    o.shard_index = shard.index;
    o.shard_count = shard.count;
  }
  // CLI11 already held --profile to the three names ParseProfile knows.
  o.profile = reports::ParseProfile(flags.profile).value_or(reports::Profile::kStandard);
  o.report_dir = flags.report.report_dir;
  o.run_id = flags.report.run_id;
  if (!flags.expectations.empty()) {
    TIGRESS_ASSIGN_OR_RETURN(o.expectations, LoadExpectations(flags.expectations));
    o.expectations_path = fs::absolute(flags.expectations);
  }
  o.scenarios_dir = paths.scenarios;
  o.bindir = paths.bindir;
  o.harness_exe = HarnessExecutable();
  ApplyTimeouts(flags.timeouts, o);
  o.command_line = command_line;
  o.live_progress = reports::IsTerminal(stdout);
  return o;
}

Command AddRunCommand(CLI::App& app) {
  auto* sub = app.add_subcommand(
      "run", "Run scenarios against implementations and write reports/<run-id>/");
  auto f = std::make_shared<RunFlags>();
  AddImplOption(*sub, *f);
  sub->add_option("--relay", f->relay,
                  "Manifest name that plays the relay (default: the first with a relay)");
  sub->add_option("--initiator", f->initiator,
                  "Manifest name that plays the initiator (default: the first with a device)");
  sub->add_flag("--matrix", f->matrix,
                "Run every combination of the --impl manifests for the roles each scenario uses");
  sub->add_option("--recipient", f->recipient,
                  "Manifest name that plays the recipient (default: the initiator's)");
  AddSelectionOptions(*sub, *f, OptionStyle::kRun);
  AddScheduleOptions(*sub, *f, OptionStyle::kRun);
  sub->add_option("--shard", f->shard,
                  "Run shard I of N (1-based, I/N), split by a stable hash of the case id");
  AddProfileOption(*sub, *f, OptionStyle::kRun);
  AddReportOptions(*sub, f->report, OptionStyle::kRun);
  AddExpectationsOption(*sub, *f, OptionStyle::kRun);
  AddTimeoutOptions(*sub, f->timeouts, OptionStyle::kRun);
  return {sub, [f](const CommandContext& ctx) -> Result<int> {
            TIGRESS_ASSIGN_OR_RETURN(SourceTree tree, LoadSourceTree(ctx.paths));
            TIGRESS_ASSIGN_OR_RETURN(RunOptions o,
                                     BuildRunOptions(*f, tree.paths, ctx.command_line));
            TIGRESS_ASSIGN_OR_RETURN(
                const std::string note,
                AddReferenceForMissingRoles(o, tree.scenarios, tree.paths.source_root,
                                            ctx.command_line));
            return RunCases(std::move(o), tree, tree.scenarios, note, ctx.out);
          }};
}

Command AddInteropCommand(CLI::App& app) {
  auto* sub = app.add_subcommand(
      "interop",
      "Run the interop scenarios for every relay x initiator x recipient combination of the "
      "--impl manifests and report the matrix");
  auto f = std::make_shared<RunFlags>();
  AddImplOption(*sub, *f);
  AddSelectionOptions(*sub, *f, OptionStyle::kInterop);
  AddScheduleOptions(*sub, *f, OptionStyle::kInterop);
  AddProfileOption(*sub, *f, OptionStyle::kInterop);
  AddReportOptions(*sub, f->report, OptionStyle::kInterop);
  AddExpectationsOption(*sub, *f, OptionStyle::kInterop);
  AddTimeoutOptions(*sub, f->timeouts, OptionStyle::kInterop);
  return {sub, [f, sub](const CommandContext& ctx) -> Result<int> {
            TIGRESS_ASSIGN_OR_RETURN(SourceTree tree, LoadSourceTree(ctx.paths));
            TIGRESS_ASSIGN_OR_RETURN(RunOptions o,
                                     BuildRunOptions(*f, tree.paths, ctx.command_line));
            o.matrix = true;
            if (sub->count("--jobs") == 0) {
              o.jobs = static_cast<int>(std::clamp(std::thread::hardware_concurrency(), 1U, 8U));
            }
            const ScenarioSet interop = InteropScenarios(tree.scenarios);
            TIGRESS_ASSIGN_OR_RETURN(
                const std::string note,
                AddReferenceForMissingRoles(o, interop, tree.paths.source_root, ctx.command_line));
            return RunCases(std::move(o), tree, interop, note, ctx.out);
          }};
}

}  // namespace tigress::harness
