// File: reference/relay/testing/relay_process.h
//
// Support for tests and the benchmark that drive a real `tigress-relay`
// process over real TLS on loopback:
//   - `TempDir`: a fresh directory removed on destruction;
//   - `PkiFiles`: a pki::TestPki written to ca.pem / cert.pem / key.pem;
//   - `ChildProcess`: fork+exec with stdout on a pipe and stderr to a file,
//     waiting (bounded) for the `READY <port>` line;
//   - `HttpsClient`: one libcurl easy handle (keep-alive) that trusts only the
//     given CA;
//   - `RawTlsConnection`: a TLS connection that sends and reads raw bytes, for
//     requests a well-behaved client would not send and for watching when the
//     server closes.
//
//   TempDir dir;
//   PkiFiles pki = PkiFiles::Write(dir.path()).value();
//   auto relay = ChildProcess::StartAndWaitReady(
//       {bin, "--listen", "127.0.0.1:0", "--tls-cert", pki.cert, ...}, dir.path() /
//       "relay.log").value();
//   HttpsClient client(pki.ca_pem);
//   auto r = client.Send("POST", relay->BaseUrl() + "/v1/m", headers, body).value();
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "pki/test_ca.h"
#include "protocol/result.h"
#include <sys/types.h>

namespace tigress::relay::testing {

class TempDir {
 public:
  TempDir();  // aborts if no directory can be made under $TMPDIR or /tmp
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

struct PkiFiles {
  pki::TestPki pki;
  std::string ca;  // file paths
  std::string cert;
  std::string key;
  // `Write` makes a fresh PKI and writes its PEM files into `dir`.
  static Result<PkiFiles> Write(const std::filesystem::path& dir);
};

class ChildProcess {
 public:
  // `StartAndWaitReady` runs `argv` and waits up to `timeout` for a stdout
  // line `READY <port>`. Errors (kTransportFailure) say whether the process
  // could not start, exited (with its status) or stayed silent.
  static Result<std::unique_ptr<ChildProcess>> StartAndWaitReady(
      const std::vector<std::string>& argv, const std::filesystem::path& stderr_file,
      std::chrono::milliseconds timeout = std::chrono::seconds(10));

  // `Run` runs `argv` to completion (bounded by `timeout`, then SIGKILL) and
  // returns its exit code (128+signal when killed) and stdout+stderr.
  static Result<std::pair<int, std::string>> Run(
      const std::vector<std::string>& argv,
      std::chrono::milliseconds timeout = std::chrono::seconds(10));

  ~ChildProcess();  // SIGKILL and reap if still running
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  int port() const { return port_; }
  // The READY line as printed, without the newline ("READY 40123").
  const std::string& ready_line() const { return ready_line_; }
  pid_t pid() const { return pid_; }
  std::string BaseUrl() const { return "https://127.0.0.1:" + std::to_string(port_); }

  // `Signal` sends `sig`; `WaitExit` reaps within `timeout` and returns the
  // exit code (128+signal if it died of one). Errors: kTransportFailure on timeout.
  void Signal(int sig);
  Result<int> WaitExit(std::chrono::milliseconds timeout = std::chrono::seconds(10));

 private:
  ChildProcess(pid_t pid, int port) : pid_(pid), port_(port) {}
  pid_t pid_;
  int port_;
  std::string ready_line_;
  bool reaped_ = false;
};

struct HttpResult {
  long status = 0;
  std::vector<std::pair<std::string, std::string>> headers;  // names as received
  std::string body;
  std::optional<std::string> Header(std::string_view name) const;
};

class HttpsClient {
 public:
  // Trusts only `ca_pem` (no system store). Keeps its connection alive.
  explicit HttpsClient(std::string ca_pem);
  ~HttpsClient();
  HttpsClient(const HttpsClient&) = delete;
  HttpsClient& operator=(const HttpsClient&) = delete;

  // `Send` performs one request (HEAD reads no body). Errors: kTransportFailure
  // with curl's message.
  Result<HttpResult> Send(const std::string& method, const std::string& url,
                          const std::vector<std::pair<std::string, std::string>>& headers,
                          const std::string& body = {});

 private:
  std::string ca_pem_;
  void* curl_;  // CURL*, kept opaque so includers need no curl headers
};

class RawTlsConnection {
 public:
  // `Connect` opens a TCP connection to 127.0.0.1:`port` and completes a TLS
  // handshake that trusts only `ca_pem`, within 5 s. Errors: kTransportFailure.
  static Result<std::unique_ptr<RawTlsConnection>> Connect(int port, const std::string& ca_pem);
  ~RawTlsConnection();
  RawTlsConnection(const RawTlsConnection&) = delete;
  RawTlsConnection& operator=(const RawTlsConnection&) = delete;

  // `Write` sends `bytes` within `timeout`. Errors: kTransportFailure (the
  // peer closed or reset, or the timeout passed).
  Result<void> Write(std::string_view bytes,
                     std::chrono::milliseconds timeout = std::chrono::seconds(5));

  struct ReadResult {
    std::string data;     // everything read
    bool closed = false;  // the peer closed (close_notify, EOF or reset)
  };
  // `Read` reads until `data` contains `until` (when not empty), the peer
  // closes, or `timeout` passes, whichever comes first.
  ReadResult Read(std::chrono::milliseconds timeout, std::string_view until = {});

 private:
  RawTlsConnection() = default;
  int fd_ = -1;
  void* ctx_ = nullptr;  // SSL_CTX*
  void* ssl_ = nullptr;  // SSL*
};

}  // namespace tigress::relay::testing
