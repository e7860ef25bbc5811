#include "harness/process/temp_dir.h"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

namespace tigress::harness {
namespace {

namespace fs = std::filesystem;

TEST(TempDir, CreatesAPrivateDirectoryNamedAfterThePrefix) {
  auto dir = TempDir::Create("tigress-temp-dir-test", /*keep=*/false);
  ASSERT_TRUE(dir) << dir.error().Message();
  EXPECT_TRUE(fs::is_directory(dir->path()));
  EXPECT_EQ(dir->path().parent_path(), fs::temp_directory_path());
  EXPECT_EQ(dir->path().filename().string().rfind("tigress-temp-dir-test-", 0), 0U);
  struct stat st {};
  ASSERT_EQ(::stat(dir->path().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700U);
}

TEST(TempDir, GivesEveryCallADifferentDirectory) {
  auto a = TempDir::Create("tigress-temp-dir-test", /*keep=*/false);
  auto b = TempDir::Create("tigress-temp-dir-test", /*keep=*/false);
  ASSERT_TRUE(a && b);
  EXPECT_NE(a->path(), b->path());
}

TEST(TempDir, RemovesItsDirectoryAndContentsUnlessKept) {
  fs::path gone;
  fs::path kept;
  {
    auto a = TempDir::Create("tigress-temp-dir-test", /*keep=*/false);
    auto b = TempDir::Create("tigress-temp-dir-test", /*keep=*/true);
    ASSERT_TRUE(a && b);
    fs::create_directories(a->path() / "x");
    std::ofstream(a->path() / "x" / "file") << "data";
    gone = a->path();
    kept = b->path();
  }
  EXPECT_FALSE(fs::exists(gone));
  EXPECT_TRUE(fs::exists(kept));
  fs::remove_all(kept);
}

TEST(TempDir, AMovedFromDirectoryNoLongerOwnsThePath) {
  auto a = TempDir::Create("tigress-temp-dir-test", /*keep=*/false);
  ASSERT_TRUE(a);
  const fs::path p = a->path();
  {
    TempDir moved = std::move(*a);
    EXPECT_EQ(moved.path(), p);
    EXPECT_TRUE(a->path().empty());
  }
  EXPECT_FALSE(fs::exists(p)) << "the new owner removed it";
}

TEST(TempDir, NeverReusesADirectoryPlantedAtAPredictableName) {
  // The harness once named its directories "<prefix>-<pid>-<counter>" and
  // emptied whatever was there: another local user could plant the
  // directory first (and own it). Plant every such name this process could get.
  const std::string prefix = "tigress-temp-dir-plant";
  const fs::path base = fs::temp_directory_path();
  std::vector<fs::path> planted;
  for (int n = 0; n < 64; ++n) {
    const fs::path p = base / (prefix + "-" + std::to_string(::getpid()) + "-" + std::to_string(n));
    fs::create_directories(p);
    std::ofstream(p / "planted") << "not the harness's";
    planted.push_back(p);
  }
  fs::path used;
  {
    auto dir = TempDir::Create(prefix, /*keep=*/false);
    ASSERT_TRUE(dir) << dir.error().Message();
    used = dir->path();
    EXPECT_EQ(std::count(planted.begin(), planted.end(), used), 0) << used << " was planted";
    EXPECT_TRUE(fs::is_empty(used)) << "a fresh directory, not a planted one";
  }
  for (const fs::path& p : planted) {
    std::ifstream in(p / "planted");
    std::string content;
    std::getline(in, content);
    EXPECT_EQ(content, "not the harness's") << p;
    fs::remove_all(p);
  }
}

TEST(TempDir, FailsWhenTheTempDirectoryCannotBeWritten) {
  const char* old = std::getenv("TMPDIR");
  const std::string saved = old != nullptr ? old : "";
  ::setenv("TMPDIR", "/nonexistent-tigress-dir", 1);
  auto dir = TempDir::Create("tigress-temp-dir-test", /*keep=*/false);
  if (old != nullptr) {
    ::setenv("TMPDIR", saved.c_str(), 1);
  } else {
    ::unsetenv("TMPDIR");
  }
  ASSERT_FALSE(dir);
  EXPECT_TRUE(dir.error().Is(Errc::kIoFailure)) << dir.error().Message();
}

}  // namespace
}  // namespace tigress::harness
