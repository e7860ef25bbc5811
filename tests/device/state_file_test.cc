#include "reference/device/state_file.h"

#include <algorithm>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/support/scratch_dir.h"
#include <sys/stat.h>

namespace tigress::device {
namespace {

using test_support::ScratchDir;

StateFile Sample() {
  StateFile f;
  f.state.role = Role::kRecipient;
  f.state.mailbox_url = "https://relay.test/v1/m/2bba630e-519b-41ec-bf63-0242ac130002?v=c";
  f.state.claim = "4c9a4f6e-0f59-4a43-9a44-6a0ee8c1f1a1";
  f.state.secret = Bytes(32, 9);
  f.state.written = {"AAAA"};
  f.state.returned = {"BBBB", "CCCC"};
  f.ca_file = "/tmp/ca.pem";
  return f;
}

mode_t ModeOf(const std::filesystem::path& p) {
  struct stat st {};
  EXPECT_EQ(stat(p.c_str(), &st), 0);
  return st.st_mode & 0777;
}

TEST(StateFile, RoundTripsWithMode0600) {
  ScratchDir dir("tigress-state-file");
  auto path = dir.path() / "state.json";
  ASSERT_TRUE(SaveStateFile(path, Sample()));
  EXPECT_EQ(ModeOf(path), 0600u);
  StateFile back = LoadStateFile(path).value();
  EXPECT_EQ(back.state, Sample().state);
  EXPECT_EQ(back.ca_file, "/tmp/ca.pem");
}

TEST(StateFile, TightensAnExistingWorldReadableFile) {
  ScratchDir dir("tigress-state-file");
  auto path = dir.path() / "state.json";
  { std::ofstream(path) << "{}"; }
  chmod(path.c_str(), 0644);
  ASSERT_TRUE(SaveStateFile(path, Sample()));
  EXPECT_EQ(ModeOf(path), 0600u);
}

// Entries of `dir` other than `keep`: what a save left behind.
std::vector<std::string> OtherEntries(const std::filesystem::path& dir,
                                      const std::vector<std::string>& keep) {
  std::vector<std::string> out;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    std::string name = e.path().filename().string();
    if (std::find(keep.begin(), keep.end(), name) == keep.end()) out.push_back(name);
  }
  return out;
}

TEST(StateFile, LeavesAFilePlantedUnderTheOldTemporaryNameUntouched) {
  ScratchDir dir("tigress-state-file");
  auto path = dir.path() / "state.json";
  auto planted = dir.path() / "state.json.tmp";
  { std::ofstream(planted) << "planted"; }
  ASSERT_TRUE(SaveStateFile(path, Sample()));
  std::ifstream in(planted);
  std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(content, "planted");
  EXPECT_EQ(LoadStateFile(path).value().state, Sample().state);
  EXPECT_TRUE(OtherEntries(dir.path(), {"state.json", "state.json.tmp"}).empty());
}

TEST(StateFile, SavesThoughADirectoryOrSymlinkSitsAtTheOldTemporaryName) {
  ScratchDir dir("tigress-state-file");
  auto path = dir.path() / "state.json";
  std::filesystem::create_directory(dir.path() / "state.json.tmp");
  ASSERT_TRUE(SaveStateFile(path, Sample()));
  std::filesystem::remove(dir.path() / "state.json.tmp");
  std::filesystem::create_symlink(dir.path() / "elsewhere", dir.path() / "state.json.tmp");
  ASSERT_TRUE(SaveStateFile(path, Sample()));
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "elsewhere"));
  EXPECT_EQ(LoadStateFile(path).value().state, Sample().state);
}

TEST(StateFile, ErrorsNameThePathAndTheField) {
  ScratchDir dir("tigress-state-file");
  auto path = dir.path() / "bad.json";
  { std::ofstream(path) << R"({"role":"initiator","mailboxUrl":"u","claim":"c","secret":"%%%"})"; }
  auto r = LoadStateFile(path);
  ASSERT_FALSE(r);
  EXPECT_TRUE(r.error().Is(Errc::kStateFileInvalid));
  EXPECT_NE(r.error().detail.find("bad.json"), std::string::npos);
  EXPECT_NE(r.error().detail.find("secret"), std::string::npos);
  EXPECT_TRUE(LoadStateFile(dir.path() / "missing.json").error().Is(Errc::kStateFileInvalid));
}

}  // namespace
}  // namespace tigress::device
