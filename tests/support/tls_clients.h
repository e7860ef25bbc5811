// File: tests/support/tls_clients.h
//
// Clients for tests and the benchmark that talk to a relay over real TLS on
// loopback, trusting only a test CA:
//   - `HttpsClient`: the project's HTTP client (common/http_client.h) with a
//     kept-alive connection and the defaults a relay test wants;
//   - `RawTlsConnection`: a TLS connection that sends and reads raw bytes, for
//     requests a well-behaved client would not send and for watching when the
//     server closes.
//
//   HttpsClient client(pki.pki.ca_cert_pem);
//   auto r = client.Send("POST", relay->BaseUrl() + "/v1/m", headers, body).value();
//   if (r.status == 200) ... r.Header("Mailbox-Request-ID") ...
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/http_client.h"
#include "protocol/result.h"

namespace tigress::test_support {

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

  // `Send` performs one request within 15 s: `headers` in order after a
  // Content-Type: application/json when `body` is not empty; a body (even an
  // empty one) goes with every method but GET and HEAD when it is not empty
  // or the method is POST or PUT; no Expect. A response whose status arrived
  // is returned even if the connection then failed. Errors: kTransportFailure
  // with the client's "<METHOD> <url>: <reason>".
  Result<HttpResult> Send(const std::string& method, const std::string& url,
                          const std::vector<std::pair<std::string, std::string>>& headers,
                          const std::string& body = {});

 private:
  http::Client client_;
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

}  // namespace tigress::test_support
