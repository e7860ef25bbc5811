// File: tests/support/adapter_process.h
//
// A real device adapter child process (`tigress-device adapter`) for
// integration tests, started through the harness's supervisor with stdin and
// stdout on pipes and stderr to a file. `Call` goes through the harness's own
// JSON-RPC client (harness/process/adapter_client.h); `SendRaw` writes a line
// the client would never send.
//
//   auto dev = AdapterProcess::Start({bin, "adapter"}, {{"TIGRESS_DEVICE_FAULT", "iv-reuse"}},
//                                    log).value();
//   Json r = dev->Call("hello", Json::object()).value();  // {"result": ...} or {"error": ...}
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "protocol/messages.h"

namespace tigress::harness {
class AdapterClient;
class Process;
}  // namespace tigress::harness

namespace tigress::test_support {

class AdapterProcess {
 public:
  // `Start` runs `argv` in the current directory with the current environment
  // plus `env`, stderr appended to `stderr_file`. Ignores SIGPIPE in the test
  // process, so writing to an adapter that exited is an error, not a crash.
  // Errors: kProcessStartFailed when the process cannot be started.
  static Result<std::unique_ptr<AdapterProcess>> Start(
      const std::vector<std::string>& argv,
      const std::vector<std::pair<std::string, std::string>>& env,
      const std::filesystem::path& stderr_file);

  ~AdapterProcess();  // closes stdin, waits up to 2 s, then SIGKILLs the group
  AdapterProcess(const AdapterProcess&) = delete;
  AdapterProcess& operator=(const AdapterProcess&) = delete;

  // `Call` sends one request and returns the response as {"result": ...} or
  // {"error": {"code", "message", "data"}}, after the client checked it is one
  // JSON line carrying the request's id. Errors: kTransportFailure (timeout,
  // EOF, a line that is not JSON or has another id); after one, every later
  // `Call` fails too (a late answer could be taken for the next).
  Result<Json> Call(const std::string& method, const Json& params,
                    std::chrono::milliseconds timeout = std::chrono::seconds(15));

  // `SendRaw` writes `line` (plus '\n') and returns the next response line.
  // Errors: kTransportFailure (write failed, EOF, timeout).
  Result<std::string> SendRaw(const std::string& line,
                              std::chrono::milliseconds timeout = std::chrono::seconds(15));

  // `WaitExit` waits up to `timeout` for the exit and returns the exit code
  // (128+signal if it died of one). Errors: kTransportFailure on timeout.
  Result<int> WaitExit(std::chrono::milliseconds timeout);

 private:
  explicit AdapterProcess(std::unique_ptr<harness::Process> process);
  std::unique_ptr<harness::Process> process_;
  std::unique_ptr<harness::AdapterClient> client_;
};

}  // namespace tigress::test_support
