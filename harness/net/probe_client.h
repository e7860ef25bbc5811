// File: harness/net/probe_client.h
//
// The probe client: raw HTTPS requests to a relay as a device or an attacker,
// with full control of method, URL, headers and body (a thin layer over
// common/http_client.h). It trusts only the run's test CA.
//
//   ProbeClient probe(ca_file);
//   HttpRequest req{.method = "POST", .url = base + "/v1/m",
//                   .headers = {{"Mailbox-Device-Claim", claim}}, .body = json_text};
//   Result<HttpResponse> resp = probe.Send(req);
//
// Nothing is added behind the caller's back except Host, Content-Length and,
// for a body of kExpectContinueThreshold (1 MiB) octets or more, `Expect:
// 100-continue` (RFC 9110 §10.1.1), so a relay can refuse a large body with
// 413 before it is sent; a caller that sets an Expect header itself gets
// exactly that header instead (an empty value sends "Expect:" and waits for
// nothing). libcurl's default Content-Type for POST and its Expect on smaller
// bodies are suppressed, so an "attacker" request is what the scenario says.
// curl sends the body anyway when no interim or final answer comes within
// one second.
//
// A response that arrived is returned even when the exchange then ends in a
// transport error (RFC 9110 §15.5.14 and RFC 9112 §9.5: a server may answer
// and close before it has read the whole request body): the status, the
// headers and the body received so far, with the error described in
// `HttpResponse::transport_note`. Only a timeout, or an exchange that ended
// before a final (non-1xx) status line arrived, is an error.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "harness/config/defaults.h"
#include "protocol/result.h"

namespace tigress::harness {

struct HttpRequest {
  std::string method = "GET";
  std::string url;  // absolute https URL; a #fragment is never sent
  std::vector<std::pair<std::string, std::string>> headers;
  std::optional<std::string> body;
  std::chrono::milliseconds timeout{kDefaultHttpTimeoutMs};
  // Slow and abandoned clients (all off by default). With `chunk_size` > 0 the
  // body is uploaded that many octets at a time, `chunk_pause` apart. With
  // `abort_after` the upload stops after that many body octets and the
  // connection is dropped (a transport error). With `connect_only` > 0 the
  // connection is opened (TCP and TLS), left idle that long, and closed
  // without a request (a kHttpTransport error "connect only", no response).
  std::size_t chunk_size = 0;
  std::chrono::milliseconds chunk_pause{0};
  std::optional<std::size_t> abort_after;
  std::chrono::milliseconds connect_only{0};
  // The highest TLS version offered ("1.0" .. "1.3"; empty: the library's
  // default). Below 1.2 the probe also offers TLS 1.0 and legacy ciphers, so
  // it is the server that accepts or refuses them, not the local policy.
  std::string tls_max;
};

struct HttpResponse {
  int status = 0;
  std::string http_version;                                  // "HTTP/1.1"
  std::vector<std::pair<std::string, std::string>> headers;  // in arrival order
  std::string body;  // as much as arrived (see transport_note)
  double elapsed_ms = 0;
  // Empty when the exchange completed. Otherwise how the transport ended
  // after the response status arrived, e.g. "connection closed by the server
  // while the request body was being sent: Failed sending data to the peer";
  // the response may then be incomplete (a short body, or headers cut off).
  std::string transport_note;
};

// Request bodies of this many octets or more are sent with
// `Expect: 100-continue`.
inline constexpr std::size_t kExpectContinueThreshold = std::size_t{1024} * 1024;

class ProbeClient {
 public:
  // `ca_file` is the PEM trust anchor (the run's test CA).
  explicit ProbeClient(std::string ca_file);

  // `Send` performs one exchange on a fresh connection. A response whose
  // final status line arrived is returned even if the transport failed later
  // (then `transport_note` says how). Errors: kHttpTransport naming curl's
  // reason: refused, TLS failure, a timeout (even after a status arrived), a
  // connection closed before any final status line.
  Result<HttpResponse> Send(const HttpRequest& request) const;

 private:
  std::string ca_file_;
};

// `StripFragment` drops "#..." from a URL.
std::string StripFragment(const std::string& url);

}  // namespace tigress::harness
