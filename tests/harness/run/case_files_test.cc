#include "harness/run/case_files.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "harness/run/evidence.h"
#include "tests/support/scratch_dir.h"

namespace tigress::harness {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;

std::string Read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class CaseFiles : public ::testing::Test {
 protected:
  test_support::ScratchDir scratch{"case-files-test"};
  const fs::path& dir = scratch.path();
};

TEST_F(CaseFiles, WritesTheCaseDirectoryThroughTheRedaction) {
  CaseLog log;
  log.AppendHttp("=== t.yaml:2 (device)\n> GET /v1/m HTTP/1.1\n");
  log.AddResolvedStep({{"step", "t.yaml:2"}});
  std::ofstream(dir / "relay.stderr.log") << "relay says hi\n";
  CaseFilesInput in;
  in.case_dir = dir;
  in.case_id = "relay/a";
  in.seed = 9;
  in.scenario_text = "id: relay/a\n# TOP-SECRET-VALUE\n";
  in.variables = {{"mailbox", nlohmann::json{{"id", "m-1"}}}};
  in.log = &log;
  in.transcripts = {{"initiator", {">> {\"method\":\"hello\"}", "<< {}"}}};
  in.rerun_command = "tigress-harness run --filter relay/a";
  in.redact = [](std::string_view s) {
    std::string out(s);
    for (std::size_t at; (at = out.find("TOP-SECRET-VALUE")) != std::string::npos;) {
      out.replace(at, 16, "[redacted]");
    }
    return out;
  };
  const std::vector<reports::Attachment> files = WriteCaseFiles(in);
  std::vector<std::string> names;
  for (const auto& f : files) names.push_back(f.path);
  EXPECT_THAT(names,
              ::testing::ElementsAre("scenario.yaml", "resolved.yaml", "http.log",
                                     "initiator.jsonrpc.log", "repro.sh", "relay.stderr.log"));
  EXPECT_THAT(Read(dir / "scenario.yaml"), Not(HasSubstr("TOP-SECRET-VALUE")));
  EXPECT_THAT(Read(dir / "resolved.yaml"), HasSubstr("m-1"));
  EXPECT_THAT(Read(dir / "http.log"), HasSubstr("> GET /v1/m"));
  EXPECT_EQ(Read(dir / "initiator.jsonrpc.log"), ">> {\"method\":\"hello\"}\n<< {}\n");
  EXPECT_THAT(Read(dir / "repro.sh"), HasSubstr("exec tigress-harness run --filter relay/a"));
  EXPECT_NE(fs::status(dir / "repro.sh").permissions() & fs::perms::owner_exec, fs::perms::none);
}

TEST_F(CaseFiles, NoProbeNoHttpLog) {
  CaseLog log;
  CaseFilesInput in;
  in.case_dir = dir;
  in.log = &log;
  WriteCaseFiles(in);
  EXPECT_FALSE(fs::exists(dir / "http.log"));
  EXPECT_TRUE(fs::exists(dir / "resolved.yaml"));
}

TEST(Evidence, ShortensClaimsAndTargetsAndBodies) {
  const text::HeaderList shown =
      RedactHeaders({{"Mailbox-Device-Claim", "0123456789abcdef0123456789abcdef"}, {"A", "b"}});
  EXPECT_NE(shown[0].second, "0123456789abcdef0123456789abcdef");
  EXPECT_EQ(shown[1].second, "b");
  EXPECT_EQ(TargetOf("https://h:1/v1/m?x=1"), "/v1/m?x=1");
  EXPECT_EQ(TargetOf("https://h:1"), "/");
  EXPECT_EQ(Truncate(std::string(10, 'x'), 4), "xxxx\n...(10 bytes in all)");
  EXPECT_EQ(SafeDirName("relay/a#2 b"), "relay_a_2_b");
}

}  // namespace
}  // namespace tigress::harness
