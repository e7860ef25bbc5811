#include "harness/process/adapter_client.h"

#include <filesystem>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "harness/process/supervisor.h"
#include "tests/support/scratch_dir.h"

namespace tigress::harness {
namespace {

using ::testing::HasSubstr;
using Json = nlohmann::json;
using namespace std::chrono_literals;

class AdapterClientTest : public ::testing::Test {
 protected:
  void TearDown() override { proc_.reset(); }

  AdapterClient Start(const std::string& mode) {
    ProcessSpec s;
    s.name = "fake-" + mode;
    s.argv = {"/usr/bin/python3",
              std::string(TIGRESS_SOURCE_DIR) + "/tests/harness/fake_adapter.py", mode};
    s.workdir = dir_ / "work";
    s.stderr_path = dir_ / "stderr.log";
    s.pipe_stdio = true;
    s.grace = 500ms;
    auto p = Process::Start(s);
    EXPECT_TRUE(p) << p.error().Message();
    proc_ = std::move(*p);
    Process* raw = proc_.get();
    return AdapterClient(proc_->stdin_fd(), proc_->stdout_fd(), s.name, [raw] {
      raw->WaitExit(2s);
      return raw->ExitDescription() + "; stderr: " + raw->StderrTail(200);
    });
  }

  test_support::ScratchDir scratch_{"tigress-adp"};
  const std::filesystem::path dir_ = scratch_.path();
  std::unique_ptr<Process> proc_;
};

TEST_F(AdapterClientTest, AcceptsAnAdapterThatPassesTheContractProbe) {
  AdapterClient c = Start("good");
  auto hello = ContractProbe(c, 5s);
  ASSERT_TRUE(hello) << hello.error().Message();
  EXPECT_EQ(hello->name, "fake");
  EXPECT_THAT(hello->features, ::testing::ElementsAre("x"));
  RpcOutcome echo = c.Call("echo", Json{{"a", 1}}, 5s);
  ASSERT_EQ(echo.kind, RpcOutcome::Kind::kResult);
  EXPECT_EQ(echo.result, (Json{{"a", 1}}));
  RpcOutcome fail = c.Call("fail", Json::object(), 5s);
  ASSERT_EQ(fail.kind, RpcOutcome::Kind::kError);
  EXPECT_EQ(fail.code, 1002);
  EXPECT_EQ(fail.Document()["error"]["data"]["status"], 401);
}

TEST_F(AdapterClientTest, RejectsAnAdapterThatAnswersUnknownMethods) {
  AdapterClient c = Start("noprobe");
  auto hello = ContractProbe(c, 5s);
  ASSERT_FALSE(hello);
  EXPECT_TRUE(hello.error().Is(Errc::kContractProbeFailed)) << hello.error().Message();
  EXPECT_THAT(hello.error().Message(), HasSubstr("-32601"));
}

TEST_F(AdapterClientTest, TimesOutOnAHungCallAndStaysUsableForNothingElse) {
  AdapterClient c = Start("hang");
  ASSERT_TRUE(ContractProbe(c, 5s));
  RpcOutcome slow = c.Call("slow", Json::object(), 300ms);
  EXPECT_EQ(slow.kind, RpcOutcome::Kind::kTimeout);
  EXPECT_THAT(slow.detail, HasSubstr("no answer to slow within 300 ms"));
  // A late answer could be mistaken for the next one, so the client refuses.
  RpcOutcome next = c.Call("echo", Json::object(), 1s);
  EXPECT_EQ(next.kind, RpcOutcome::Kind::kBroken);
  EXPECT_TRUE(c.broken());
}

TEST_F(AdapterClientTest, ReportsGarbageOnStdoutAsBroken) {
  AdapterClient c = Start("garbage");
  ASSERT_TRUE(ContractProbe(c, 5s));
  RpcOutcome r = c.Call("noise", Json::object(), 5s);
  EXPECT_EQ(r.kind, RpcOutcome::Kind::kBroken);
  EXPECT_THAT(r.detail, HasSubstr("not a JSON object: 'this is not json'"));
}

TEST_F(AdapterClientTest, ReportsACrashWithTheExitStatus) {
  AdapterClient c = Start("crash");
  ASSERT_TRUE(ContractProbe(c, 5s));
  RpcOutcome r = c.Call("die", Json::object(), 5s);
  EXPECT_EQ(r.kind, RpcOutcome::Kind::kBroken);
  EXPECT_THAT(r.detail, HasSubstr("closed stdout"));
  EXPECT_THAT(r.detail, HasSubstr("exited with status 3"));
}

TEST(RedactRpcLine, HidesSecretsPlaintextAndFragments) {
  std::string line =
      Json{{"params",
            {{"secret", "hXlr6aRC7KgJpOLTNZaLsw=="},
             {"shareUrl", "https://r/v1/m/x#hXlr6aRC7KgJpOLTNZaLsw=="},
             {"provisioningInfo", {{"format", "f"}, {"content", "PLAINTEXT-CANARY"}}}}}}
          .dump();
  std::string red = RedactRpcLine(line);
  EXPECT_THAT(red, ::testing::Not(HasSubstr("hXlr6aRC7KgJpOLTNZaLsw==")));
  EXPECT_THAT(red, ::testing::Not(HasSubstr("PLAINTEXT-CANARY")));
  EXPECT_THAT(red, HasSubstr("\"format\":\"f\""));
}

}  // namespace
}  // namespace tigress::harness
