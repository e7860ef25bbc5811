#include "harness/process/process_groups.h"

#include <array>
#include <atomic>
#include <csignal>
#include <unistd.h>

namespace tigress::harness {

namespace {

// Atomics in a fixed array, not a container behind a mutex: the interrupt
// handler reads the table and may run at any moment.
constexpr std::size_t kMaxGroups = 1024;
std::array<std::atomic<pid_t>, kMaxGroups> g_groups{};

extern "C" void KillAllAndExit(int /*sig*/) {
  for (auto& slot : g_groups) {
    pid_t g = slot.load();
    if (g > 0) {
      ::kill(-g, SIGKILL);
    }
  }
  static const char kMsg[] = "\ntigress-harness: interrupted, all child processes killed\n";
  ssize_t ignored = ::write(STDERR_FILENO, kMsg, sizeof(kMsg) - 1);
  (void)ignored;
  ::_exit(130);
}

}  // namespace

void RegisterProcessGroup(pid_t pgid) {
  for (auto& slot : g_groups) {
    pid_t expected = 0;
    if (slot.compare_exchange_strong(expected, pgid)) {
      return;
    }
  }
}

void UnregisterProcessGroup(pid_t pgid) {
  for (auto& slot : g_groups) {
    pid_t expected = pgid;
    if (slot.compare_exchange_strong(expected, 0)) {
      return;
    }
  }
}

void InstallInterruptHandler() {
  struct sigaction sa {};
  sa.sa_handler = KillAllAndExit;
  sigemptyset(&sa.sa_mask);
  ::sigaction(SIGINT, &sa, nullptr);
  ::sigaction(SIGTERM, &sa, nullptr);
  ::signal(SIGPIPE, SIG_IGN);
}

int LiveProcessGroups() {
  int n = 0;
  for (auto& slot : g_groups) {
    n += slot.load() > 0 ? 1 : 0;
  }
  return n;
}

}  // namespace tigress::harness
