// File: harness/cli/paths.h
//
// Where the harness finds its inputs, in one place: the source tree
// (scenarios/, vectors/, vectors/requirements.json), the {bindir} placeholder
// and the harness's own executable.
//
//   PathOptions flags;  // --scenarios, --catalog, --bindir
//   TIGRESS_ASSIGN_OR_RETURN(SourceTree tree, LoadSourceTree(flags));
//
// Rules:
//   source root  $TIGRESS_SOURCE_DIR, then <exe dir>/../share/tigress-harness
//                (an installed harness: `cmake --install` or the .deb), then
//                the ancestors of the executable's directory, then those of
//                the working directory: the first holding scenarios/ and
//                vectors/requirements.json
//   scenarios    --scenarios, else <root>/scenarios
//   catalogue    --catalog, else <root>/vectors/requirements.json
//   vectors      <root>/vectors, else ./vectors
//   bindir       --bindir, else $TIGRESS_BINDIR, else the executable's
//                directory; always absolute and normalised
//   reference    <root>/implementations/reference.yaml, or
//                reference-sct04.yaml for sct-04 (the implementation that
//                plays a role no --impl manifest provides)
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "harness/scenario/scenario.h"
#include "protocol/result.h"
#include "protocol/revision.h"
#include "reports/requirements.h"

namespace tigress::harness {

// `PathOptions` are the global flags; empty means "use the rule above".
struct PathOptions {
  std::string scenarios_dir;
  std::string catalog_file;
  std::string bindir;
};

// `SourcePaths` are the rules applied.
struct SourcePaths {
  std::filesystem::path source_root;  // empty when no source tree was found
  std::filesystem::path scenarios;
  std::filesystem::path catalog;
  std::filesystem::path bindir;
};

// `SourceTree` is the catalogue and the scenarios loaded from `paths`.
struct SourceTree {
  SourcePaths paths;
  reports::Catalog catalog;
  ScenarioSet scenarios;
};

// `ExecutableDir` is the directory of the running executable (/proc/self/exe),
// or the working directory when that cannot be read.
std::filesystem::path ExecutableDir();

// `HarnessExecutable` is this program, as rerun commands name it.
std::filesystem::path HarnessExecutable();

// `FindSourceRoot` applies the source-root rule, starting from `exe_dir`.
std::optional<std::filesystem::path> FindSourceRoot(const std::filesystem::path& exe_dir);

// `ResolveBindir` applies the bindir rule to the --bindir value `flag`.
std::filesystem::path ResolveBindir(const std::string& flag);

// `DefaultVectorDir` applies the vectors rule.
std::filesystem::path DefaultVectorDir();

// `ResolvePaths` applies every rule; fails with kSourceTreeNotFound when the
// scenarios or the catalogue have neither a flag nor a source root.
Result<SourcePaths> ResolvePaths(const PathOptions& flags);

// `ReferenceManifestPath` applies the reference rule for revision `spec`:
// the file when `source_root` is set and holds it, else nullopt.
std::optional<std::filesystem::path> ReferenceManifestPath(const std::filesystem::path& source_root,
                                                           Revision spec);

// `LoadSourceTree` resolves the paths and loads the catalogue, then the
// scenarios (whose requirement IDs must be in the catalogue).
Result<SourceTree> LoadSourceTree(const PathOptions& flags);

}  // namespace tigress::harness
