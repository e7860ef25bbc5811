// `replay`: a recorded transcript against a fresh relay (harness/repro/replay.h).
#include <memory>

#include "harness/cli/command.h"
#include "harness/cli/options.h"
#include "harness/repro/replay.h"

namespace tigress::harness {

namespace {

struct ReplayFlags {
  std::string transcript;
  std::string relay;
  bool keep = false;
  Timeouts timeouts;
};

}  // namespace

Command AddReplayCommand(CLI::App& app) {
  auto* sub = app.add_subcommand(
      "replay",
      "Replay a recorded transcript (HAR) against a fresh relay and show where its answers "
      "differ; exit 0 all same, 1 some differ, 2 error");
  auto f = std::make_shared<ReplayFlags>();
  sub->add_option("TRANSCRIPT", f->transcript, "The transcript (cases/<case>/transcript.har)")
      ->required();
  sub->add_option("--relay", f->relay, "Manifest whose relay is started")->required();
  AddTimeoutOptions(*sub, f->timeouts, OptionStyle::kReplay);
  sub->add_flag("--keep", f->keep, "Keep the relay's work directory and logs");
  return {sub, [f](const CommandContext& ctx) -> Result<int> {
            ReplayOptions o;
            o.transcript = f->transcript;
            o.relay_manifest = f->relay;
            o.bindir = ResolveBindir(ctx.paths.bindir);
            o.http_timeout = std::chrono::milliseconds(f->timeouts.http_ms);
            o.keep = f->keep;
            return RunReplay(o, ctx.out);
          }};
}

}  // namespace tigress::harness
