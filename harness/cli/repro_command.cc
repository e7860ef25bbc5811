// `repro`: rerun the case of a reproduction bundle (harness/cli/repro.h).
#include <memory>

#include "harness/cli/command.h"
#include "harness/cli/options.h"
#include "harness/cli/repro.h"

namespace tigress::harness {

namespace {

struct ReproFlags {
  std::string bundle;
  std::vector<std::string> impls;
  ReportLocation report;
  bool keep = false;
  bool trust_bundle = false;
  Timeouts timeouts;
};

}  // namespace

Command AddReproCommand(CLI::App& app) {
  auto* sub = app.add_subcommand(
      "repro",
      "Rerun the case of a reproduction bundle (cases/<case>/repro-<case>.tar.gz); exit 0 not "
      "reproduced, 1 reproduced, 3 fails differently, 2 error");
  auto f = std::make_shared<ReproFlags>();
  sub->add_option("BUNDLE", f->bundle, "The bundle (.tar.gz)")->required();
  sub->add_option("--impl", f->impls,
                  "Run against these manifests instead of the bundle's own; repeatable");
  AddReportOptions(*sub, f->report, OptionStyle::kRepro);
  sub->add_flag("--keep", f->keep, "Keep the unpacked bundle and print where it is");
  sub->add_flag("--trust-bundle", f->trust_bundle,
                "Run the commands of the bundle's own manifests (printed first); without it "
                "and without --impl, repro only prints them");
  AddTimeoutOptions(*sub, f->timeouts, OptionStyle::kRepro);
  return {sub, [f](const CommandContext& ctx) -> Result<int> {
            TIGRESS_ASSIGN_OR_RETURN(SourceTree tree, LoadSourceTree(ctx.paths));
            ReproOptions o;
            o.bundle = f->bundle;
            for (const auto& file : f->impls) {
              TIGRESS_ASSIGN_OR_RETURN(Manifest m, LoadManifest(file));
              o.manifests.push_back(std::move(m));
            }
            o.bindir = tree.paths.bindir;
            o.harness_exe = HarnessExecutable();
            o.report_dir = f->report.report_dir;
            o.run_id = f->report.run_id;
            o.keep = f->keep;
            o.trust_bundle = f->trust_bundle;
            ApplyTimeouts(f->timeouts, o);
            o.command_line = ctx.command_line;
            return RunRepro(o, tree.catalog, ctx.out);
          }};
}

}  // namespace tigress::harness
