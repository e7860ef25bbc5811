// The one translation unit with Boost.Process v2 (and so Asio): keep it small.
// Ports, process groups and the stdout/stderr plumbing live in ports.cc,
// process_groups.cc and child_io.cc.
#define BOOST_PROCESS_USE_STD_FS 1

#include "harness/process/supervisor.h"

#include <cerrno>
#include <condition_variable>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <fcntl.h>
#include <fstream>
#include <functional>
#include <future>
#include <mutex>
#include <poll.h>
#include <set>
#include <sstream>
#include <string_view>
#include <thread>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <boost/optional.hpp>  // Process v2 in 1.81 needs it even with std::filesystem
#include <boost/process/v2/process.hpp>
#include <boost/process/v2/start_dir.hpp>
#include <boost/process/v2/stdio.hpp>

#include "harness/process/child_io.h"
#include "harness/process/process_groups.h"
#include "protocol/text.h"
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>

extern char** environ;

namespace tigress::harness {

namespace bp = boost::process::v2;

namespace {

// Runs in the child between fork and exec: a process group of its own so
// that Stop() and the interrupt handler reach grandchildren as well.
struct NewProcessGroup {
  pid_t parent = ::getpid();

  template <class Launcher>
  // NOLINTNEXTLINE(readability-identifier-naming): Boost.Process hook name
  bp::error_code on_exec_setup(Launcher& /*unused*/, const std::filesystem::path& /*unused*/,
                               const char* const*& /*unused*/) {
    if (::setpgid(0, 0) != 0) {
      return bp::error_code(errno, bp::system_category());
    }
    // If the harness itself is killed outright (SIGKILL, OOM), take the child
    // down too; the interrupt handler covers everything else.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) {
      ::_exit(127);
    }
    // Undo what the harness may block or ignore, so the child starts clean.
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    ::signal(SIGPIPE, SIG_DFL);
    return {};
  }
};

// Replaces the environment the launcher passes to execve.
struct ChildEnvironment {
  const char* const* envp;
  template <class Launcher>
  // NOLINTNEXTLINE(readability-identifier-naming): Boost.Process hook name
  bp::error_code on_setup(Launcher& launcher, const std::filesystem::path& /*unused*/,
                          const char* const* /*unused*/) {
    launcher.env = envp;
    return {};
  }
};

std::optional<std::filesystem::path> FindExecutable(const std::string& name) {
  if (name.find('/') != std::string::npos) {
    return std::filesystem::absolute(name);
  }
  const char* path = std::getenv("PATH");
  std::stringstream ss(path != nullptr ? path : "/usr/local/bin:/usr/bin:/bin");
  std::string dir;
  while (std::getline(ss, dir, ':')) {
    if (dir.empty()) {
      continue;
    }
    std::filesystem::path p = std::filesystem::path(dir) / name;
    if (::access(p.c_str(), X_OK) == 0) {
      return p;
    }
  }
  return std::nullopt;
}

// The harness's own environment, overridden by `overrides`, as KEY=VALUE.
std::vector<std::string> ChildEnvironmentStrings(
    const std::vector<std::pair<std::string, std::string>>& overrides) {
  std::vector<std::string> env_strings;
  for (char** e = environ; (e != nullptr) && (*e != nullptr); ++e) {
    std::string_view kv(*e);
    std::string_view key = kv.substr(0, kv.find('='));
    bool overridden = false;
    for (const auto& [k, v] : overrides) {
      overridden = overridden || k == key;
    }
    if (!overridden) {
      env_strings.emplace_back(kv);
    }
  }
  for (const auto& [k, v] : overrides) {
    env_strings.push_back(k + "=" + v);
  }
  return env_strings;
}

// The child's ends of its three standard streams, and the harness's ends.
struct ChildStdio {
  Fd err;
  Fd in_r;
  Fd in_w;
  Fd out_r;
  Fd out_w;
};

Result<ChildStdio> OpenChildStdio(const ProcessSpec& spec, const std::string& what) {
  ChildStdio io;
  // 0600 from the start: a relay's log may carry Secrets while the case runs.
  io.err = Fd(::open(spec.stderr_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600));
  if (io.err.fd < 0) {
    return MakeError(
        Errc::kProcessStartFailed,
        what + ": cannot open " + spec.stderr_path.string() + ": " + std::strerror(errno));
  }
  if (spec.pipe_stdio) {
    if (!MakePipe(io.in_r, io.in_w)) {
      return MakeError(Errc::kProcessStartFailed, what + ": pipe failed");
    }
  } else {
    io.in_r = Fd(::open("/dev/null", O_RDONLY | O_CLOEXEC));
  }
  if (!MakePipe(io.out_r, io.out_w)) {
    return MakeError(Errc::kProcessStartFailed, what + ": pipe failed");
  }
  return io;
}

// The leaders of the children Processes own (until Stop reaped them), which
// ReapStrayChildren leaves alone.
struct Leaders {
  std::mutex mu;
  std::set<pid_t> pids;
};
Leaders& LiveLeaders() {
  static auto* leaders = new Leaders;
  return *leaders;
}
void RememberLeader(pid_t pid) {
  std::lock_guard<std::mutex> lock(LiveLeaders().mu);
  LiveLeaders().pids.insert(pid);
}
void ForgetLeader(pid_t pid) {
  std::lock_guard<std::mutex> lock(LiveLeaders().mu);
  LiveLeaders().pids.erase(pid);
}
bool IsLeader(pid_t pid) {
  std::lock_guard<std::mutex> lock(LiveLeaders().mu);
  return LiveLeaders().pids.count(pid) > 0;
}

// Reaps the exited children of the harness that no Process owns:
// grandchildren re-parented to the harness (the child subreaper) after their
// group was reaped, or that left their group. Only the supervisor forks in
// the harness, so no other code waits for them; it runs on the launcher
// thread, so a child just forked is already a remembered leader.
void ReapStrayChildren() {
  std::error_code ec;
  for (const auto& task : std::filesystem::directory_iterator("/proc/self/task", ec)) {
    std::ifstream children(task.path() / "children");
    pid_t child = 0;
    while (children >> child) {
      int status = 0;
      if (!IsLeader(child)) {
        ::waitpid(child, &status, WNOHANG);
      }
    }
  }
}

// Every child is forked by this one thread, which never ends: the child's
// PR_SET_PDEATHSIG fires when the *thread* that forked it exits, so a child
// started from a short-lived thread (a `parallel` lane) would otherwise be
// killed with it. Created on first use and leaked, so it outlives static
// destructors too.
class LauncherThread {
 public:
  // Runs `task` on the launcher thread and returns once it has run.
  static void Run(std::function<void()> task) {
    LauncherThread& l = Instance();
    std::packaged_task<void()> packaged(std::move(task));
    std::future<void> done = packaged.get_future();
    {
      std::lock_guard<std::mutex> lock(l.mu_);
      l.tasks_.push_back(std::move(packaged));
    }
    l.cv_.notify_one();
    done.get();
  }

 private:
  static LauncherThread& Instance() {
    static LauncherThread* instance = [] {
      // Orphaned grandchildren come to the harness, not init, so Stop can
      // reap them and none outlives a run unseen.
      ::prctl(PR_SET_CHILD_SUBREAPER, 1);
      auto* l = new LauncherThread;
      std::thread([l] { l->Loop(); }).detach();
      return l;
    }();
    return *instance;
  }

  [[noreturn]] void Loop() {
    for (;;) {
      std::packaged_task<void()> task;
      {
        std::unique_lock<std::mutex> lock(mu_);
        cv_.wait(lock, [this] { return !tasks_.empty(); });
        task = std::move(tasks_.front());
        tasks_.pop_front();
      }
      task();
    }
  }

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::packaged_task<void()>> tasks_;
};

}  // namespace

struct Process::Impl {
  ProcessSpec spec;
  pid_t pid = -1;
  Fd pidfd;
  Fd stdin_w;
  Fd stdout_r;
  bool exited = false;  // the leader has exited (seen without reaping it)
  bool reaped = false;  // and was reaped (or somebody else reaped it)
  int wait_status = 0;
  bool stopped = false;
  StdoutCapture stdout_capture;  // used unless pipe_stdio
  bool became_ready = false;     // WaitReady succeeded
  // True once the leader has exited. It is not reaped here but in Stop:
  // while it is a zombie its pid, the id of its group, cannot be reused, so
  // Stop's signals to the group cannot reach a stranger.
  bool Exited(bool block) {
    if (exited) {
      return true;
    }
    siginfo_t info{};
    int r = 0;
    do {
      r = ::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOWAIT | (block ? 0 : WNOHANG));
    } while (r < 0 && errno == EINTR);
    if (r < 0) {  // ECHILD: somebody else reaped it; treat as gone
      exited = true;
      reaped = true;
      pidfd.Reset();
      return true;
    }
    if (info.si_pid != pid) {
      return false;
    }
    exited = true;
    // The status word waitpid would have given.
    wait_status = info.si_code == CLD_EXITED ? (info.si_status & 0xff) << 8 : info.si_status & 0x7f;
    return true;
  }

  // Reaps the (exited) leader and the members of its group that are the
  // harness's children: grandchildren re-parented to the harness, the child
  // subreaper, after their parent died. Killed members take a moment to go;
  // they get a bounded wait.
  void ReapGroup() {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
    for (;;) {
      int status = 0;
      const pid_t r = ::waitpid(-pid, &status, WNOHANG);
      if (r > 0 || (r < 0 && errno == EINTR)) {
        reaped = reaped || r == pid;
        continue;
      }
      if (r < 0 || std::chrono::steady_clock::now() >= deadline) {
        break;  // ECHILD: no child of the harness is left in the group
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    if (!reaped) {  // a leader that left its own group
      int status = 0;
      while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
      }
    }
    reaped = true;
    pidfd.Reset();
  }

  // Waits for the leader to exit, at most `timeout`.
  bool WaitExit(std::chrono::milliseconds timeout) {
    if (Exited(false)) {
      return true;
    }
    auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) {
        return Exited(false);
      }
      if (pidfd.fd >= 0) {
        pollfd p{pidfd.fd, POLLIN, 0};
        ::poll(&p, 1, static_cast<int>(left.count()));
      } else {
        // No pidfd (old kernel): bounded polling is the only option.
        std::this_thread::sleep_for(std::min(left, std::chrono::milliseconds(10)));
      }
      if (Exited(false)) {
        return true;
      }
    }
  }
};

Process::Process(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Process::~Process() { Stop(); }

Result<std::unique_ptr<Process>> Process::Start(const ProcessSpec& spec) {
  auto impl = std::make_unique<Impl>();
  impl->spec = spec;
  const std::string what = spec.name + " (" + (spec.argv.empty() ? "" : spec.argv.front()) + ")";
  if (spec.argv.empty()) {
    return MakeError(Errc::kProcessStartFailed, spec.name + ": empty command");
  }
  auto exe = FindExecutable(spec.argv.front());
  if (!exe || ::access(exe->c_str(), X_OK) != 0) {
    return MakeError(Errc::kProcessStartFailed,
                     what + ": executable not found or not executable: " + spec.argv.front());
  }
  std::error_code fs_ec;
  std::filesystem::create_directories(spec.workdir, fs_ec);
  if (fs_ec) {
    return MakeError(Errc::kProcessStartFailed, what + ": cannot create " + spec.workdir.string());
  }
  const std::vector<std::string> env_strings = ChildEnvironmentStrings(spec.env);
  std::vector<const char*> envp;
  for (const auto& s : env_strings) {
    envp.push_back(s.c_str());
  }
  envp.push_back(nullptr);
  TIGRESS_ASSIGN_OR_RETURN(ChildStdio io, OpenChildStdio(spec, what));

  std::vector<std::string> args(spec.argv.begin() + 1, spec.argv.end());
  bp::error_code ec;
  LauncherThread::Run([&] {
    boost::asio::io_context ctx;
    bp::posix::default_launcher launcher;
    bp::process proc = launcher(
        ctx, ec, *exe, args, bp::process_stdio{io.in_r.fd, io.out_w.fd, io.err.fd},
        bp::process_start_dir{spec.workdir}, ChildEnvironment{envp.data()}, NewProcessGroup{});
    if (!ec) {
      impl->pid = proc.id();
      // From here on the supervisor owns the child (its own waitpid/kill).
      proc.detach();
      RegisterProcessGroup(impl->pid);
      RememberLeader(impl->pid);
    }
  });
  if (ec) {
    return MakeError(Errc::kProcessStartFailed, what + ": cannot start: " + ec.message());
  }
  impl->pidfd = Fd(static_cast<int>(::syscall(SYS_pidfd_open, impl->pid, 0)));

  if (spec.pipe_stdio) {
    impl->stdin_w = std::move(io.in_w);
    impl->stdout_r = std::move(io.out_r);
  } else {
    std::optional<std::string> token;
    if (spec.ready.kind == ReadySpec::Kind::kStdout) {
      token = spec.ready.token;
    }
    impl->stdout_capture.Start(std::exchange(io.out_r.fd, -1), spec.stdout_path, token);
  }
  return std::unique_ptr<Process>(new Process(std::move(impl)));
}

Result<void> Process::WaitReady() {
  Impl& s = *impl_;
  const auto deadline = std::chrono::steady_clock::now() + s.spec.ready.timeout;
  auto died = [&]() -> Error {
    s.WaitExit(std::chrono::milliseconds(200));
    return MakeError(Errc::kProcessDied, s.spec.name + " " + ExitDescription() +
                                             " before it was ready; stderr tail: " + StderrTail());
  };
  switch (s.spec.ready.kind) {
    case ReadySpec::Kind::kNone:
      if (!Running()) {
        return died();
      }
      s.became_ready = true;
      return {};
    case ReadySpec::Kind::kStdout: {
      const StdoutCapture::Seen seen = s.stdout_capture.WaitForToken(deadline);
      if (seen.token) {
        if (s.spec.ready.reports_port && !PortAfterToken(seen.line, s.spec.ready.token)) {
          std::string shown = seen.line.substr(0, 200);
          return MakeError(Errc::kReadyLineInvalid,
                           s.spec.name + ": the ready line '" + shown +
                               "' has no port (1..65535) after '" + s.spec.ready.token +
                               "'; with ready.port: true the relay binds port 0 itself and prints "
                               "the port it bound, e.g. '" +
                               s.spec.ready.token + " 43817'");
        }
        s.became_ready = true;
        return {};
      }
      if (seen.eof || !Running()) {
        return died();
      }
      const std::string cut = seen.line_cut
                                  ? " (a stdout line longer than " +
                                        std::to_string(kMaxStdoutLine / 1024) + " KiB was cut)"
                                  : "";
      return MakeError(Errc::kProcessNotReady, s.spec.name + ": no stdout line starting with '" +
                                                   s.spec.ready.token + "' within " +
                                                   std::to_string(s.spec.ready.timeout.count()) +
                                                   " ms" + cut);
    }
    case ReadySpec::Kind::kTcp: {
      // A connect probe has no event to await; retry with a short bounded pause.
      while (std::chrono::steady_clock::now() < deadline) {
        if (LoopbackAccepts(s.spec.port)) {
          s.became_ready = true;
          return {};
        }
        if (!Running()) {
          return died();
        }
        if (s.WaitExit(std::chrono::milliseconds(20))) {
          return died();
        }
      }
      return MakeError(Errc::kProcessNotReady,
                       s.spec.name + ": nothing accepted connections on 127.0.0.1:" +
                           std::to_string(s.spec.port) + " within " +
                           std::to_string(s.spec.ready.timeout.count()) + " ms");
    }
  }
  return {};
}

std::optional<int> Process::ReportedPort() const {
  std::optional<std::string> line = impl_->stdout_capture.ReadyLine();
  if (!line) {
    return std::nullopt;
  }
  return PortAfterToken(*line, impl_->spec.ready.token);
}

std::optional<std::string> Process::ReadyLine() const { return impl_->stdout_capture.ReadyLine(); }

bool Process::AddressInUse() {
  if (impl_->became_ready || Running()) {
    return false;
  }
  return MentionsAddressInUse(StderrTail(4096));
}
bool Process::Running() { return !impl_->Exited(false); }

bool Process::WaitExit(std::chrono::milliseconds timeout) { return impl_->WaitExit(timeout); }

std::optional<int> Process::ExitStatus() {
  if (!impl_->Exited(false) || !WIFEXITED(impl_->wait_status)) {
    return std::nullopt;
  }
  return WEXITSTATUS(impl_->wait_status);
}

std::optional<int> Process::ExitCode() {
  if (!impl_->Exited(false)) {
    return std::nullopt;
  }
  const int st = impl_->wait_status;
  return WIFSIGNALED(st) ? 128 + WTERMSIG(st) : WEXITSTATUS(st);
}

std::string Process::ExitDescription() {
  if (!impl_->Exited(false)) {
    return "running";
  }
  int st = impl_->wait_status;
  if (WIFEXITED(st)) {
    return "exited with status " + std::to_string(WEXITSTATUS(st));
  }
  if (WIFSIGNALED(st)) {
    return "was killed by signal " + std::to_string(WTERMSIG(st)) + " (" + strsignal(WTERMSIG(st)) +
           ")";
  }
  return "exited";
}

void Process::Stop() {
  Impl& s = *impl_;
  if (s.stopped) {
    return;
  }
  s.stopped = true;
  s.stdin_w.Reset();
  // The group is signalled before the leader is reaped (a zombie leader
  // keeps the group's id from being reused); once somebody else reaped it,
  // the id may belong to a stranger and is left alone.
  if (!s.reaped) {
    if (!s.Exited(false)) {
      ::kill(-s.pid, SIGTERM);
      s.WaitExit(s.spec.grace);
    }
    // Whatever is left in the group (a leader that ignored SIGTERM, the
    // grandchildren) is killed.
    ::kill(-s.pid, SIGKILL);
    s.Exited(true);
    s.ReapGroup();
  }
  UnregisterProcessGroup(s.pid);
  ForgetLeader(s.pid);
  LauncherThread::Run(ReapStrayChildren);
  s.stdout_capture.Join();
  s.stdout_r.Reset();
}

std::string Process::StderrTail(std::size_t max_bytes) const {
  // Bounded: a relay may write gigabytes of stderr; the excerpt needs its
  // first error lines and its end.
  constexpr std::size_t kStderrReadBytes = 256 * 1024;
  return StderrExcerpt(FileHeadAndTail(impl_->spec.stderr_path, kStderrReadBytes, kStderrReadBytes),
                       max_bytes);
}

namespace {

constexpr std::size_t kErrorLinesShown = 3;
constexpr std::size_t kErrorLineBytes = 160;

bool LooksLikeError(std::string_view line) {
  static constexpr std::string_view kMarkers[] = {"error", "traceback", "panic", "exception",
                                                  "fatal"};
  const std::string lower = text::ToLowerAscii(line);
  for (const std::string_view marker : kMarkers) {
    if (lower.find(marker) != std::string::npos) {
      return true;
    }
  }
  return false;
}

}  // namespace

std::string StderrExcerpt(std::string_view text, std::size_t max_bytes) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) {
    text.remove_suffix(1);
  }
  if (text.empty()) {
    return "(empty)";
  }
  if (text.size() <= max_bytes) {
    return std::string(text);
  }
  // Only lines that end before the shortest tail shown, so no line is shown twice.
  const std::size_t scan_end = text.size() - max_bytes / 2;
  std::string head;
  std::size_t shown = 0;
  for (std::size_t pos = 0; pos < scan_end && shown < kErrorLinesShown;) {
    std::size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos || eol > scan_end) {
      break;
    }
    std::string_view line = text.substr(pos, eol - pos);
    if (!line.empty() && line.back() == '\r') {
      line.remove_suffix(1);
    }
    if (LooksLikeError(line)) {
      line = line.substr(0, kErrorLineBytes);
      if (head.size() + line.size() + 1 > max_bytes / 2) {
        break;
      }
      head.append(line).push_back('\n');
      ++shown;
    }
    pos = eol + 1;
  }
  return head + "..." + std::string(text.substr(text.size() - (max_bytes - head.size())));
}

int Process::stdin_fd() const { return impl_->stdin_w.fd; }
int Process::stdout_fd() const { return impl_->stdout_r.fd; }
void Process::CloseStdin() { impl_->stdin_w.Reset(); }
int Process::pid() const { return impl_->pid; }
const ProcessSpec& Process::spec() const { return impl_->spec; }

ProcessSpec LaunchSpecFor(const Manifest& manifest, LaunchRole role, const Placeholders& ph) {
  const bool relay = role == LaunchRole::kRelay;
  const RoleSpec& spec = relay ? *manifest.relay : *manifest.device;
  ProcessSpec ps;
  ps.name = std::string(relay ? "relay (" : "device (") + manifest.name + ")";
  ps.argv = ExpandCommand(spec.command, ph);
  for (const auto& [k, v] : manifest.env) {
    ps.env.emplace_back(k, Expand(v, ph));
  }
  for (auto& kv : PlaceholderEnv(ph)) {
    ps.env.push_back(std::move(kv));
  }
  ps.workdir = ph.workdir;
  ps.ready = spec.ready;
  ps.pipe_stdio = !relay;
  return ps;
}

}  // namespace tigress::harness
