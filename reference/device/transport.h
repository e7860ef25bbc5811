// File: reference/device/transport.h
//
// The device's view of HTTP: one request in, one response (or a transport
// error) out. The device logic (device.h) talks only to this interface, so
// unit tests drive it with a fake relay; curl_client.cc implements it over
// common/http_client.h.
//
//   std::unique_ptr<Transport> t = MakeCurlTransport({.ca_file = "ca.pem"}).value();
//   Result<HttpResponse> r = t->Send({"PUT", url, {{"Mailbox-Device-Claim", c}}, body});
//   // r.error() is kTransportFailure when no HTTP response arrived.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "protocol/result.h"

namespace tigress::device {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
  std::string method;  // "POST", "PUT", "DELETE", "PATCH"
  std::string url;     // absolute https URL, never with a fragment
  HeaderList headers;  // in order; Content-Type is set by the caller when there is a body
  std::string body;    // empty: no body (Content-Length: 0 for POST/PUT)
};

struct HttpResponse {
  int status = 0;
  HeaderList headers;  // names as received
  std::string body;

  // `Header` finds a header by case-insensitive name; the first one wins.
  std::optional<std::string> Header(std::string_view name) const;
};

// `Transport` performs one HTTP exchange. Errors: kTransportFailure (with a
// detail naming the method, URL and cause) when no HTTP response was read:
// connection refused, TLS failure, timeout, connection dropped.
class Transport {
 public:
  Transport() = default;
  virtual ~Transport() = default;
  Transport(const Transport&) = delete;
  Transport& operator=(const Transport&) = delete;
  Transport(Transport&&) = delete;
  Transport& operator=(Transport&&) = delete;
  virtual Result<HttpResponse> Send(const HttpRequest& request) = 0;
};

struct TransportOptions {
  std::string ca_file;      // PEM file: the only trust anchor
  bool verify_peer = true;  // false only under the accept-untrusted-cert fault
  // Two attempts of one request (a resend after no response) stay within
  // the harness's default 15 s call timeout.
  std::chrono::milliseconds timeout{5000};
  std::chrono::milliseconds connect_timeout{3000};
};

// `TransportFactory` makes a transport for the options (the adapter calls it
// on `configure`). Errors: kDeviceUsage when the CA file cannot be read.
using TransportFactory =
    std::function<Result<std::unique_ptr<Transport>>(const TransportOptions& options)>;

}  // namespace tigress::device
