#include "harness/cli/paths.h"

#include <cstdlib>

namespace tigress::harness {

namespace fs = std::filesystem;

namespace {

// An unset and an empty variable mean the same: use the next rule.
std::optional<std::string> NonEmptyEnv(const char* name) {
  const char* v = std::getenv(name);
  if (v == nullptr || *v == 0) {
    return std::nullopt;
  }
  return std::string(v);
}

bool LooksLikeSourceRoot(const fs::path& p) {
  std::error_code ec;
  return fs::is_directory(p / "scenarios", ec) &&
         fs::is_regular_file(p / "vectors" / "requirements.json", ec);
}

}  // namespace

fs::path ExecutableDir() {
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  return ec ? fs::current_path() : exe.parent_path();
}

fs::path HarnessExecutable() { return ExecutableDir() / "tigress-harness"; }

std::optional<fs::path> FindSourceRoot(const fs::path& exe_dir) {
  if (auto env = NonEmptyEnv("TIGRESS_SOURCE_DIR"); env && LooksLikeSourceRoot(*env)) {
    return fs::path(*env);
  }
  // Checked before the walk so that an installed harness uses the data it was
  // installed with even when it runs from inside some source checkout.
  if (fs::path installed = exe_dir.parent_path() / "share" / "tigress-harness";
      LooksLikeSourceRoot(installed)) {
    return installed.lexically_normal();
  }
  for (const fs::path& start : {exe_dir, fs::current_path()}) {
    for (fs::path p = start; !p.empty(); p = p.parent_path()) {
      if (LooksLikeSourceRoot(p)) {
        return p;
      }
      if (p == p.parent_path()) {
        break;
      }
    }
  }
  return std::nullopt;
}

fs::path ResolveBindir(const std::string& flag) {
  fs::path dir;
  if (!flag.empty()) {
    dir = flag;
  } else if (auto env = NonEmptyEnv("TIGRESS_BINDIR")) {
    dir = *env;
  } else {
    dir = ExecutableDir();
  }
  return fs::absolute(dir).lexically_normal();
}

fs::path DefaultVectorDir() {
  auto root = FindSourceRoot(ExecutableDir());
  return root ? *root / "vectors" : fs::path("vectors");
}

Result<SourcePaths> ResolvePaths(const PathOptions& flags) {
  SourcePaths p;
  auto root = FindSourceRoot(ExecutableDir());
  if (root) {
    p.source_root = *root;
  }
  if (!flags.scenarios_dir.empty()) {
    p.scenarios = flags.scenarios_dir;
  } else if (root) {
    p.scenarios = *root / "scenarios";
  }
  if (!flags.catalog_file.empty()) {
    p.catalog = flags.catalog_file;
  } else if (root) {
    p.catalog = *root / "vectors" / "requirements.json";
  }
  if (p.scenarios.empty() || p.catalog.empty()) {
    return MakeError(Errc::kSourceTreeNotFound,
                     "cannot find the scenarios/ and vectors/requirements.json of the source "
                     "tree; pass --scenarios and --catalog, or set TIGRESS_SOURCE_DIR");
  }
  p.bindir = ResolveBindir(flags.bindir);
  return p;
}

std::optional<fs::path> ReferenceManifestPath(const fs::path& source_root, Revision spec) {
  if (source_root.empty()) {
    return std::nullopt;
  }
  const fs::path file = source_root / "implementations" /
                        (spec == Revision::kSct04 ? "reference-sct04.yaml" : "reference.yaml");
  std::error_code ec;
  if (!fs::is_regular_file(file, ec)) {
    return std::nullopt;
  }
  return file;
}

Result<SourceTree> LoadSourceTree(const PathOptions& flags) {
  SourceTree tree;
  TIGRESS_ASSIGN_OR_RETURN(tree.paths, ResolvePaths(flags));
  TIGRESS_ASSIGN_OR_RETURN(tree.catalog, reports::LoadCatalog(tree.paths.catalog));
  const reports::Catalog* catalog = &tree.catalog;
  TIGRESS_ASSIGN_OR_RETURN(tree.scenarios,
                           LoadScenarioDir(tree.paths.scenarios, [catalog](const std::string& id) {
                             return catalog->Find(id) != nullptr;
                           }));
  return tree;
}

}  // namespace tigress::harness
