#include "harness/process/private_file.h"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include <sys/stat.h>

#include "tests/support/scratch_dir.h"

namespace tigress::harness {
namespace {

namespace fs = std::filesystem;

unsigned PrivateFileModeOf(const fs::path& p) {
  struct stat st {};
  EXPECT_EQ(::lstat(p.c_str(), &st), 0) << p;
  return st.st_mode & 07777;
}

std::string PrivateFileTextOf(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The usual umask (022) would leave a plainly written file 0644.
class PrivateFileTest : public ::testing::Test {
 protected:
  void SetUp() override { old_umask_ = ::umask(022); }
  void TearDown() override { ::umask(old_umask_); }

  test_support::ScratchDir dir_{"tigress-private-file-test"};
  mode_t old_umask_ = 0;
};

TEST_F(PrivateFileTest, CreatesTheFileReadableByItsOwnerOnly) {
  const fs::path key = dir_.path() / "server-key.pem";
  ASSERT_TRUE(WritePrivateFile(key, "-----BEGIN PRIVATE KEY-----\n"));
  EXPECT_EQ(PrivateFileModeOf(key), 0600U);
  EXPECT_EQ(PrivateFileTextOf(key), "-----BEGIN PRIVATE KEY-----\n");
}

TEST_F(PrivateFileTest, ReplacesAnExistingFilesContentAndMakesIt0600) {
  const fs::path key = dir_.path() / "server-key.pem";
  std::ofstream(key) << "an older and much longer content";
  fs::permissions(key, fs::perms::all, fs::perm_options::replace);
  ASSERT_TRUE(WritePrivateFile(key, "new"));
  EXPECT_EQ(PrivateFileModeOf(key), 0600U);
  EXPECT_EQ(PrivateFileTextOf(key), "new");
}

TEST_F(PrivateFileTest, DoesNotFollowASymbolicLink) {
  const fs::path target = dir_.path() / "elsewhere";
  std::ofstream(target) << "untouched";
  const fs::path key = dir_.path() / "server-key.pem";
  fs::create_symlink(target, key);
  auto r = WritePrivateFile(key, "secret");
  ASSERT_FALSE(r);
  EXPECT_TRUE(r.error().Is(Errc::kIoFailure)) << r.error().Message();
  EXPECT_EQ(PrivateFileTextOf(target), "untouched");
}

TEST_F(PrivateFileTest, FailsInADirectoryThatDoesNotExist) {
  auto r = WritePrivateFile(dir_.path() / "missing" / "key.pem", "x");
  ASSERT_FALSE(r);
  EXPECT_TRUE(r.error().Is(Errc::kIoFailure));
  EXPECT_NE(r.error().detail.find("missing/key.pem"), std::string::npos) << r.error().detail;
}

}  // namespace
}  // namespace tigress::harness
