#include "reference/relay/https_server.h"

#include <algorithm>
#include <iostream>
#include <limits>
#include <mutex>
#include <optional>
#include <thread>
#include <type_traits>
#include <vector>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <openssl/ssl.h>

namespace tigress::relay {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;

// After a 413 the rest of the upload is read and thrown away (up to this
// much) so that the client sees the response instead of a reset.
constexpr std::size_t kDrainLimit = 16 * 1024 * 1024;

// Beast keeps a field name or value in at most this many octets and throws
// std::length_error beyond, out of io_context::run(). Such a line is refused
// as an over-long header (431) instead; it can only arrive once max_header
// exceeds it (quirk large-headers).
constexpr std::size_t kMaxFieldPart = std::numeric_limits<std::uint16_t>::max() - 2;

class RequestParser : public http::request_parser<http::string_body> {
  void on_field_impl(http::field name, beast::string_view name_string, beast::string_view value,
                     beast::error_code& ec) override {
    if (name_string.size() > kMaxFieldPart || value.size() > kMaxFieldPart) {
      ec = http::error::header_limit;
      return;
    }
    get().insert(name, name_string, value);
  }
};

struct Shared {
  ServerOptions options;
  Handler handler;
  // The handler runs here, never on an io thread: a store that blocks (fsync,
  // busy_timeout) would otherwise stall every connection of that thread.
  net::thread_pool::executor_type workers;
};

// Counts open connections against max_connections. When the count reaches
// the cap the acceptor stops (the kernel backlog holds newcomers), and the
// connection whose close makes room re-arms it through `rearm`.
class ConnectionGate {
 public:
  ConnectionGate(std::size_t max, std::function<void()> rearm)
      : max_(std::max<std::size_t>(1, max)), rearm_(std::move(rearm)) {}

  // Counts a new connection; whether to accept the next one right away.
  bool Enter() {
    std::lock_guard lock(mu_);
    if (++active_ < max_) return true;
    paused_ = true;
    return false;
  }

  void Leave() {
    std::lock_guard lock(mu_);
    --active_;
    if (paused_ && !stopped_ && active_ < max_) {
      paused_ = false;
      rearm_();
    }
  }

  // After Stop no re-arm happens (the io_context is going away).
  void Stop() {
    std::lock_guard lock(mu_);
    stopped_ = true;
  }

 private:
  std::mutex mu_;
  const std::size_t max_;
  std::size_t active_ = 0;
  bool paused_ = false;
  bool stopped_ = false;
  std::function<void()> rearm_;
};

// A session's place under the cap, given back when the session is destroyed
// (after its last handler, however the connection ended).
class GateSlot {
 public:
  explicit GateSlot(std::shared_ptr<ConnectionGate> gate) : gate_(std::move(gate)) {}
  ~GateSlot() {
    if (gate_) gate_->Leave();
  }
  GateSlot(const GateSlot&) = delete;
  GateSlot& operator=(const GateSlot&) = delete;

 private:
  std::shared_ptr<ConnectionGate> gate_;
};

HttpRequest ToPlain(const http::request<http::string_body>& req) {
  HttpRequest out;
  out.method = std::string(req.method_string());
  out.target = std::string(req.target());
  for (const auto& field : req) {
    out.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  }
  out.body = req.body();
  return out;
}

http::response<http::string_body> ToBeast(const HttpResponse& r, unsigned version, bool keep_alive,
                                          bool head) {
  http::response<http::string_body> res;
  res.result(static_cast<unsigned>(r.status));
  res.version(version);
  res.set(http::field::server, "tigress-relay");
  for (const auto& [k, v] : r.headers) res.insert(k, v);
  res.body() = r.body;
  res.keep_alive(keep_alive);
  res.prepare_payload();
  // HEAD: the Content-Length that GET would carry, and no body (RFC 9110 §9.3.2).
  if (head) res.body().clear();
  return res;
}

HttpResponse PlainError(int status, std::string_view token, std::string_view detail) {
  HttpResponse r;
  r.status = status;
  r.headers.emplace_back("Content-Type", "application/json");
  r.body = std::string(R"({"error":")") + std::string(token) + R"(","detail":")" +
           std::string(detail) + "\"}";
  return r;
}

template <bool kTls>
class Session : public std::enable_shared_from_this<Session<kTls>> {
 public:
  using Stream = std::conditional_t<kTls, beast::ssl_stream<beast::tcp_stream>, beast::tcp_stream>;

  Session(tcp::socket&& socket, ssl::context& ctx, std::shared_ptr<const Shared> shared,
          std::shared_ptr<ConnectionGate> gate)
      : slot_(std::move(gate)),
        stream_(MakeStream(std::move(socket), ctx)),
        shared_(std::move(shared)) {}

  void Run() {
    net::dispatch(stream_.get_executor(),
                  beast::bind_front_handler(&Session::OnRun, this->shared_from_this()));
  }

 private:
  static Stream MakeStream(tcp::socket&& socket, ssl::context& ctx) {
    if constexpr (kTls) {
      return Stream(std::move(socket), ctx);
    } else {
      (void)ctx;
      return Stream(std::move(socket));
    }
  }

  beast::tcp_stream& Tcp() { return beast::get_lowest_layer(stream_); }
  const ServerOptions& Options() const { return shared_->options; }

  void OnRun() {
    if constexpr (kTls) {
      Tcp().expires_after(Options().handshake_timeout);
      stream_.async_handshake(
          ssl::stream_base::server,
          beast::bind_front_handler(&Session::OnHandshake, this->shared_from_this()));
    } else {
      DoRead();
    }
  }

  void OnHandshake(beast::error_code ec) {
    if (ec) {
      Options().log(std::string("relay: tls handshake refused: ") + ec.message());
      return;  // the socket closes with the session
    }
    DoRead();
  }

  void DoRead() {
    parser_.emplace();
    parser_->body_limit(Options().max_body);
    parser_->header_limit(static_cast<std::uint32_t>(Options().max_header));
    Tcp().expires_after(Options().idle_timeout);
    http::async_read(stream_, buffer_, *parser_,
                     beast::bind_front_handler(&Session::OnRead, this->shared_from_this()));
  }

  void OnRead(beast::error_code ec, std::size_t) {
    if (ec == http::error::end_of_stream) return DoClose();
    if (ec == http::error::body_limit) {
      // Content-Length over the limit is detected right after the header
      // section, so with early_413_close no octet of the body has been read.
      drain_after_write_ = !Options().early_413_close;
      close_unread_after_write_ = Options().early_413_close;
      HttpResponse r =
          PlainError(413, ErrcToken(Errc::kBodyTooLarge), "request body exceeds the limit");
      // The header block was complete, so the echo rule (REPLAY-01) still applies.
      const auto& req = parser_->get();
      const std::string& rid = Options().request_id_header;
      if (auto it = req.find(rid); it != req.end()) {
        r.headers.emplace_back(rid, std::string(it->value()));
      }
      Options().log("relay: " + std::string(req.method_string().substr(0, 16)) + " - 413");
      return Respond(r, 11, false, req.method() == http::verb::head);
    }
    // After a 431 or a 400 the client may still be sending: the rest is
    // drained as after a 413, since closing on unread data resets the
    // connection and the client loses the answer.
    if (ec == http::error::header_limit) {
      drain_after_write_ = true;
      return Respond(PlainError(431, ErrcToken(Errc::kHeadersTooLarge),
                                "request header block exceeds the limit"),
                     11, false, false);
    }
    if (ec && ec.category() == beast::error_code(http::error::bad_target).category() &&
        ec != http::error::partial_message) {
      drain_after_write_ = true;
      return Respond(PlainError(400, ErrcToken(Errc::kBadHttp), "malformed HTTP request"), 11,
                     false, false);
    }
    if (ec) return;  // timeout, reset, truncated stream: just drop the connection
    const auto& req = parser_->get();
    if (Options().inline_handler) {
      return Respond(shared_->handler(ToPlain(req)), req.version(), req.keep_alive(),
                     req.method() == http::verb::head);
    }
    // Nothing reads or writes this stream until the response comes back to
    // the strand, so the worker touches only its own copies and `shared_`.
    net::post(shared_->workers,
              [self = this->shared_from_this(), plain = ToPlain(req),
               strand = stream_.get_executor(), version = req.version(),
               keep_alive = req.keep_alive(), head = req.method() == http::verb::head]() mutable {
                HttpResponse r = self->shared_->handler(plain);
                net::post(strand, [self = std::move(self), r = std::move(r), version, keep_alive,
                                   head] { self->Respond(r, version, keep_alive, head); });
              });
  }

  void Respond(const HttpResponse& r, unsigned version, bool keep_alive, bool head) {
    response_ = ToBeast(r, version, keep_alive, head);
    close_after_write_ = !keep_alive;
    Tcp().expires_after(Options().idle_timeout);
    http::async_write(stream_, response_,
                      beast::bind_front_handler(&Session::OnWrite, this->shared_from_this()));
  }

  void OnWrite(beast::error_code ec, std::size_t) {
    if (ec) return;
    if (drain_after_write_) {
      // One deadline for the whole drain: re-arming it per read would let a
      // client that drips a byte now and then hold the connection forever.
      Tcp().expires_after(Options().drain_timeout);
      return DoDrain(0);
    }
    if (close_unread_after_write_) return DoCloseUnread();
    if (close_after_write_) return DoClose();
    DoRead();
  }

  void DoDrain(std::size_t drained) {
    if (drained > kDrainLimit) return DoClose();
    stream_.async_read_some(net::buffer(scratch_), [self = this->shared_from_this(), drained](
                                                       beast::error_code ec, std::size_t n) {
      if (ec) return self->DoClose();
      self->DoDrain(drained + n);
    });
  }

  void DoClose() {
    if constexpr (kTls) {
      Tcp().expires_after(std::chrono::seconds(5));
      stream_.async_shutdown([self = this->shared_from_this()](beast::error_code) {});
    } else {
      beast::error_code ignored;
      Tcp().socket().shutdown(tcp::socket::shutdown_send, ignored);
    }
  }

  // Sends our close_notify without waiting for the peer's (waiting would
  // mean reading, and so draining, the upload), then closes the socket.
  void DoCloseUnread() {
    if constexpr (kTls) {
      SSL_set_shutdown(stream_.native_handle(), SSL_RECEIVED_SHUTDOWN);
      Tcp().expires_after(std::chrono::seconds(5));
      stream_.async_shutdown(
          [self = this->shared_from_this()](beast::error_code) { self->CloseSocket(); });
    } else {
      CloseSocket();
    }
  }

  void CloseSocket() {
    beast::error_code ignored;
    Tcp().socket().shutdown(tcp::socket::shutdown_both, ignored);
    Tcp().socket().close(ignored);
  }

  GateSlot slot_;  // first member: released after the socket has closed
  Stream stream_;
  std::shared_ptr<const Shared> shared_;
  beast::flat_buffer buffer_;
  std::optional<RequestParser> parser_;
  http::response<http::string_body> response_;
  std::array<char, 16384> scratch_{};
  bool close_after_write_ = false;
  bool drain_after_write_ = false;
  bool close_unread_after_write_ = false;
};

}  // namespace

struct HttpsServer::Impl {
  ssl::context ctx{ssl::context::tls_server};
  std::shared_ptr<const Shared> shared;
  net::io_context ioc;
  // While a request is with a worker, its connection has no operation
  // pending: without this, run() could return for lack of work and the
  // response would never be written. Stop ends run() through ioc.stop().
  net::executor_work_guard<net::io_context::executor_type> ioc_work{ioc.get_executor()};
  // Stopped, joined and destroyed by Stop, before ioc: a task it drops
  // unstarted may hold the last reference to a session and its socket.
  std::optional<net::thread_pool> pool;
  tcp::acceptor acceptor{ioc};
  std::optional<net::steady_timer> timer;
  net::steady_timer accept_timer{ioc};
  std::shared_ptr<ConnectionGate> gate;
  std::optional<AcceptBackoff> backoff;  // touched only by accept handlers: one at a time
  std::vector<std::thread> threads;
  std::uint16_t port = 0;
  bool stopped = false;

  void DoAccept() {
    acceptor.async_accept(net::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
      if (!acceptor.is_open() || ec == net::error::operation_aborted) return;
      if (ec) return OnAcceptFailure(ec);
      if (std::size_t failures = backoff->OnSuccess(); failures > 0) {
        shared->options.log("relay: accepting again after " + std::to_string(failures) +
                            " failed accept(s)");
      }
      bool more = gate->Enter();
      if (shared->options.tls) {
        std::make_shared<Session<true>>(std::move(socket), ctx, shared, gate)->Run();
      } else {
        std::make_shared<Session<false>>(std::move(socket), ctx, shared, gate)->Run();
      }
      if (more) DoAccept();
    });
  }

  // Out of descriptors or buffers, accept fails at once as long as the
  // condition lasts: re-arming immediately would spin a core and flood the log.
  void OnAcceptFailure(beast::error_code ec) {
    if (ec == net::error::connection_aborted) return DoAccept();  // the client left first
    AcceptBackoff::Step step = backoff->OnFailure();
    if (step.log) {
      shared->options.log("relay: accept failed (" + ec.message() + "); pausing accepts, from " +
                          std::to_string(step.delay.count()) + " ms");
    }
    accept_timer.expires_after(step.delay);
    accept_timer.async_wait([this](beast::error_code wait_ec) {
      if (!wait_ec && acceptor.is_open()) DoAccept();
    });
  }

  void SchedulePeriodic() {
    timer->expires_after(shared->options.periodic_interval);
    // Re-armed only once the run is over, so two runs never overlap.
    timer->async_wait([this](beast::error_code ec) {
      if (ec) return;
      net::post(shared->workers, [this] {
        shared->options.periodic();
        net::post(ioc, [this] { SchedulePeriodic(); });
      });
    });
  }
};

HttpsServer::HttpsServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

HttpsServer::~HttpsServer() { Stop(); }

std::uint16_t HttpsServer::port() const { return impl_->port; }

AcceptBackoff::AcceptBackoff(std::chrono::milliseconds min, std::chrono::milliseconds max)
    : min_(std::max(min, std::chrono::milliseconds(1))), max_(std::max(max, min_)), next_(min_) {}

AcceptBackoff::Step AcceptBackoff::OnFailure() {
  Step step{next_, failures_ == 0};
  ++failures_;
  next_ = std::min(next_ * 2, max_);
  return step;
}

std::size_t AcceptBackoff::OnSuccess() {
  std::size_t failures = failures_;
  failures_ = 0;
  next_ = min_;
  return failures;
}

void HttpsServer::Stop() {
  if (impl_->stopped) return;
  impl_->stopped = true;
  if (impl_->gate) impl_->gate->Stop();
  impl_->ioc.stop();
  for (std::thread& t : impl_->threads) t.join();
  // No io thread is left to post more work; a handler already running
  // finishes (its response stays unsent), the rest is dropped.
  if (impl_->pool) {
    impl_->pool->stop();
    impl_->pool->join();
    impl_->pool.reset();
  }
}

Result<std::unique_ptr<HttpsServer>> HttpsServer::Start(ServerOptions options, Handler handler) {
  auto impl = std::make_unique<Impl>();
  if (!options.log)
    options.log = [](std::string_view line) { std::cerr << line << '\n' << std::flush; };
  if (options.tls) {
    SSL_CTX* native = impl->ctx.native_handle();
    impl->ctx.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                          ssl::context::no_sslv3 | ssl::context::single_dh_use);
    if (options.allow_tls10) {
      SSL_CTX_set_min_proto_version(native, TLS1_VERSION);
      SSL_CTX_set_cipher_list(native, "DEFAULT:@SECLEVEL=0");
    } else {
      SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION);
    }
    beast::error_code ec;
    impl->ctx.use_certificate_chain(net::buffer(options.cert_chain_pem), ec);
    if (ec) return MakeError(Errc::kTlsConfigInvalid, "--tls-cert: " + ec.message());
    impl->ctx.use_private_key(net::buffer(options.key_pem), ssl::context::pem, ec);
    if (ec) return MakeError(Errc::kTlsConfigInvalid, "--tls-key: " + ec.message());
    if (SSL_CTX_check_private_key(native) != 1) {
      return MakeError(Errc::kTlsConfigInvalid,
                       "--tls-key: does not match the certificate in --tls-cert");
    }
  }

  beast::error_code ec;
  net::ip::address address = net::ip::make_address(options.host, ec);
  if (ec)
    return MakeError(Errc::kListenFailed, "--listen: '" + options.host + "' is not an IP address");
  tcp::endpoint endpoint(address, options.port);
  tcp::acceptor& acceptor = impl->acceptor;
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    return MakeError(Errc::kListenFailed, "--listen " + options.host + ":" +
                                              std::to_string(options.port) + ": " + ec.message());
  }
  impl->port = acceptor.local_endpoint().port();

  int threads = std::max(1, options.threads);
  int workers = options.workers > 0 ? options.workers : std::max(4, 2 * threads);
  bool periodic = static_cast<bool>(options.periodic);
  impl->backoff.emplace(options.accept_backoff_min, options.accept_backoff_max);
  Impl* self = impl.get();
  impl->gate = std::make_shared<ConnectionGate>(
      options.max_connections, [self] { net::post(self->ioc, [self] { self->DoAccept(); }); });
  impl->pool.emplace(static_cast<std::size_t>(workers));
  impl->shared = std::make_shared<const Shared>(
      Shared{std::move(options), std::move(handler), impl->pool->get_executor()});
  impl->DoAccept();
  if (periodic) {
    impl->timer.emplace(impl->ioc);
    impl->SchedulePeriodic();
  }
  Impl* raw = impl.get();
  for (int i = 0; i < threads; ++i) raw->threads.emplace_back([raw] { raw->ioc.run(); });
  return std::unique_ptr<HttpsServer>(new HttpsServer(std::move(impl)));
}

}  // namespace tigress::relay
