// File: tests/device/adapter_process.h
//
// A real `tigress-device adapter` child process for integration tests:
// fork/exec with stdin and stdout on pipes and stderr to a file, one JSON-RPC
// call at a time with a bounded wait for the one response line.
//
//   auto dev = AdapterProcess::Start({bin, "adapter"}, {{"TIGRESS_DEVICE_FAULT", "iv-reuse"}},
//   log).value(); Json r = dev->Call("hello", Json::object()).value();   // the whole response
//   object
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "protocol/messages.h"
#include <sys/types.h>

namespace tigress::device::testing {

class AdapterProcess {
 public:
  // `Start` runs `argv` with the current environment plus `env`. Errors:
  // kTransportFailure when the process cannot be started.
  static Result<std::unique_ptr<AdapterProcess>> Start(
      const std::vector<std::string>& argv,
      const std::vector<std::pair<std::string, std::string>>& env,
      const std::filesystem::path& stderr_file);

  ~AdapterProcess();  // closes stdin, waits briefly, then SIGKILL
  AdapterProcess(const AdapterProcess&) = delete;
  AdapterProcess& operator=(const AdapterProcess&) = delete;

  // `Call` sends one request and returns the response object, after checking
  // it is one JSON line carrying the request's id. Errors: kTransportFailure
  // (timeout, EOF, a line that is not JSON or has another id).
  Result<Json> Call(const std::string& method, const Json& params,
                    std::chrono::milliseconds timeout = std::chrono::seconds(15));

  // `SendRaw` writes `line` (plus '\n') and returns the next response line.
  Result<std::string> SendRaw(const std::string& line,
                              std::chrono::milliseconds timeout = std::chrono::seconds(15));

  // `WaitExit` reaps the process within `timeout` and returns its exit code.
  Result<int> WaitExit(std::chrono::milliseconds timeout);

 private:
  AdapterProcess(pid_t pid, int in_fd, int out_fd) : pid_(pid), in_fd_(in_fd), out_fd_(out_fd) {}
  pid_t pid_;
  int in_fd_;
  int out_fd_;
  bool reaped_ = false;
  int next_id_ = 1;
  std::string buffer_;
};

}  // namespace tigress::device::testing
