#include "tests/support/adapter_process.h"

#include <cerrno>
#include <csignal>
#include <poll.h>
#include <unistd.h>

#include "harness/process/adapter_client.h"
#include "harness/process/supervisor.h"

namespace tigress::test_support {
namespace {

Error Fail(std::string detail) { return MakeError(Errc::kTransportFailure, std::move(detail)); }

}  // namespace

AdapterProcess::AdapterProcess(std::unique_ptr<harness::Process> process)
    : process_(std::move(process)) {
  harness::Process* p = process_.get();
  client_ = std::make_unique<harness::AdapterClient>(
      p->stdin_fd(), p->stdout_fd(), p->spec().name,
      [p] { return p->ExitDescription() + "; stderr tail: " + p->StderrTail(400); });
}

AdapterProcess::~AdapterProcess() = default;  // the client first, then Process::Stop

Result<std::unique_ptr<AdapterProcess>> AdapterProcess::Start(
    const std::vector<std::string>& argv,
    const std::vector<std::pair<std::string, std::string>>& env,
    const std::filesystem::path& stderr_file) {
  harness::ProcessSpec spec;
  spec.name = argv.empty() ? "" : std::filesystem::path(argv.front()).filename().string();
  spec.argv = argv;
  spec.env = env;
  spec.workdir = std::filesystem::current_path();
  spec.stderr_path = stderr_file;
  spec.pipe_stdio = true;
  // An adapter exits on EOF; the grace is how long it gets to do so.
  spec.grace = std::chrono::seconds(2);
  std::signal(SIGPIPE, SIG_IGN);
  TIGRESS_ASSIGN_OR_RETURN(std::unique_ptr<harness::Process> process,
                           harness::Process::Start(spec));
  return std::unique_ptr<AdapterProcess>(new AdapterProcess(std::move(process)));
}

Result<Json> AdapterProcess::Call(const std::string& method, const Json& params,
                                  std::chrono::milliseconds timeout) {
  harness::RpcOutcome out = client_->Call(method, params, timeout);
  switch (out.kind) {
    case harness::RpcOutcome::Kind::kResult:
    case harness::RpcOutcome::Kind::kError:
      return out.Document();
    case harness::RpcOutcome::Kind::kTimeout:
      return Fail(method + ": no response within " + std::to_string(timeout.count()) + " ms");
    case harness::RpcOutcome::Kind::kBroken:
      break;
  }
  return Fail(method + ": " + out.detail);
}

Result<std::string> AdapterProcess::SendRaw(const std::string& line,
                                            std::chrono::milliseconds timeout) {
  std::string out = line + "\n";
  for (std::size_t done = 0; done < out.size();) {
    ssize_t n = ::write(process_->stdin_fd(), out.data() + done, out.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return Fail("writing to the adapter failed (did it exit?)");
    done += static_cast<std::size_t>(n);
  }
  // Byte by byte, so nothing after the line is consumed that `Call` would miss.
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::string got;
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      return Fail("no response line within " + std::to_string(timeout.count()) + " ms");
    }
    pollfd pfd{process_->stdout_fd(), POLLIN, 0};
    if (::poll(&pfd, 1, static_cast<int>(left.count())) <= 0) continue;
    char c = 0;
    ssize_t n = ::read(process_->stdout_fd(), &c, 1);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return Fail("the adapter closed stdout");
    if (c == '\n') return got;
    got += c;
  }
}

Result<int> AdapterProcess::WaitExit(std::chrono::milliseconds timeout) {
  if (!process_->WaitExit(timeout)) return Fail("the adapter did not exit in time");
  return process_->ExitCode().value_or(-1);
}

}  // namespace tigress::test_support
