#include "tests/device/adapter_process.h"

#include <cstdlib>
#include <fcntl.h>
#include <optional>
#include <poll.h>
#include <signal.h>
#include <thread>
#include <unistd.h>

#include <sys/wait.h>

extern char** environ;

namespace tigress::device::testing {
namespace {

Error Fail(std::string detail) { return MakeError(Errc::kTransportFailure, std::move(detail)); }

std::optional<int> Reap(pid_t pid, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    int status = 0;
    pid_t r = waitpid(pid, &status, WNOHANG);
    if (r == pid) {
      if (WIFEXITED(status)) return WEXITSTATUS(status);
      if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
      return -1;
    }
    if (r < 0 || std::chrono::steady_clock::now() >= deadline) return std::nullopt;
    // Process exit is not pollable without pidfd here; a short bounded step.
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

}  // namespace

Result<std::unique_ptr<AdapterProcess>> AdapterProcess::Start(
    const std::vector<std::string>& argv,
    const std::vector<std::pair<std::string, std::string>>& env,
    const std::filesystem::path& stderr_file) {
  if (argv.empty()) return Fail("empty argv");
  int in_pipe[2];
  int out_pipe[2];
  if (pipe2(in_pipe, O_CLOEXEC) != 0) return Fail("pipe failed");
  if (pipe2(out_pipe, O_CLOEXEC) != 0) {
    close(in_pipe[0]);
    close(in_pipe[1]);
    return Fail("pipe failed");
  }
  int err_fd = open(stderr_file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  std::vector<std::string> env_strings;
  for (char** e = environ; *e != nullptr; ++e) {
    std::string_view kv(*e);
    bool overridden = false;
    for (const auto& [k, v] : env) overridden = overridden || kv.rfind(k + "=", 0) == 0;
    if (!overridden) env_strings.emplace_back(kv);
  }
  for (const auto& [k, v] : env) env_strings.push_back(k + "=" + v);
  std::vector<char*> args, envp;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  for (std::string& e : env_strings) envp.push_back(e.data());
  envp.push_back(nullptr);
  pid_t pid = fork();
  if (pid < 0) return Fail("fork failed");
  if (pid == 0) {
    dup2(in_pipe[0], STDIN_FILENO);
    dup2(out_pipe[1], STDOUT_FILENO);
    if (err_fd >= 0) dup2(err_fd, STDERR_FILENO);
    execve(args[0], args.data(), envp.data());
    _exit(127);
  }
  close(in_pipe[0]);
  close(out_pipe[1]);
  if (err_fd >= 0) close(err_fd);
  signal(SIGPIPE, SIG_IGN);
  return std::unique_ptr<AdapterProcess>(new AdapterProcess(pid, in_pipe[1], out_pipe[0]));
}

AdapterProcess::~AdapterProcess() {
  if (in_fd_ >= 0) close(in_fd_);
  if (!reaped_ && !Reap(pid_, std::chrono::milliseconds(2000))) {
    kill(pid_, SIGKILL);
    Reap(pid_, std::chrono::milliseconds(2000));
  }
  close(out_fd_);
}

Result<std::string> AdapterProcess::SendRaw(const std::string& line,
                                            std::chrono::milliseconds timeout) {
  std::string out = line + "\n";
  std::size_t done = 0;
  while (done < out.size()) {
    ssize_t n = write(in_fd_, out.data() + done, out.size() - done);
    if (n <= 0) return Fail("writing to the adapter failed (did it exit?)");
    done += static_cast<std::size_t>(n);
  }
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    std::size_t nl = buffer_.find('\n');
    if (nl != std::string::npos) {
      std::string got = buffer_.substr(0, nl);
      buffer_.erase(0, nl + 1);
      return got;
    }
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0)
      return Fail("no response line within " + std::to_string(timeout.count()) + " ms");
    pollfd pfd{out_fd_, POLLIN, 0};
    if (poll(&pfd, 1, static_cast<int>(left.count())) <= 0) continue;
    char buf[4096];
    ssize_t n = read(out_fd_, buf, sizeof buf);
    if (n <= 0) return Fail("the adapter closed stdout");
    buffer_.append(buf, static_cast<std::size_t>(n));
  }
}

Result<Json> AdapterProcess::Call(const std::string& method, const Json& params,
                                  std::chrono::milliseconds timeout) {
  int id = next_id_++;
  Json request{{"jsonrpc", "2.0"}, {"id", id}, {"method", method}, {"params", params}};
  TIGRESS_ASSIGN_OR_RETURN(std::string line, SendRaw(request.dump(), timeout));
  Json response = Json::parse(line, nullptr, false);
  if (response.is_discarded() || !response.is_object())
    return Fail(method + ": response is not a JSON object: " + line);
  if (response["id"] != id) return Fail(method + ": response has another id: " + line);
  if (response.contains("result") == response.contains("error")) {
    return Fail(method + ": response needs exactly one of result/error: " + line);
  }
  return response;
}

Result<int> AdapterProcess::WaitExit(std::chrono::milliseconds timeout) {
  if (reaped_) return Fail("already reaped");
  auto code = Reap(pid_, timeout);
  if (!code) return Fail("the adapter did not exit in time");
  reaped_ = true;
  return *code;
}

}  // namespace tigress::device::testing
