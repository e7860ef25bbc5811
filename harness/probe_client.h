// File: harness/probe_client.h
//
// The probe client: raw HTTPS requests to a relay as a device or an attacker,
// with full control of method, URL, headers and body (libcurl; the only
// translation unit that touches CURL). It trusts only the run's test CA.
//
//   ProbeClient probe(ca_file);
//   HttpRequest req{.method = "POST", .url = base + "/v1/m",
//                   .headers = {{"Mailbox-Device-Claim", claim}}, .body = json_text};
//   Result<HttpResponse> resp = probe.Send(req);
//
// Nothing is added behind the caller's back except Host and Content-Length:
// libcurl's default Content-Type for POST and its Expect: 100-continue are
// suppressed, so an "attacker" request is exactly what the scenario says.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "protocol/result.h"

namespace tigress::harness {

struct HttpRequest {
  std::string method = "GET";
  std::string url;  // absolute https URL; a #fragment is never sent
  std::vector<std::pair<std::string, std::string>> headers;
  std::optional<std::string> body;
  std::chrono::milliseconds timeout{10'000};
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
  std::string body;
  double elapsed_ms = 0;
};

class ProbeClient {
 public:
  // `ca_file` is the PEM trust anchor (the run's test CA).
  explicit ProbeClient(std::string ca_file);

  // `Send` performs one exchange on a fresh connection. Errors:
  // kHttpTransport naming curl's reason (refused, TLS failure, timeout).
  Result<HttpResponse> Send(const HttpRequest& request) const;

 private:
  std::string ca_file_;
};

// `StripFragment` drops "#..." from a URL.
std::string StripFragment(const std::string& url);

}  // namespace tigress::harness
