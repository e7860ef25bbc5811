// The one translation unit with Boost.Process v2 (and so Asio): keep it small.
#define BOOST_PROCESS_USE_STD_FS 1

#include "harness/process/supervisor.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <condition_variable>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <fstream>
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

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>

extern char** environ;

namespace tigress::harness {

namespace bp = boost::process::v2;

namespace {

// ---- signal-safe registry of live process groups ----

constexpr std::size_t kMaxGroups = 1024;
std::array<std::atomic<pid_t>, kMaxGroups> g_groups{};

void RegisterGroup(pid_t pgid) {
  for (auto& slot : g_groups) {
    pid_t expected = 0;
    if (slot.compare_exchange_strong(expected, pgid)) {
      return;
    }
  }
}

void UnregisterGroup(pid_t pgid) {
  for (auto& slot : g_groups) {
    pid_t expected = pgid;
    if (slot.compare_exchange_strong(expected, 0)) {
      return;
    }
  }
}

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

// ---- process launch helpers ----

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

struct Fd {
  int fd = -1;
  Fd() = default;
  explicit Fd(int f) : fd(f) {}
  Fd(Fd&& o) noexcept : fd(std::exchange(o.fd, -1)) {}
  Fd& operator=(Fd&& o) noexcept {
    if (this != &o) {
      Reset();
      fd = std::exchange(o.fd, -1);
    }
    return *this;
  }
  ~Fd() { Reset(); }
  void Reset() {
    if (fd >= 0) {
      ::close(fd);
    }
    fd = -1;
  }
};

bool MakePipe(Fd& read_end, Fd& write_end) {
  int p[2];
  if (::pipe2(p, O_CLOEXEC) != 0) {
    return false;
  }
  read_end = Fd(p[0]);
  write_end = Fd(p[1]);
  return true;
}

std::mutex g_ports_mu;
std::set<int> g_ports_given;

// The first run of decimal digits after `token` in `line`, if it is a TCP
// port number.
std::optional<int> PortAfterToken(const std::string& line, const std::string& token) {
  if (line.rfind(token, 0) != 0) {
    return std::nullopt;
  }
  std::size_t i = line.find_first_of("0123456789", token.size());
  if (i == std::string::npos) {
    return std::nullopt;
  }
  int value = 0;
  for (; i < line.size() && line[i] >= '0' && line[i] <= '9'; ++i) {
    value = value * 10 + (line[i] - '0');
    if (value > 65535) {
      return std::nullopt;
    }
  }
  if (value < 1) {
    return std::nullopt;
  }
  return static_cast<int>(value);
}

bool ContainsNoCase(std::string_view haystack, std::string_view needle) {
  auto lower = [](unsigned char c) { return std::tolower(c); };
  return std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end(),
                     [&](char a, char b) { return lower(a) == lower(b); }) != haystack.end();
}

}  // namespace

struct Process::Impl {
  ProcessSpec spec;
  pid_t pid = -1;
  Fd pidfd;
  Fd stdin_w;
  Fd stdout_r;
  bool reaped = false;
  int wait_status = 0;
  bool stopped = false;

  // Relay-style stdout: a thread copies lines to a file and looks for the
  // ready token.
  std::thread stdout_thread;
  std::mutex mu;
  std::condition_variable cv;
  bool token_seen = false;
  bool stdout_eof = false;
  std::string ready_line;     // the first line with the token; under mu
  bool became_ready = false;  // WaitReady succeeded

  void CopyStdout(int fd) {
    std::ofstream log(spec.stdout_path, std::ios::binary | std::ios::app);
    std::string pending;
    char buf[4096];
    for (;;) {
      ssize_t n = ::read(fd, buf, sizeof buf);
      if (n < 0 && errno == EINTR) {
        continue;
      }
      if (n <= 0) {
        break;
      }
      log.write(buf, n);
      log.flush();
      pending.append(buf, static_cast<std::size_t>(n));
      std::size_t nl = 0;
      while ((nl = pending.find('\n')) != std::string::npos) {
        std::string line = pending.substr(0, nl);
        pending.erase(0, nl + 1);
        if (!line.empty() && line.back() == '\r') {
          line.pop_back();
        }
        if (spec.ready.kind == ReadySpec::Kind::kStdout && line.rfind(spec.ready.token, 0) == 0) {
          std::lock_guard<std::mutex> lock(mu);
          if (!token_seen) {
            ready_line = line;
          }
          token_seen = true;
          cv.notify_all();
        }
      }
    }
    ::close(fd);
    std::lock_guard<std::mutex> lock(mu);
    stdout_eof = true;
    cv.notify_all();
  }

  // Reaps the leader if it has exited; true when it has.
  bool Reap(bool block) {
    if (reaped) {
      return true;
    }
    int status = 0;
    pid_t r = 0;
    do {
      r = ::waitpid(pid, &status, block ? 0 : WNOHANG);
    } while (r < 0 && errno == EINTR);
    if (r == pid) {
      reaped = true;
      wait_status = status;
      pidfd.Reset();
      return true;
    }
    if (r < 0) {  // ECHILD: somebody else reaped it; treat as gone
      reaped = true;
      return true;
    }
    return false;
  }

  // Waits for the leader to exit, at most `timeout`.
  bool WaitExit(std::chrono::milliseconds timeout) {
    if (Reap(false)) {
      return true;
    }
    auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) {
        return Reap(false);
      }
      if (pidfd.fd >= 0) {
        pollfd p{pidfd.fd, POLLIN, 0};
        ::poll(&p, 1, static_cast<int>(left.count()));
      } else {
        // No pidfd (old kernel): bounded polling is the only option.
        std::this_thread::sleep_for(std::min(left, std::chrono::milliseconds(10)));
      }
      if (Reap(false)) {
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

  // Environment: the harness's own, overridden by the spec's entries.
  std::vector<std::string> env_strings;
  for (char** e = environ; (e != nullptr) && (*e != nullptr); ++e) {
    std::string_view kv(*e);
    std::string_view key = kv.substr(0, kv.find('='));
    bool overridden = false;
    for (const auto& [k, v] : spec.env) {
      overridden = overridden || k == key;
    }
    if (!overridden) {
      env_strings.emplace_back(kv);
    }
  }
  for (const auto& [k, v] : spec.env) {
    env_strings.push_back(k + "=" + v);
  }
  std::vector<const char*> envp;
  for (const auto& s : env_strings) {
    envp.push_back(s.c_str());
  }
  envp.push_back(nullptr);

  Fd err_fd(::open(spec.stderr_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644));
  if (err_fd.fd < 0) {
    return MakeError(
        Errc::kProcessStartFailed,
        what + ": cannot open " + spec.stderr_path.string() + ": " + std::strerror(errno));
  }
  Fd in_r;
  Fd in_w;
  Fd out_r;
  Fd out_w;
  if (spec.pipe_stdio) {
    if (!MakePipe(in_r, in_w)) {
      return MakeError(Errc::kProcessStartFailed, what + ": pipe failed");
    }
  } else {
    in_r = Fd(::open("/dev/null", O_RDONLY | O_CLOEXEC));
  }
  if (!MakePipe(out_r, out_w)) {
    return MakeError(Errc::kProcessStartFailed, what + ": pipe failed");
  }

  std::vector<std::string> args(spec.argv.begin() + 1, spec.argv.end());
  boost::asio::io_context ctx;
  bp::error_code ec;
  bp::posix::default_launcher launcher;
  bp::process proc = launcher(ctx, ec, *exe, args, bp::process_stdio{in_r.fd, out_w.fd, err_fd.fd},
                              bp::process_start_dir{spec.workdir}, ChildEnvironment{envp.data()},
                              NewProcessGroup{});
  if (ec) {
    return MakeError(Errc::kProcessStartFailed, what + ": cannot start: " + ec.message());
  }
  impl->pid = proc.id();
  // From here on the supervisor owns the child (its own waitpid/kill).
  proc.detach();
  RegisterGroup(impl->pid);
  impl->pidfd = Fd(static_cast<int>(::syscall(SYS_pidfd_open, impl->pid, 0)));

  if (spec.pipe_stdio) {
    impl->stdin_w = std::move(in_w);
    impl->stdout_r = std::move(out_r);
  } else {
    int fd = std::exchange(out_r.fd, -1);
    Impl* raw = impl.get();
    impl->stdout_thread = std::thread([raw, fd] { raw->CopyStdout(fd); });
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
      std::unique_lock<std::mutex> lock(s.mu);
      s.cv.wait_until(lock, deadline, [&] { return s.token_seen || s.stdout_eof; });
      if (s.token_seen) {
        if (s.spec.ready.reports_port && !PortAfterToken(s.ready_line, s.spec.ready.token)) {
          std::string shown = s.ready_line.substr(0, 200);
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
      // Read under the lock: the stdout thread writes stdout_eof.
      const bool eof = s.stdout_eof;
      lock.unlock();
      if (eof || !Running()) {
        return died();
      }
      return MakeError(Errc::kProcessNotReady,
                       s.spec.name + ": no stdout line starting with '" + s.spec.ready.token +
                           "' within " + std::to_string(s.spec.ready.timeout.count()) + " ms");
    }
    case ReadySpec::Kind::kTcp: {
      // A connect probe has no event to await; retry with a short bounded pause.
      while (std::chrono::steady_clock::now() < deadline) {
        int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(static_cast<uint16_t>(s.spec.port));
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        int rc = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
        ::close(fd);
        if (rc == 0) {
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
  std::lock_guard<std::mutex> lock(impl_->mu);
  if (!impl_->token_seen) {
    return std::nullopt;
  }
  return PortAfterToken(impl_->ready_line, impl_->spec.ready.token);
}

std::optional<std::string> Process::ReadyLine() const {
  std::lock_guard<std::mutex> lock(impl_->mu);
  if (!impl_->token_seen) {
    return std::nullopt;
  }
  return impl_->ready_line;
}

bool Process::AddressInUse() {
  if (impl_->became_ready || Running()) {
    return false;
  }
  const std::string tail = StderrTail(4096);
  return ContainsNoCase(tail, "Address already in use") || ContainsNoCase(tail, "EADDRINUSE");
}

bool Process::Running() { return !impl_->Reap(false); }

bool Process::WaitExit(std::chrono::milliseconds timeout) { return impl_->WaitExit(timeout); }

std::optional<int> Process::ExitStatus() {
  if (!impl_->Reap(false) || !WIFEXITED(impl_->wait_status)) {
    return std::nullopt;
  }
  return WEXITSTATUS(impl_->wait_status);
}

std::optional<int> Process::ExitCode() {
  if (!impl_->Reap(false)) {
    return std::nullopt;
  }
  const int st = impl_->wait_status;
  return WIFSIGNALED(st) ? 128 + WTERMSIG(st) : WEXITSTATUS(st);
}

std::string Process::ExitDescription() {
  if (!impl_->Reap(false)) {
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
  if (!s.Reap(false)) {
    ::kill(-s.pid, SIGTERM);
    if (!s.WaitExit(s.spec.grace)) {
      ::kill(-s.pid, SIGKILL);
      s.Reap(true);
    }
  }
  // The leader is gone; make sure nothing it left behind in its group lives on.
  ::kill(-s.pid, SIGKILL);
  UnregisterGroup(s.pid);
  if (s.stdout_thread.joinable()) {
    s.stdout_thread.join();
  }
  s.stdout_r.Reset();
}

std::string Process::StderrTail(std::size_t max_bytes) const {
  std::ifstream in(impl_->spec.stderr_path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string all = ss.str();
  if (all.size() > max_bytes) {
    all = "..." + all.substr(all.size() - max_bytes);
  }
  while (!all.empty() && (all.back() == '\n' || all.back() == '\r')) {
    all.pop_back();
  }
  return all.empty() ? "(empty)" : all;
}

int Process::stdin_fd() const { return impl_->stdin_w.fd; }
int Process::stdout_fd() const { return impl_->stdout_r.fd; }
void Process::CloseStdin() { impl_->stdin_w.Reset(); }
int Process::pid() const { return impl_->pid; }
const ProcessSpec& Process::spec() const { return impl_->spec; }

Result<int> FreeLoopbackPort() {
  for (int attempt = 0; attempt < 64; ++attempt) {
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
      break;
    }
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = 0;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    int port = -1;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
      port = ntohs(addr.sin_port);
    }
    ::close(fd);
    if (port <= 0) {
      break;
    }
    std::lock_guard<std::mutex> lock(g_ports_mu);
    if (g_ports_given.insert(port).second) {
      return port;
    }
  }
  return MakeError(Errc::kProcessStartFailed, "could not find a free loopback port");
}

void InstallInterruptHandler() {
  struct sigaction sa {};
  sa.sa_handler = KillAllAndExit;
  sigemptyset(&sa.sa_mask);
  ::sigaction(SIGINT, &sa, nullptr);
  ::sigaction(SIGTERM, &sa, nullptr);
  // A dead adapter must surface as EPIPE on write, not kill the harness.
  ::signal(SIGPIPE, SIG_IGN);
}

int LiveProcessGroups() {
  int n = 0;
  for (auto& slot : g_groups) {
    n += slot.load() > 0 ? 1 : 0;
  }
  return n;
}

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
