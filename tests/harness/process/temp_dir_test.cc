#include "harness/process/temp_dir.h"

#include <cstdlib>
#include <fstream>
#include <utility>

#include <gtest/gtest.h>

#include <sys/stat.h>

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
