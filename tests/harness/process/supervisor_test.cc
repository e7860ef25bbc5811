#include "harness/process/supervisor.h"

#include <filesystem>
#include <fstream>
#include <signal.h>
#include <sstream>
#include <unistd.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/support/scratch_dir.h"
#include "tests/support/wait_for.h"
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

namespace tigress::harness {
namespace {

using ::testing::HasSubstr;

class SupervisorTest : public ::testing::Test {
 protected:
  ProcessSpec Spec(std::vector<std::string> argv) {
    ProcessSpec s;
    s.name = "test";
    s.argv = std::move(argv);
    s.workdir = dir_ / "work";
    s.stderr_path = dir_ / "stderr.log";
    s.stdout_path = dir_ / "stdout.log";
    s.grace = std::chrono::milliseconds(500);
    return s;
  }

  test_support::ScratchDir scratch_{"tigress-sup"};
  const std::filesystem::path dir_ = scratch_.path();
};

bool Alive(pid_t pid) { return ::kill(pid, 0) == 0; }

TEST_F(SupervisorTest, StopKillsTheWholeProcessGroup) {
  // The shell leaves a background grandchild behind; both must go.
  auto spec = Spec({"/bin/sh", "-c", "sleep 30 & echo $! > grandchild.pid; echo READY; wait"});
  spec.ready = ReadySpec{
      .kind = ReadySpec::Kind::kStdout, .token = "READY", .timeout = std::chrono::seconds(5)};
  auto p = Process::Start(spec);
  ASSERT_TRUE(p) << p.error().Message();
  ASSERT_TRUE((*p)->WaitReady()) << "never printed READY";
  pid_t grandchild = 0;
  std::ifstream(dir_ / "work" / "grandchild.pid") >> grandchild;
  ASSERT_GT(grandchild, 0);
  EXPECT_TRUE(Alive(grandchild));
  EXPECT_EQ(::getpgid(grandchild), (*p)->pid()) << "the grandchild is in the child's process group";
  const int live_before = LiveProcessGroups();
  (*p)->Stop();
  EXPECT_FALSE((*p)->Running());
  // The grandchild was re-parented to init (or a subreaper); SIGKILL is
  // delivered asynchronously, so wait (bounded) until it is gone or a zombie.
  auto gone = [grandchild] {
    if (!Alive(grandchild)) return true;
    std::ifstream stat("/proc/" + std::to_string(grandchild) + "/stat");
    std::string pid_s, comm, state;
    stat >> pid_s >> comm >> state;
    return state == "Z" || state.empty();
  };
  EXPECT_TRUE(test_support::WaitFor(gone, std::chrono::seconds(2), "the grandchild's end"))
      << "grandchild " << grandchild << " survived Stop()";
  EXPECT_EQ(LiveProcessGroups(), live_before - 1);
}

TEST_F(SupervisorTest, DetectsAChildThatDiesBeforeItIsReady) {
  auto spec = Spec({"/bin/sh", "-c", "echo boom >&2; exit 7"});
  spec.ready = ReadySpec{
      .kind = ReadySpec::Kind::kStdout, .token = "READY", .timeout = std::chrono::seconds(5)};
  auto p = Process::Start(spec);
  ASSERT_TRUE(p) << p.error().Message();
  auto r = (*p)->WaitReady();
  ASSERT_FALSE(r);
  EXPECT_TRUE(r.error().Is(Errc::kProcessDied)) << r.error().Message();
  EXPECT_THAT(r.error().Message(), HasSubstr("exited with status 7"));
  EXPECT_THAT(r.error().Message(), HasSubstr("boom"));
}

TEST_F(SupervisorTest, DetectsAChildThatDiesMidCase) {
  // The child blocks reading its stdin pipe until the harness closes it.
  auto spec = Spec({"/bin/sh", "-c", "read line; exit 4"});
  spec.pipe_stdio = true;
  auto p = Process::Start(spec);
  ASSERT_TRUE(p) << p.error().Message();
  EXPECT_TRUE((*p)->Running());
  EXPECT_EQ((*p)->ExitDescription(), "running");
  (*p)->CloseStdin();
  EXPECT_TRUE((*p)->WaitExit(std::chrono::seconds(5)));
  EXPECT_FALSE((*p)->Running());
  EXPECT_EQ((*p)->ExitDescription(), "exited with status 4");
}

TEST_F(SupervisorTest, ReportsNotReadyWhenTheReadyLineNeverComes) {
  auto spec = Spec({"/bin/sh", "-c", "sleep 30"});
  spec.ready = ReadySpec{.kind = ReadySpec::Kind::kStdout,
                         .token = "READY",
                         .timeout = std::chrono::milliseconds(300)};
  auto p = Process::Start(spec);
  ASSERT_TRUE(p);
  auto r = (*p)->WaitReady();
  ASSERT_FALSE(r);
  EXPECT_TRUE(r.error().Is(Errc::kProcessNotReady)) << r.error().Message();
}

TEST_F(SupervisorTest, WaitsForATcpListener) {
  auto port = FreeLoopbackPort();
  ASSERT_TRUE(port);
  auto spec = Spec(
      {"/usr/bin/python3", "-c",
       "import socket,sys,time\n"
       "s=socket.socket(); s.bind(('127.0.0.1', int(sys.argv[1]))); s.listen(); time.sleep(30)",
       std::to_string(*port)});
  spec.ready =
      ReadySpec{.kind = ReadySpec::Kind::kTcp, .token = "", .timeout = std::chrono::seconds(10)};
  spec.port = *port;
  auto p = Process::Start(spec);
  ASSERT_TRUE(p);
  EXPECT_TRUE((*p)->WaitReady());
}

ReadySpec ReadyWithPort(std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
  return ReadySpec{
      .kind = ReadySpec::Kind::kStdout, .token = "READY", .timeout = timeout, .reports_port = true};
}

TEST_F(SupervisorTest, ReadsThePortARelayBoundItself) {
  // Binds port 0 as a relay with `ready.port: true` does, prints what it got.
  auto spec = Spec({"/usr/bin/python3", "-c",
                    "import socket,sys,time\n"
                    "s=socket.socket(); s.bind(('127.0.0.1', int(sys.argv[1]))); s.listen()\n"
                    "print('starting on 8443 soon', flush=True)\n"
                    "print('READY %d' % s.getsockname()[1], flush=True); time.sleep(30)",
                    "0"});
  spec.ready = ReadyWithPort(std::chrono::seconds(10));
  auto p = Process::Start(spec);
  ASSERT_TRUE(p) << p.error().Message();
  EXPECT_EQ((*p)->ReportedPort(), std::nullopt) << "nothing before the ready line";
  auto ready = (*p)->WaitReady();
  ASSERT_TRUE(ready) << ready.error().Message();
  std::optional<int> port = (*p)->ReportedPort();
  ASSERT_TRUE(port);
  EXPECT_NE(*port, 8443) << "a line without the token does not count";
  EXPECT_EQ((*p)->ReadyLine(), "READY " + std::to_string(*port));
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(*port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  EXPECT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0)
      << "the reported port accepts connections";
  ::close(fd);
  EXPECT_FALSE((*p)->AddressInUse());
}

TEST_F(SupervisorTest, TakesTheFirstNumberAfterTheToken) {
  auto spec = Spec({"/bin/sh", "-c", "echo 'READY: listening on port=40123 (pid 99)'; sleep 30"});
  spec.ready = ReadyWithPort();
  auto p = Process::Start(spec);
  ASSERT_TRUE(p);
  ASSERT_TRUE((*p)->WaitReady());
  EXPECT_EQ((*p)->ReportedPort(), 40123);
}

TEST_F(SupervisorTest, FailsWhenThePromisedPortIsNotOnTheReadyLine) {
  for (const char* line : {"READY", "READY 0", "READY 70000", "READY port unknown"}) {
    SCOPED_TRACE(line);
    auto spec = Spec({"/bin/sh", "-c", std::string("echo '") + line + "'; sleep 30"});
    spec.ready = ReadyWithPort();
    auto p = Process::Start(spec);
    ASSERT_TRUE(p);
    auto r = (*p)->WaitReady();
    ASSERT_FALSE(r);
    EXPECT_TRUE(r.error().Is(Errc::kReadyLineInvalid)) << r.error().Message();
    EXPECT_THAT(r.error().Message(), HasSubstr(std::string("'") + line + "'"));
    EXPECT_THAT(r.error().Message(), HasSubstr("no port"));
    EXPECT_EQ((*p)->ReportedPort(), std::nullopt);
  }
}

TEST_F(SupervisorTest, APortIsOnlyRequiredWhenTheManifestPromisesOne) {
  auto spec = Spec({"/bin/sh", "-c", "echo READY; sleep 30"});
  spec.ready = ReadySpec{
      .kind = ReadySpec::Kind::kStdout, .token = "READY", .timeout = std::chrono::seconds(5)};
  auto p = Process::Start(spec);
  ASSERT_TRUE(p);
  EXPECT_TRUE((*p)->WaitReady());
  EXPECT_EQ((*p)->ReportedPort(), std::nullopt);
  EXPECT_EQ((*p)->ReadyLine(), "READY");
}

TEST_F(SupervisorTest, RecognisesARelayThatLostThePortRace) {
  // The test holds the port, so the child's bind really fails.
  int holder = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  ASSERT_EQ(::bind(holder, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(::listen(holder, 1), 0);
  ASSERT_EQ(::getsockname(holder, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  auto spec = Spec({"/usr/bin/python3", "-c",
                    "import socket,sys\n"
                    "s=socket.socket(); s.bind(('127.0.0.1', int(sys.argv[1]))); print('READY')",
                    std::to_string(ntohs(addr.sin_port))});
  spec.ready = ReadySpec{
      .kind = ReadySpec::Kind::kStdout, .token = "READY", .timeout = std::chrono::seconds(10)};
  auto p = Process::Start(spec);
  ASSERT_TRUE(p);
  auto r = (*p)->WaitReady();
  ::close(holder);
  ASSERT_FALSE(r);
  EXPECT_TRUE(r.error().Is(Errc::kProcessDied)) << r.error().Message();
  EXPECT_TRUE((*p)->AddressInUse()) << (*p)->StderrTail();
}

TEST_F(SupervisorTest, OtherDeathsAreNotAPortRace) {
  auto spec = Spec({"/bin/sh", "-c", "echo 'cannot open key.pem' >&2; exit 1"});
  spec.ready = ReadySpec{
      .kind = ReadySpec::Kind::kStdout, .token = "READY", .timeout = std::chrono::seconds(5)};
  auto p = Process::Start(spec);
  ASSERT_TRUE(p);
  EXPECT_FALSE((*p)->WaitReady());
  EXPECT_FALSE((*p)->AddressInUse());
}

TEST_F(SupervisorTest, ARelayThatWasReadyDidNotLoseAPortRace) {
  // It became ready, then a later bind of its own failed: not a retryable start.
  auto spec = Spec({"/bin/sh", "-c", "echo READY; echo 'bind: EADDRINUSE' >&2; exit 1"});
  spec.ready = ReadySpec{
      .kind = ReadySpec::Kind::kStdout, .token = "READY", .timeout = std::chrono::seconds(5)};
  auto p = Process::Start(spec);
  ASSERT_TRUE(p);
  ASSERT_TRUE((*p)->WaitReady());
  EXPECT_TRUE((*p)->WaitExit(std::chrono::seconds(5)));
  EXPECT_FALSE((*p)->AddressInUse());
}

TEST_F(SupervisorTest, RefusesAMissingExecutable) {
  auto p = Process::Start(Spec({"/nonexistent/tigress-relay"}));
  ASSERT_FALSE(p);
  EXPECT_TRUE(p.error().Is(Errc::kProcessStartFailed));
  EXPECT_THAT(p.error().Message(), HasSubstr("/nonexistent/tigress-relay"));
}

TEST_F(SupervisorTest, PassesEnvironmentAndCapturesStderr) {
  auto spec = Spec({"/bin/sh", "-c", "echo \"port=$TIGRESS_PORT\" >&2"});
  spec.env = {{"TIGRESS_PORT", "4242"}};
  auto p = Process::Start(spec);
  ASSERT_TRUE(p);
  EXPECT_TRUE((*p)->WaitExit(std::chrono::seconds(5)));
  std::ifstream in(dir_ / "stderr.log");
  std::stringstream ss;
  ss << in.rdbuf();
  EXPECT_THAT(ss.str(), HasSubstr("port=4242"));
}

}  // namespace
}  // namespace tigress::harness

namespace tigress::harness {
namespace {

TEST(LaunchSpec, ExpandsTheRoleCommandAndEnvironmentAndPipesOnlyADevice) {
  auto m = LoadManifestString(
      "name: acme\nrelay:\n  command: [\"{root}/relay\", \"--port\", \"{port}\"]\n"
      "  ready: {stdout: \"READY\", port: true}\ndevice:\n  command: [\"{bindir}/dev\"]\n"
      "env: {ACME_HOME: \"{workdir}/home\"}\n",
      "/impls/acme.yaml");
  ASSERT_TRUE(m) << m.error().Message();
  Placeholders ph;
  ph.root = "/impls";
  ph.port = "0";
  ph.workdir = "/tmp/w";
  ph.bindir = "/opt/bin";
  const ProcessSpec relay = LaunchSpecFor(*m, LaunchRole::kRelay, ph);
  EXPECT_EQ(relay.name, "relay (acme)");
  EXPECT_EQ(relay.argv, (std::vector<std::string>{"/impls/relay", "--port", "0"}));
  EXPECT_EQ(relay.workdir, "/tmp/w");
  EXPECT_TRUE(relay.ready.reports_port);
  EXPECT_FALSE(relay.pipe_stdio);
  EXPECT_THAT(relay.env,
              ::testing::Contains(std::pair<std::string, std::string>("ACME_HOME", "/tmp/w/home")));
  EXPECT_THAT(relay.env,
              ::testing::Contains(std::pair<std::string, std::string>("TIGRESS_PORT", "0")));
  const ProcessSpec device = LaunchSpecFor(*m, LaunchRole::kDevice, ph);
  EXPECT_EQ(device.name, "device (acme)");
  EXPECT_EQ(device.argv, (std::vector<std::string>{"/opt/bin/dev"}));
  EXPECT_TRUE(device.pipe_stdio);
  EXPECT_FALSE(device.ready.reports_port);
}

}  // namespace
}  // namespace tigress::harness
