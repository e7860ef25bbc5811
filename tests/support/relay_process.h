// File: tests/support/relay_process.h
//
// Support for tests and the benchmark that drive a real `tigress-relay` (or
// any server that prints `READY <port>`) as a child process, started through
// the harness's supervisor (harness/process: own process group, stderr to a
// file, bounded readiness):
//   - `PkiFiles`: a pki::TestPki written to ca.pem / cert.pem / key.pem;
//   - `ChildProcess`: a started server, or a command run to completion.
//
//   ScratchDir dir("tigress-relay");
//   PkiFiles pki = PkiFiles::Write(dir.path()).value();
//   auto relay = ChildProcess::StartAndWaitReady(
//       {bin, "--listen", "127.0.0.1:0", "--tls-cert", pki.cert, ...},
//       dir.path() / "relay.log").value();
//   HttpsClient client(pki.ca_pem);          // tests/support/tls_clients.h
//   auto r = client.Send("POST", relay->BaseUrl() + "/v1/m", headers, body).value();
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "pki/test_ca.h"
#include "protocol/result.h"

namespace tigress::harness {
class Process;
}

namespace tigress::test_support {

struct PkiFiles {
  pki::TestPki pki;
  std::string ca;  // file paths
  std::string cert;
  std::string key;
  // `Write` makes a fresh PKI and writes its PEM files into `dir`. Errors:
  // the PKI's, or kTransportFailure when a file cannot be written.
  static Result<PkiFiles> Write(const std::filesystem::path& dir);
};

class ChildProcess {
 public:
  // `StartAndWaitReady` runs `argv` (in the current directory, stdin from
  // /dev/null, stdout and stderr appended to `log_file`) and waits up to
  // `timeout` for a stdout line `READY <port>`. Errors (the supervisor's):
  // kProcessStartFailed (no such executable), kProcessDied (exited first;
  // names the status and the log's tail), kProcessNotReady (stayed silent),
  // kReadyLineInvalid (READY without a port).
  static Result<std::unique_ptr<ChildProcess>> StartAndWaitReady(
      const std::vector<std::string>& argv, const std::filesystem::path& log_file,
      std::chrono::milliseconds timeout = std::chrono::seconds(10));

  // `Run` runs `argv` to completion (killed after `timeout`) and returns its
  // exit code (128+signal when a signal ended it) and its output: all of
  // stdout, then all of stderr. Errors: kProcessStartFailed.
  static Result<std::pair<int, std::string>> Run(
      const std::vector<std::string>& argv,
      std::chrono::milliseconds timeout = std::chrono::seconds(10));

  ~ChildProcess();  // SIGKILLs the process group if it still runs, and reaps
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  int port() const { return port_; }
  // The READY line as printed, without the newline ("READY 40123").
  const std::string& ready_line() const { return ready_line_; }
  int pid() const;
  std::string BaseUrl() const { return "https://127.0.0.1:" + std::to_string(port_); }

  // `Signal` sends `sig` to the process (not its group) while it runs.
  void Signal(int sig);
  // `WaitExit` waits up to `timeout` for the exit and returns the exit code
  // (128+signal if it died of one); again the same code once it has exited.
  // Errors: kTransportFailure naming the timeout when it still runs.
  Result<int> WaitExit(std::chrono::milliseconds timeout = std::chrono::seconds(10));

 private:
  ChildProcess(std::unique_ptr<harness::Process> process, int port, std::string ready_line);
  std::unique_ptr<harness::Process> process_;
  int port_;
  std::string ready_line_;
};

}  // namespace tigress::test_support
