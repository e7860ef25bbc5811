// File: reference/relay/https_server.h
//
// `HttpsServer`: the thin Boost.Beast/Asio shell around a request handler.
// HTTP/1.1 with keep-alive over OpenSSL TLS (1.2 minimum), one strand per
// connection, a few io threads. It is the only part of the relay that knows
// about sockets; this header keeps Asio out of its includers.
//
// The io threads only move bytes: a complete request is handed to a pool of
// `workers` threads, which call the handler (and `periodic`), and the
// response is written back on the connection's strand. So a handler that
// blocks (a slow fsync, a busy database) ties up one worker, never the
// handshakes, reads and writes of other connections. `Stop` joins the
// workers: once it returns the handler is not running and is never called
// again. With `inline_handler` (a handler that never waits on I/O, such as
// the memory store's) requests are handled on the connection's strand
// instead, sparing two thread hops; `periodic` still runs on a worker.
//
// Limits: request body `max_body` (413, then the rest of the upload is
// drained and the connection closed; with `early_413_close` the connection
// is closed right after the 413 without reading any more of it), header block
// `max_header` and any one field name or value over 65,533 octets (431, then
// drained and closed; so is a malformed request's 400),
// TLS handshake `handshake_timeout`, idle keep-alive and slow clients
// `idle_timeout`; a drain after a 413, 431 or 400 ends at one fixed deadline,
// `drain_timeout` after the error response went out, however the client
// paces its bytes. At most `max_connections` connections are open at once:
// while that many are, no new one is accepted (it waits in the kernel's
// listen backlog) until one closes. An accept that fails (EMFILE, ENFILE,
// ENOBUFS...) is logged once per burst and retried after a growing pause
// (AcceptBackoff) instead of at once. A plaintext HTTP request on the TLS
// port fails the handshake and is never processed.
//
// Requests reach the handler as parsed by Beast: the method token and target
// verbatim, and every header line as its own entry, in arrival order except
// that repeated lines of one name (case-insensitive) are kept together after
// the first; lines are never joined. A HEAD request is answered with the
// handler's header section and the Content-Length of its body, without the
// body.
//
//   auto server = HttpsServer::Start(options, [&](const HttpRequest& r) {
//     return relay.Handle(r);
//   });
//   std::cout << "READY " << (*server)->port() << std::endl;
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "protocol/result.h"
#include "reference/relay/relay_service.h"

namespace tigress::relay {

struct ServerOptions {
  std::string host = "127.0.0.1";  // IP literal to bind (v4 or v6)
  std::uint16_t port = 0;          // 0: the OS picks
  std::string cert_chain_pem;      // server certificate (and chain), PEM text
  std::string key_pem;             // its private key, PEM text
  bool tls = true;                 // false only for Fault::kPlainHttp
  bool allow_tls10 = false;        // Fault::kAllowTls10
  std::size_t max_body = 65536;
  std::size_t max_header = 16 * 1024;
  bool early_413_close = false;  // Quirk::kEarly413Close
  // The header a 413 answered before the service saw the request echoes
  // (REPLAY-01): the revision's request_id_header.
  std::string request_id_header{kHeaderRequestId};
  int threads = 4;  // io threads
  // Threads that run the handler and `periodic`; 0: twice `threads`, at least 4.
  int workers = 0;
  bool inline_handler = false;  // call the handler on the io thread (see above)
  std::size_t max_connections = 512;
  std::chrono::seconds handshake_timeout{10};
  std::chrono::seconds idle_timeout{30};
  std::chrono::milliseconds drain_timeout{5000};
  std::chrono::milliseconds accept_backoff_min{10};
  std::chrono::milliseconds accept_backoff_max{1000};
  // `periodic` (if set) runs every `periodic_interval` on a worker, never two
  // at once; the relay uses it for the expiry sweeper.
  std::function<void()> periodic;
  std::chrono::milliseconds periodic_interval{60000};
  LogSink log;  // connection-level events; default stderr
};

using Handler = std::function<HttpResponse(const HttpRequest&)>;

// `AcceptBackoff` paces accepts after failures. A burst is a run of failed
// accepts: its first failure is logged and waits `min`, each further one
// waits twice as long (at most `max`) and is not logged; the next successful
// accept ends the burst and reports how many failures it held.
//
//   AcceptBackoff backoff(10ms, 1s);
//   auto step = backoff.OnFailure();  // {10ms, log: true}
//   std::size_t failures = backoff.OnSuccess();  // 1: log "accepting again"
class AcceptBackoff {
 public:
  struct Step {
    std::chrono::milliseconds delay;
    bool log;  // the first failure of a burst
  };
  AcceptBackoff(std::chrono::milliseconds min, std::chrono::milliseconds max);
  Step OnFailure();
  std::size_t OnSuccess();  // failures in the burst just ended (0: none)

 private:
  std::chrono::milliseconds min_, max_, next_;
  std::size_t failures_ = 0;
};

class HttpsServer {
 public:
  // `Start` binds, listens and starts the io threads; when it returns the
  // server accepts connections on `port()`. Errors: kTlsConfigInvalid (bad
  // certificate or key), kListenFailed (address, bind or listen).
  static Result<std::unique_ptr<HttpsServer>> Start(ServerOptions options, Handler handler);

  // Stops accepting, abandons open connections and joins the threads: the io
  // threads, then the workers (a handler already running is waited for;
  // requests not yet started are dropped unanswered).
  ~HttpsServer();
  HttpsServer(const HttpsServer&) = delete;
  HttpsServer& operator=(const HttpsServer&) = delete;

  std::uint16_t port() const;

  // `Stop` is the destructor's work, callable early; idempotent.
  void Stop();

 private:
  struct Impl;
  explicit HttpsServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace tigress::relay
