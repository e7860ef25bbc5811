#include "harness/cli/paths.h"

#include <cstdlib>
#include <fstream>

#include <gtest/gtest.h>

#include "harness/process/temp_dir.h"

namespace tigress::harness {
namespace {

namespace fs = std::filesystem;

// Sets or clears an environment variable for one test.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) {
      old_ = old;
    }
    if (value == nullptr) {
      ::unsetenv(name);
    } else {
      ::setenv(name, value, 1);
    }
  }
  ~ScopedEnv() {
    if (old_) {
      ::setenv(name_, old_->c_str(), 1);
    } else {
      ::unsetenv(name_);
    }
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  const char* name_;
  std::optional<std::string> old_;
};

TEST(ResolveBindir, PrefersTheFlagThenTheEnvironmentThenTheExecutable) {
  {
    ScopedEnv env("TIGRESS_BINDIR", "/env/bin");
    EXPECT_EQ(ResolveBindir("/flag/bin/../bin"), fs::path("/flag/bin"));
    EXPECT_EQ(ResolveBindir(""), fs::path("/env/bin"));
  }
  ScopedEnv empty("TIGRESS_BINDIR", "");
  EXPECT_EQ(ResolveBindir(""), fs::absolute(ExecutableDir()).lexically_normal());
}

TEST(FindSourceRoot, TakesTigressSourceDirWhenItHoldsTheSourceTree) {
  ScopedEnv env("TIGRESS_SOURCE_DIR", TIGRESS_SOURCE_DIR);
  auto root = FindSourceRoot("/");
  ASSERT_TRUE(root);
  EXPECT_EQ(fs::canonical(*root), fs::canonical(TIGRESS_SOURCE_DIR));
}

TEST(FindSourceRoot, IgnoresATigressSourceDirWithoutScenarios) {
  auto empty = TempDir::Create("tigress-paths-test", /*keep=*/false);
  ASSERT_TRUE(empty) << empty.error().Message();
  ScopedEnv env("TIGRESS_SOURCE_DIR", empty->path().c_str());
  auto root = FindSourceRoot(empty->path());
  // The working directory's ancestors may still hold a source tree.
  if (root) {
    EXPECT_NE(*root, empty->path());
  }
}

TEST(FindSourceRoot, WalksUpFromTheExecutableDirectory) {
  ScopedEnv env("TIGRESS_SOURCE_DIR", nullptr);
  auto root = FindSourceRoot(fs::path(TIGRESS_SOURCE_DIR) / "scenarios" / "relay");
  ASSERT_TRUE(root);
  EXPECT_EQ(fs::canonical(*root), fs::canonical(TIGRESS_SOURCE_DIR));
}

TEST(FindSourceRoot, TakesTheInstalledDataBesideTheExecutablesPrefix) {
  ScopedEnv env("TIGRESS_SOURCE_DIR", nullptr);
  auto prefix = TempDir::Create("tigress-paths-test", /*keep=*/false);
  ASSERT_TRUE(prefix) << prefix.error().Message();
  const fs::path data = prefix->path() / "share" / "tigress-harness";
  fs::create_directories(prefix->path() / "bin");
  fs::create_directories(data / "scenarios");
  fs::create_directories(data / "vectors");
  std::ofstream(data / "vectors" / "requirements.json") << "{}";
  auto root = FindSourceRoot(prefix->path() / "bin");
  ASSERT_TRUE(root);
  EXPECT_EQ(*root, data);
}

TEST(FindSourceRoot, IgnoresAShareFolderWithoutTheCatalogue) {
  ScopedEnv env("TIGRESS_SOURCE_DIR", nullptr);
  auto prefix = TempDir::Create("tigress-paths-test", /*keep=*/false);
  ASSERT_TRUE(prefix) << prefix.error().Message();
  fs::create_directories(prefix->path() / "bin");
  fs::create_directories(prefix->path() / "share" / "tigress-harness" / "scenarios");
  auto root = FindSourceRoot(prefix->path() / "bin");
  if (root) {
    EXPECT_NE(*root, prefix->path() / "share" / "tigress-harness");
  }
}

TEST(ResolvePaths, UsesTheFlagsOverTheSourceTree) {
  PathOptions flags{"/s", "/c/requirements.json", "/b"};
  auto p = ResolvePaths(flags);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->scenarios, fs::path("/s"));
  EXPECT_EQ(p->catalog, fs::path("/c/requirements.json"));
  EXPECT_EQ(p->bindir, fs::path("/b"));
}

TEST(ResolvePaths, DefaultsToTheSourceTreeFolders) {
  ScopedEnv env("TIGRESS_SOURCE_DIR", TIGRESS_SOURCE_DIR);
  auto p = ResolvePaths({});
  ASSERT_TRUE(p);
  EXPECT_EQ(p->scenarios, p->source_root / "scenarios");
  EXPECT_EQ(p->catalog, p->source_root / "vectors" / "requirements.json");
}

TEST(LoadSourceTree, LoadsTheCatalogueAndEveryScenario) {
  ScopedEnv env("TIGRESS_SOURCE_DIR", TIGRESS_SOURCE_DIR);
  auto tree = LoadSourceTree({});
  ASSERT_TRUE(tree) << tree.error().Message();
  EXPECT_NE(tree->catalog.Find("RELAY-31"), nullptr);
  EXPECT_NE(tree->scenarios.Find("relay/second-recipient-refused"), nullptr);
}

}  // namespace
}  // namespace tigress::harness
