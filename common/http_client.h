// File: common/http_client.h
//
// The project's one HTTP(S) client (libcurl; the only translation unit that
// touches it). The harness's probe, the reference device's transport and the
// relay tests' client are thin layers over it, each choosing its own knobs.
//
//   http::Client client({.trust = {.ca_file = "ca.pem"}});
//   http::Request req{.method = "POST", .url = base + "/v1/m",
//                     .headers = {{"Content-Type", "application/json"}}, .body = json};
//   Result<http::Response> resp = client.Send(req);
//
// What goes on the wire is what the request says; the client adds only Host,
// Content-Length and, when asked, `Expect: 100-continue`:
//   - headers go out in order; an empty value is sent as "Name:" (empty);
//   - a body is sent exactly when `body` is set (an empty one as
//     Content-Length: 0), whatever the method; HEAD reads no response body;
//   - libcurl's own Content-Type and Expect are never sent. With
//     `expect_continue_from` set, a body of that many octets or more carries
//     `Expect: 100-continue` (RFC 9110 §10.1.1) unless the caller set an
//     Expect header, which is then sent as is; curl sends the body anyway when
//     no interim or final answer comes within one second;
//   - a #fragment is never sent; redirects are never followed.
//
// Trust: the peer must chain to the trust's CA (a PEM file, or PEM text; no
// CA directory, no system store; or, only with `system_store` and neither
// set, the system's store) and match the URL's host, unless `verify_peer` is
// false. Only https URLs, unless `allow_http`.
//
// Outcome: a response whose final (non-1xx) status line arrived is returned
// even when the exchange then fails (RFC 9110 §15.5.14, RFC 9112 §9.5: a
// server may answer and close before it has read the whole request body),
// with the status, the headers, the body received so far and
// `transport_note` saying how the transport ended. Errors are kHttpTransport
// (callers re-wrap them under their own catalogue code) with the detail
// "<METHOD> <url>: <curl's reason> (<curl's detail>)": refused, TLS failure,
// a timeout (even after a status arrived: a time bound is part of what a
// caller checks), an exchange that ended before a final status line, and
// every `connect_only` request (detail "connect only: ...").
//
// Thread safety: `Send` may be called from several threads; with
// `keep_alive` the calls take turns on the one kept connection.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>

#include "protocol/result.h"
#include "protocol/text.h"

namespace tigress::http {

// Whom the client trusts. `ca_file` wins over `ca_pem` when both are set.
struct Trust {
  std::string ca_file{};  // path of a PEM bundle
  std::string ca_pem{};   // PEM text
  bool verify_peer = true;
  // With neither CA given: trust the system's store (true) or nothing (false).
  bool system_store = false;
};

struct ClientOptions {
  Trust trust{};
  // Reuse one connection across `Send`s; otherwise every `Send` opens a fresh
  // connection and closes it afterwards.
  bool keep_alive = false;
  // Errors name the URL without its query (it may carry a Secret).
  bool redact_query = false;
};

struct Request {
  std::string method = "GET";
  std::string url{};  // absolute URL; a #fragment is never sent
  text::HeaderList headers{};
  std::optional<std::string> body{};
  std::chrono::milliseconds timeout{10'000};  // the whole exchange
  std::chrono::milliseconds connect_timeout{5'000};

  // Wire knobs (all off by default).
  bool allow_http = false;  // http:// URLs too (the TLS-only checks)
  bool path_as_is = false;  // dot segments and encoded slashes go out as written
  bool http1_only = false;  // HTTP/1.1, no HTTP/2 offered
  std::optional<std::size_t> expect_continue_from{};
  // Slow and abandoned uploads. With `chunk_size` > 0 the body is uploaded
  // that many octets at a time, `chunk_pause` apart. With `abort_after` the
  // upload stops after that many body octets and the connection is dropped
  // (a transport error, or a note if a status had arrived).
  std::size_t chunk_size = 0;
  std::chrono::milliseconds chunk_pause{0};
  std::optional<std::size_t> abort_after{};
  // > 0: open the connection (TCP and TLS), leave it idle that long and close
  // it without a request; always an error ("connect only: ...").
  std::chrono::milliseconds connect_only{0};
  // The highest TLS version offered ("1.0" .. "1.3"; empty: libcurl's
  // default). Below 1.2 TLS 1.0 and legacy ciphers are offered too, so it is
  // the server that accepts or refuses them, not the local policy.
  std::string tls_max{};
};

struct Response {
  int status = 0;
  std::string http_version;  // "HTTP/1.1"
  // The final response's fields in arrival order: names as received, values
  // without leading blanks and the line end (trailing blanks are kept).
  text::HeaderList headers;
  std::string body;  // as much as arrived (see transport_note)
  double elapsed_ms = 0;
  // Empty when the exchange completed. Otherwise how the transport ended
  // after the status arrived, e.g. "connection closed by the server while
  // the request body was being sent: Failed sending data to the peer"; the
  // response may then be incomplete (a short body, or headers cut off).
  std::string transport_note;
};

// `StripFragment` drops "#..." from a URL.
std::string StripFragment(const std::string& url);

class Client {
 public:
  explicit Client(ClientOptions options);
  ~Client();
  Client(Client&&) noexcept;
  Client& operator=(Client&&) noexcept;
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // `Send` performs one exchange (see the file comment for the outcome).
  Result<Response> Send(const Request& request) const;

 private:
  struct Connection;  // the kept-alive libcurl handle and its lock
  ClientOptions options_;
  std::unique_ptr<Connection> connection_;
};

}  // namespace tigress::http
