// `vectors`: known-answer vectors against the protocol core, or through a
// manifest's device adapter.
#include <memory>

#include "harness/cli/app.h"
#include "harness/cli/command.h"
#include "harness/process/temp_dir.h"
#include "harness/kat/adapter_kat_backend.h"
#include "harness/kat/core_backend.h"
#include "harness/kat/runner.h"

namespace tigress::harness {

namespace fs = std::filesystem;

namespace {

struct VectorFlags {
  std::vector<std::string> files;
  std::string impl;
  std::string role = "device";
  bool verbose = false;
};

Result<int> RunThroughAdapter(const VectorFlags& f, const std::vector<std::string>& files,
                              const CommandContext& ctx) {
  TIGRESS_ASSIGN_OR_RETURN(SourcePaths paths, ResolvePaths(ctx.paths));
  TIGRESS_ASSIGN_OR_RETURN(Manifest m, LoadManifest(f.impl));
  TIGRESS_ASSIGN_OR_RETURN(TempDir work, TempDir::Create("tigress-vectors", /*keep=*/false));
  // The backend (and its adapter process) ends before the directory goes.
  TIGRESS_ASSIGN_OR_RETURN(auto backend, AdapterKatBackend::Start(m, paths.bindir, work.path()));
  return kat::RunVectorsCommand(files, ctx.out, *backend, f.verbose);
}

}  // namespace

Command AddVectorsCommand(CLI::App& app) {
  auto* sub = app.add_subcommand(
      "vectors", "Run known-answer vectors against the protocol core or an adapter");
  auto f = std::make_shared<VectorFlags>();
  sub->add_option("FILES", f->files, "Vector files (default: vectors/*.json except requirements*)");
  sub->add_option("--impl", f->impl,
                  "Run through this manifest's device adapter instead of the core");
  sub->add_option("--role", f->role, "Role of --impl (only 'device' has the offline methods)")
      ->check(CLI::IsMember({"device"}));
  sub->add_flag("-v,--verbose", f->verbose, "Show details of passing vectors");
  return {sub, [f](const CommandContext& ctx) -> Result<int> {
            std::vector<std::string> files = f->files;
            if (files.empty()) {
              const fs::path dir = DefaultVectorDir();
              files = kat::DefaultVectorFiles(dir);
              if (files.empty()) {
                return MakeError(Errc::kSourceTreeNotFound,
                                 "no vector files found in " + dir.string());
              }
            }
            if (f->impl.empty()) {
              kat::CoreBackend core;
              return kat::RunVectorsCommand(files, ctx.out, core, f->verbose);
            }
            return RunThroughAdapter(*f, files, ctx);
          }};
}

}  // namespace tigress::harness
