#include "harness/process/adapter_client.h"

#include <filesystem>
#include <unistd.h>

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
    return StartArgv("fake-" + mode,
                     {"/usr/bin/python3",
                      std::string(TIGRESS_SOURCE_DIR) + "/tests/harness/fake_adapter.py", mode});
  }

  AdapterClient StartArgv(const std::string& name, std::vector<std::string> argv) {
    ProcessSpec s;
    s.name = name;
    s.argv = std::move(argv);
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

TEST_F(AdapterClientTest, TimesOutWhenTheAdapterNeverReadsItsStdin) {
  // sleep never reads: a request bigger than the pipe buffer cannot be written.
  AdapterClient c = StartArgv("deaf", {"/bin/sh", "-c", "exec sleep 30"});
  const Json big{{"blob", std::string(std::size_t{1} << 20, 'x')}};
  RpcOutcome out = c.Call("echo", big, 300ms);
  EXPECT_EQ(out.kind, RpcOutcome::Kind::kTimeout) << out.detail;
  EXPECT_THAT(out.detail, HasSubstr("no answer to echo within 300 ms"));
  EXPECT_THAT(out.detail, HasSubstr("not reading its stdin"));
  EXPECT_TRUE(c.broken());
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

// Answers `deep` with a result nested 100000 levels deep, anything else with {}.
constexpr const char* kDeepAdapter = R"(import json, sys
for line in sys.stdin:
    req = json.loads(line)
    body = "[" * 100000 + "]" * 100000 if req["method"] == "deep" else "{}"
    sys.stdout.write('{"jsonrpc":"2.0","id":%d,"result":%s}\n' % (req["id"], body))
    sys.stdout.flush()
)";

TEST_F(AdapterClientTest, RefusesALineNestedTooDeepAsBrokenInsteadOfCrashing) {
  AdapterClient c = StartArgv("deep", {"/usr/bin/python3", "-c", kDeepAdapter});
  ASSERT_EQ(c.Call("hello", Json::object(), 5s).kind, RpcOutcome::Kind::kResult);
  RpcOutcome r = c.Call("deep", Json::object(), 10s);
  EXPECT_EQ(r.kind, RpcOutcome::Kind::kBroken);
  EXPECT_THAT(r.detail, HasSubstr("nested deeper than 128 levels"));
  EXPECT_TRUE(c.broken());
  ASSERT_FALSE(c.Transcript().empty());
  EXPECT_THAT(c.Transcript().back(), HasSubstr("[not shown: nested deeper than 128 levels]"));
  EXPECT_LT(c.Transcript().back().size(), 400U);
}

// JsonNestingDepth itself is tested in tests/protocol/json_depth_test.cc.

TEST(RedactRpcLine, ShowsALineNestedTooDeepShortenedWithoutParsingIt) {
  const std::string deep = R"({"result":)" + std::string(100000, '[') +
                           R"({"secret":"hXlr6aRC7KgJpOLTNZaLsw=="})" + std::string(100000, ']') +
                           "}";
  const std::string red = RedactRpcLine(deep);
  EXPECT_THAT(red, HasSubstr("[not shown: nested deeper than 128 levels]"));
  EXPECT_THAT(red, ::testing::Not(HasSubstr("hXlr6aRC7KgJpOLTNZaLsw==")));
  EXPECT_LT(red.size(), 400U);
}

TEST(RedactRpcLine, KeepsALineAtTheDepthBound) {
  const std::string line = std::string(kMaxRpcDepth, '[') + std::string(kMaxRpcDepth, ']');
  EXPECT_EQ(RedactRpcLine(line), line);
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

// Found by fuzz/rpc_line_fuzz.cc: a non-string message threw out of Call.
TEST(AdapterClientLines, AnErrorWhoseMessageIsNotAStringBreaksTheClient) {
  int out[2];
  int in[2];
  ASSERT_EQ(::pipe(out), 0);
  ASSERT_EQ(::pipe(in), 0);
  const std::string line = R"({"jsonrpc":"2.0","id":1,"error":{"code":-32601,"message":{"a":1}}})"
                           "\n";
  ASSERT_EQ(::write(out[1], line.data(), line.size()), static_cast<ssize_t>(line.size()));
  ::close(out[1]);
  AdapterClient c(in[1], out[0], "fake");
  RpcOutcome r = c.Call("hello", Json::object(), 5s);
  EXPECT_EQ(r.kind, RpcOutcome::Kind::kBroken);
  EXPECT_THAT(r.detail, HasSubstr("message is not a string"));
  for (int fd : {out[0], in[0], in[1]}) ::close(fd);
}

}  // namespace
}  // namespace tigress::harness
