#include "reference/device/state_file.h"

#include <fstream>

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
