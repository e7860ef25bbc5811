// The test support's own tests: scratch directories, the bounded poll, the
// process helpers on top of the supervisor, with /bin/sh as the child, and the
// loopback TLS listener against the raw TLS client.
#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <thread>
#include <unistd.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/support/adapter_process.h"
#include "tests/support/relay_process.h"
#include "tests/support/scratch_dir.h"
#include "tests/support/tls_clients.h"
#include "tests/support/tls_listener.h"
#include "tests/support/wait_for.h"
#include <sys/stat.h>

namespace tigress::test_support {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using namespace std::chrono_literals;

TEST(ScratchDir, IsAPrivateDirectoryRemovedWithItsContents) {
  fs::path where;
  {
    ScratchDir dir("tigress-support");
    where = dir.path();
    struct stat st {};
    ASSERT_EQ(::stat(where.c_str(), &st), 0);
    EXPECT_TRUE(S_ISDIR(st.st_mode));
    EXPECT_EQ(st.st_mode & 0777, 0700u);
    EXPECT_THAT(where.filename().string(), ::testing::StartsWith("tigress-support-"));
    fs::create_directories(where / "a" / "b");
    std::ofstream(where / "a" / "b" / "f") << "x";
  }
  EXPECT_FALSE(fs::exists(where));
}

TEST(ScratchDir, IsDistinctForEveryObjectWithTheSamePrefix) {
  ScratchDir a("same");
  ScratchDir b("same");
  EXPECT_NE(a.path(), b.path());
}

TEST(ScratchDir, TurnsAParameterisedTestNameIntoOneDirectory) {
  ScratchDir dir("Suite/Case/0");
  EXPECT_EQ(dir.path().parent_path(), fs::temp_directory_path());
  EXPECT_THAT(dir.path().filename().string(), ::testing::StartsWith("Suite_Case_0-"));
}

TEST(ScratchDir, StaysWhenKept) {
  fs::path where;
  {
    ScratchDir dir("tigress-kept");
    where = dir.path();
    dir.Keep();
  }
  EXPECT_TRUE(fs::is_directory(where));
  fs::remove_all(where);
}

TEST(WaitFor, SucceedsAtOnceWhenTheConditionAlreadyHolds) {
  int calls = 0;
  EXPECT_TRUE(WaitFor([&] { return ++calls > 0; }, 1s));
  EXPECT_EQ(calls, 1);
}

TEST(WaitFor, SucceedsWhenTheConditionComesToHold) {
  int calls = 0;
  EXPECT_TRUE(WaitFor([&] { return ++calls == 4; }, 5s));
  EXPECT_EQ(calls, 4);
}

TEST(WaitFor, FailsAfterTheBoundAndSaysWhatItWaitedFor) {
  const auto start = std::chrono::steady_clock::now();
  ::testing::AssertionResult r = WaitFor([] { return false; }, 120ms, "the sweep");
  const auto took = std::chrono::steady_clock::now() - start;
  EXPECT_FALSE(r);
  EXPECT_THAT(r.message(), HasSubstr("the sweep did not hold within 120 ms"));
  EXPECT_GE(took, 120ms);
  EXPECT_LT(took, 2s);
}

class ChildProcessTest : public ::testing::Test {
 protected:
  ScratchDir dir_{"tigress-child"};
};

TEST_F(ChildProcessTest, ReadsThePortFromTheReadyLineAndKillsTheServerWhenDestroyed) {
  auto p = ChildProcess::StartAndWaitReady({"/bin/sh", "-c", "echo READY 4242; exec sleep 30"},
                                           dir_.path() / "log");
  ASSERT_TRUE(p) << p.error().Message();
  EXPECT_EQ((*p)->port(), 4242);
  EXPECT_EQ((*p)->ready_line(), "READY 4242");
  EXPECT_EQ((*p)->BaseUrl(), "https://127.0.0.1:4242");
  const int pid = (*p)->pid();
  p->reset();
  EXPECT_NE(::kill(pid, 0), 0) << "the child outlived its ChildProcess";
}

TEST_F(ChildProcessTest, NamesTheStatusOfAServerThatExitsBeforeItIsReady) {
  auto p = ChildProcess::StartAndWaitReady({"/bin/sh", "-c", "echo no cert >&2; exit 2"},
                                           dir_.path() / "log");
  ASSERT_FALSE(p);
  EXPECT_TRUE(p.error().Is(Errc::kProcessDied)) << p.error().Message();
  EXPECT_THAT(p.error().Message(), HasSubstr("status 2"));
  EXPECT_THAT(p.error().Message(), HasSubstr("no cert"));
}

TEST_F(ChildProcessTest, GivesUpOnASilentServerAfterTheTimeout) {
  auto p = ChildProcess::StartAndWaitReady({"/bin/sh", "-c", "exec sleep 30"}, dir_.path() / "log",
                                           200ms);
  ASSERT_FALSE(p);
  EXPECT_TRUE(p.error().Is(Errc::kProcessNotReady)) << p.error().Message();
}

TEST_F(ChildProcessTest, ReportsTheExitCodeAfterASignal) {
  auto p = ChildProcess::StartAndWaitReady(
      {"/bin/sh", "-c", "trap 'exit 5' TERM; echo READY 1; while :; do sleep 0.05; done"},
      dir_.path() / "log");
  ASSERT_TRUE(p) << p.error().Message();
  (*p)->Signal(SIGTERM);
  auto code = (*p)->WaitExit(5s);
  ASSERT_TRUE(code) << code.error().Message();
  EXPECT_EQ(*code, 5);
  EXPECT_EQ((*p)->WaitExit(0ms).value(), 5) << "the same code when asked again";
}

TEST_F(ChildProcessTest, WaitExitFailsWhileTheProcessRuns) {
  auto p = ChildProcess::StartAndWaitReady({"/bin/sh", "-c", "echo READY 1; exec sleep 30"},
                                           dir_.path() / "log");
  ASSERT_TRUE(p) << p.error().Message();
  EXPECT_FALSE((*p)->WaitExit(50ms));
  (*p)->Signal(SIGKILL);
  EXPECT_EQ((*p)->WaitExit(5s).value(), 128 + SIGKILL);
}

TEST(ChildProcessRun, ReturnsTheExitCodeAndStdoutBeforeStderr) {
  auto r = ChildProcess::Run({"/bin/sh", "-c", "echo err >&2; echo out; exit 3"});
  ASSERT_TRUE(r) << r.error().Message();
  EXPECT_EQ(r->first, 3);
  EXPECT_EQ(r->second, "out\nerr\n");
}

TEST(ChildProcessRun, ReportsAKillingSignalAs128PlusItsNumber) {
  auto r = ChildProcess::Run({"/bin/sh", "-c", "kill -9 $$"});
  ASSERT_TRUE(r) << r.error().Message();
  EXPECT_EQ(r->first, 128 + SIGKILL);
}

TEST(ChildProcessRun, KillsACommandThatOutlivesTheTimeout) {
  const auto start = std::chrono::steady_clock::now();
  auto r = ChildProcess::Run({"/bin/sh", "-c", "exec sleep 30"}, 200ms);
  ASSERT_TRUE(r) << r.error().Message();
  EXPECT_GE(r->first, 128);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 10s);
}

TEST(ChildProcessRun, FailsForAMissingExecutable) {
  auto r = ChildProcess::Run({"/nonexistent/tigress-nothing"});
  ASSERT_FALSE(r);
  EXPECT_TRUE(r.error().Is(Errc::kProcessStartFailed));
}

// A one-request-at-a-time adapter: answers the first call with the
// environment's GREETING, the second line with words, and exits 4 on the third.
constexpr const char* kScriptedAdapter =
    "read l; echo '{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":\"'\"$GREETING\"'\"}'; "
    "read l; echo 'plain words'; read l; exit 4";

TEST(AdapterProcess, CallsThroughTheClientSendsRawLinesAndReportsTheExit) {
  ScratchDir dir("tigress-adapter");
  auto p = AdapterProcess::Start({"/bin/sh", "-c", kScriptedAdapter}, {{"GREETING", "hi"}},
                                 dir.path() / "stderr");
  ASSERT_TRUE(p) << p.error().Message();
  auto hello = (*p)->Call("hello", Json::object(), 5s);
  ASSERT_TRUE(hello) << hello.error().Message();
  EXPECT_EQ(*hello, (Json{{"result", "hi"}}));
  EXPECT_EQ((*p)->SendRaw("{oops", 5s).value(), "plain words");
  auto last = (*p)->Call("shutdown", Json::object(), 5s);
  EXPECT_FALSE(last) << "the adapter exited without answering";
  EXPECT_EQ((*p)->WaitExit(5s).value(), 4);
}

TEST(LoopbackTlsListener, GivesUpWhenNoClientComesWithinTheWait) {
  auto pki = pki::MakeTestPki();
  ASSERT_TRUE(pki) << pki.error().Message();
  LoopbackTlsListener listener(*pki);
  ASSERT_TRUE(listener.ok());
  EXPECT_GT(listener.port(), 0);
  EXPECT_EQ(listener.Accept(20ms, 1s), -1);
}

TEST(LoopbackTlsListener, CompletesAHandshakeWithAClientTrustingTheTestCa) {
  auto pki = pki::MakeTestPki();
  ASSERT_TRUE(pki) << pki.error().Message();
  LoopbackTlsListener listener(*pki);
  ASSERT_TRUE(listener.ok());
  int accepted = -1;
  int handshake = 0;
  std::thread server([&] {
    accepted = listener.Accept(5s, 5s);
    if (accepted < 0) return;
    SSL* ssl = SSL_new(listener.ctx());
    SSL_set_fd(ssl, accepted);
    handshake = SSL_accept(ssl);
    if (handshake == 1) SSL_write(ssl, "hi", 2);
    SSL_free(ssl);
    ::close(accepted);
  });
  auto client = RawTlsConnection::Connect(listener.port(), pki->ca_cert_pem);
  server.join();
  ASSERT_TRUE(client) << client.error().Message();
  EXPECT_GE(accepted, 0);
  EXPECT_EQ(handshake, 1);
  EXPECT_EQ((*client)->Read(5s, "hi").data, "hi");
}

TEST(LoopbackTlsListener, IsNotOkWithAKeyThatIsNotPem) {
  auto pki = pki::MakeTestPki();
  ASSERT_TRUE(pki) << pki.error().Message();
  pki->server_key_pem = "not a key";
  LoopbackTlsListener listener(*pki);
  EXPECT_FALSE(listener.ok());
  EXPECT_EQ(listener.Accept(20ms, 1s), -1);
}

}  // namespace
}  // namespace tigress::test_support
