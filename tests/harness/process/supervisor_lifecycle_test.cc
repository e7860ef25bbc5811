// The lifecycle guarantees of `Process` that issue 15 asked for: private log
// modes, children that outlive the thread that started them, and a group
// kill that cannot reach a recycled pid.
#include <csignal>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>
#include <unistd.h>

#include <gtest/gtest.h>

#include "harness/process/supervisor.h"
#include "tests/support/scratch_dir.h"
#include "tests/support/wait_for.h"
#include <sys/stat.h>

namespace tigress::harness {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

class ProcessLifecycle : public ::testing::Test {
 protected:
  ProcessSpec Spec(std::vector<std::string> argv) {
    ProcessSpec s;
    s.name = "lifecycle";
    s.argv = std::move(argv);
    s.workdir = dir_ / "work";
    s.stderr_path = dir_ / "x.stderr.log";
    s.stdout_path = dir_ / "x.stdout.log";
    s.grace = 500ms;
    s.ready = ReadySpec{.kind = ReadySpec::Kind::kStdout, .token = "READY", .timeout = 5s};
    return s;
  }

  test_support::ScratchDir scratch_{"tigress-life"};
  const fs::path dir_ = scratch_.path();
};

unsigned ModeOf(const fs::path& p) {
  struct stat st {};
  EXPECT_EQ(::stat(p.c_str(), &st), 0) << p;
  return st.st_mode & 0777U;
}

TEST_F(ProcessLifecycle, LogsArePrivateWhileTheProcessRuns) {
  auto p = Process::Start(Spec({"/bin/sh", "-c", "echo oops >&2; echo READY; exec sleep 30"}));
  ASSERT_TRUE(p) << p.error().Message();
  ASSERT_TRUE((*p)->WaitReady());
  ASSERT_TRUE((*p)->Running());
  EXPECT_EQ(ModeOf(dir_ / "x.stderr.log"), 0600U);
  EXPECT_EQ(ModeOf(dir_ / "x.stdout.log"), 0600U);
  (*p)->Stop();
}

TEST_F(ProcessLifecycle, AChildOutlivesTheThreadThatStartedIt) {
  // As a device adapter started late inside a `parallel` lane.
  std::unique_ptr<Process> p;
  std::thread lane([&] {
    auto started = Process::Start(Spec({"/bin/sh", "-c", "echo READY; exec sleep 30"}));
    ASSERT_TRUE(started) << started.error().Message();
    p = std::move(*started);
  });
  lane.join();
  ASSERT_NE(p, nullptr);
  ASSERT_TRUE(p->WaitReady());
  EXPECT_FALSE(p->WaitExit(500ms)) << "killed when its thread ended: " << p->ExitDescription();
  EXPECT_EQ(::kill(p->pid(), 0), 0);
  p->Stop();
  EXPECT_FALSE(p->Running());
}

// The parent pid in /proc/<pid>/stat (0 when the process is gone).
pid_t LifecycleParentOf(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  std::getline(stat, line);
  const auto close = line.rfind(')');  // the command may contain spaces
  if (close == std::string::npos) {
    return 0;
  }
  std::istringstream rest(line.substr(close + 1));
  std::string state;
  pid_t ppid = 0;
  rest >> state >> ppid;
  return ppid;
}

TEST_F(ProcessLifecycle, AGrandchildThatOutlivesTheChildIsKilledAndReapedByStop) {
  // The child leaves a grandchild in its process group and exits at once.
  auto p = Process::Start(Spec({"/bin/sh", "-c",
                                "sleep 30 >/dev/null 2>&1 & echo $! > grandchild.pid; "
                                "echo READY"}));
  ASSERT_TRUE(p) << p.error().Message();
  ASSERT_TRUE((*p)->WaitReady());
  ASSERT_TRUE((*p)->WaitExit(5s));
  pid_t grandchild = 0;
  std::ifstream(dir_ / "work" / "grandchild.pid") >> grandchild;
  ASSERT_GT(grandchild, 0);
  const pid_t leader = (*p)->pid();
  EXPECT_EQ(::kill(leader, 0), 0) << "the exited leader's pid stays reserved until Stop";
  EXPECT_TRUE(test_support::WaitFor([&] { return LifecycleParentOf(grandchild) == ::getpid(); }, 5s,
                                    "the grandchild's re-parenting"))
      << "the orphaned grandchild was re-parented to " << LifecycleParentOf(grandchild)
      << ", not to the harness (the subreaper)";
  (*p)->Stop();
  EXPECT_TRUE(
      test_support::WaitFor([&] { return ::kill(grandchild, 0) != 0; }, 5s, "the grandchild's end"))
      << "grandchild " << grandchild << " survived Stop() (or was left a zombie)";
  EXPECT_NE(::kill(leader, 0), 0) << "Stop reaped the leader";
}

}  // namespace
}  // namespace tigress::harness
