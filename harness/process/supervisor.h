// File: harness/process/supervisor.h
//
// Starting, watching and stopping the processes of implementations under
// test (Boost.Process v2; the only translation unit that includes it).
//
//   ProcessSpec spec{.name = "relay", .argv = {...}, .workdir = dir,
//                    .stderr_path = case_dir / "relay.stderr.log", .ready = ...};
//   auto p = Process::Start(spec);            // own process group, private cwd
//   TIGRESS_RETURN_IF_ERROR((*p)->WaitReady());
//   ...
//   (*p)->Stop();                              // SIGTERM the group, SIGKILL after grace
//
// Every child runs in its own process group (setpgid in the child before
// exec). `Stop` signals the whole group, so grandchildren die too. The groups
// of all live children are registered in a signal-safe table: after
// `InstallInterruptHandler`, SIGINT/SIGTERM kill every registered group and
// exit with 130, so no child outlives the harness. The first `Start` makes the
// harness a child subreaper (PR_SET_CHILD_SUBREAPER): a grandchild whose
// parent died is re-parented to the harness, not to init, and reaped by a
// later `Stop`; a grandchild that left its group (setsid) is not signalled by
// `Stop`, only reaped once it exits. A child also gets SIGKILL
// when the harness dies (PR_SET_PDEATHSIG, which covers a harness killed
// outright). The death signal follows the thread that forked, so every child
// is forked by one long-lived launcher thread of this module: a child started
// from a thread that ends (a `parallel` lane) lives on until it is stopped.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "harness/config/manifest.h"
// Re-exported: FreeLoopbackPort, InstallInterruptHandler, LiveProcessGroups.
#include "harness/process/ports.h"
#include "harness/process/process_groups.h"
#include "protocol/result.h"

namespace tigress::harness {

// `ProcessSpec` describes one process to start.
struct ProcessSpec {
  std::string name;               // "relay", "initiator", ... (used in messages)
  std::vector<std::string> argv;  // argv[0] is a path or a name looked up in PATH
  std::vector<std::pair<std::string, std::string>> env;  // added to / overriding the harness's
  std::filesystem::path workdir;                         // the process's cwd (created if missing)
  std::filesystem::path stderr_path;                     // everything it writes to stderr goes here
  // With `pipe_stdio` the harness keeps the child's stdin and stdout (an
  // adapter); otherwise stdin is /dev/null and stdout lines are copied to
  // `stdout_path` (and watched for a ready token).
  bool pipe_stdio = false;
  std::filesystem::path stdout_path;
  ReadySpec ready;
  int port = 0;  // for ReadySpec::kTcp (with `ready.reports_port`, see ReportedPort)
  std::chrono::milliseconds grace{2000};  // between SIGTERM and SIGKILL
};

// `LaunchRole` picks the command of a manifest that `LaunchSpecFor` starts.
enum class LaunchRole { kRelay, kDevice };

// `LaunchSpecFor` is the process spec of `manifest`'s relay or device
// command: its arguments and its `env` expanded with `ph`, the TIGRESS_*
// environment (`PlaceholderEnv`), `ph.workdir` as the working directory, the
// role's readiness, and a device's stdin/stdout kept for JSON-RPC. The name
// is "relay (<name>)" or "device (<name>)"; the caller sets the log paths
// (and a relay's `port`). The manifest must have the role.
ProcessSpec LaunchSpecFor(const Manifest& manifest, LaunchRole role, const Placeholders& ph);

// `Process` is a started child. Destroying it stops it.
class Process {
 public:
  // `Start` launches `spec`. Errors: kProcessStartFailed naming the command
  // and the OS error (missing executable, permission).
  static Result<std::unique_ptr<Process>> Start(const ProcessSpec& spec);

  ~Process();
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  // `WaitReady` waits as `spec.ready` says, bounded by its timeout. Errors:
  // kProcessNotReady (timeout), kProcessDied (exited first; names the exit
  // status and the tail of its stderr), kReadyLineInvalid (`ready.reports_port`
  // but the ready line carries no port 1..65535 after the token; the process
  // is left running, the caller stops it).
  Result<void> WaitReady();

  // `ReportedPort` is the port on the ready line (kStdout readiness): the
  // first run of decimal digits after the token, if it is 1..65535 ("READY
  // 43817" gives 43817). nullopt before the ready line arrived, when it has
  // no number, or the number is out of range. Thread-safe.
  std::optional<int> ReportedPort() const;

  // `ReadyLine` is the first stdout line that started with the ready token,
  // nullopt before it arrived. Thread-safe.
  std::optional<std::string> ReadyLine() const;

  // `AddressInUse` is true when the process exited without having become
  // ready (no successful `WaitReady`) and the tail of its stderr mentions
  // "Address already in use" or "EADDRINUSE" (either case): it lost the race
  // for the port the harness chose, and a retry on another port may succeed.
  // Does not wait.
  bool AddressInUse();

  // `Running` is true while the child has not exited. An exited child is
  // not reaped before `Stop`: its pid stays reserved, so no other process
  // can take its pid, the id of its process group, meanwhile.
  bool Running();

  // `WaitExit` waits up to `timeout` for the child to exit; true when it has.
  bool WaitExit(std::chrono::milliseconds timeout);

  // `ExitStatus` is the exit status once the child exited normally; nullopt
  // while it runs or when a signal killed it.
  std::optional<int> ExitStatus();

  // `ExitCode` is the code a shell reports once the child has exited: its
  // exit status, or 128+signal when a signal killed it; nullopt while it runs.
  std::optional<int> ExitCode();

  // `ExitDescription` is "exited with status 3" / "killed by signal 11", or
  // "running".
  std::string ExitDescription();

  // `Stop` sends SIGTERM to the process group, waits up to the grace period
  // for the leader, then SIGKILLs the group, and only then reaps the leader
  // and the group's members that are the harness's children (the harness is
  // a child subreaper: orphaned grandchildren come to it), waiting at most
  // 2 s for killed ones. It also reaps exited stray children no Process
  // owns. Idempotent.
  void Stop();

  // `StderrTail` is `StderrExcerpt` of the stderr file (for messages).
  std::string StderrTail(std::size_t max_bytes = 800) const;

  // The child's stdin (write end) and stdout (read end) when `pipe_stdio`;
  // -1 otherwise. The Process owns them.
  int stdin_fd() const;
  int stdout_fd() const;
  // Closes the child's stdin (it sees EOF).
  void CloseStdin();

  int pid() const;
  const ProcessSpec& spec() const;

  struct Impl;

 private:
  explicit Process(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// `StderrExcerpt` is at most about `max_bytes` of a child's stderr `text`
// for a message: all of it when it fits; else the first lines that look like
// an error (containing, in any case, "error", "traceback", "panic",
// "exception" or "fatal"; at most 3, each cut to 160 bytes, together at most
// half of `max_bytes`) that end before the last `max_bytes`/2 bytes, one per
// line, then "..." and as much of the end as the rest of `max_bytes` allows.
// A syntax error's message comes first and a stack of loader frames follows
// it, so the tail alone would hide it. Trailing line ends are dropped;
// "(empty)" when nothing is left.
std::string StderrExcerpt(std::string_view text, std::size_t max_bytes);

}  // namespace tigress::harness
