// File: harness/net/proxy.cc
//
// The one translation unit of the harness that uses Beast: synchronous
// streams, a thread per downstream connection.
#include "harness/net/proxy.h"

#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include "pki/test_ca.h"
#include <sys/socket.h>

namespace tigress::harness {
namespace {

namespace asio = boost::asio;
namespace ssl = boost::asio::ssl;
namespace http = boost::beast::http;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

constexpr std::uint64_t kBodyLimit = 16U * 1024 * 1024;

double Ms(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double, std::milli>(b - a).count();
}

std::int64_t NowEpochMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

struct RecordingProxy::Impl {
  asio::io_context io;
  ssl::context server_ctx{ssl::context::tls_server};
  ssl::context client_ctx{ssl::context::tls_client};
  // untrusted-cert: a certificate from a CA no device was given, made on
  // first use (it costs a key generation).
  std::unique_ptr<ssl::context> untrusted_ctx;
  tcp::acceptor acceptor{io};
  std::string host;  // upstream
  std::string port;
  std::string origin;  // "https://host:port" of the relay, for recorded URLs
  unsigned short listen_port = 0;
  std::thread accept_thread;
  std::atomic<bool> stopping{false};

  mutable std::mutex mu;
  std::vector<har::Exchange> exchanges;
  std::vector<har::Exchange> pushes;
  HostileMode hostile = HostileMode::kOff;
  HostileState hostile_state;
  std::set<int> open_fds;  // downstream and upstream sockets, shut down by Stop
  std::vector<std::thread> threads;

  void Track(int fd) {
    std::lock_guard<std::mutex> lock(mu);
    open_fds.insert(fd);
  }
  void Untrack(int fd) {
    std::lock_guard<std::mutex> lock(mu);
    open_fds.erase(fd);
  }

  void AcceptLoop() {
    while (!stopping) {
      beast::error_code ec;
      tcp::socket sock(io);
      acceptor.accept(sock, ec);
      if (ec || stopping) {
        if (stopping || ec == asio::error::operation_aborted || ec == asio::error::bad_descriptor) {
          return;
        }
        continue;
      }
      std::lock_guard<std::mutex> lock(mu);
      threads.emplace_back([this, s = std::move(sock)]() mutable { Serve(std::move(s)); });
    }
  }

  // One upstream connection per downstream one, opened on first use.
  struct Upstream {
    std::unique_ptr<ssl::stream<tcp::socket>> stream;
    beast::flat_buffer buf;
  };

  beast::error_code Connect(Upstream& up) {
    beast::error_code ec;
    auto s = std::make_unique<ssl::stream<tcp::socket>>(io, client_ctx);
    tcp::resolver resolver(io);
    auto results = resolver.resolve(host, port, ec);
    if (ec) {
      return ec;
    }
    asio::connect(s->next_layer(), results, ec);
    if (ec) {
      return ec;
    }
    Track(s->next_layer().native_handle());
    // The macro SSL_set_tlsext_host_name casts old-style; this is its expansion.
    SSL_ctrl(s->native_handle(), SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
             const_cast<char*>(host.c_str()));
    s->set_verify_callback(ssl::host_name_verification(host));
    s->handshake(ssl::stream_base::client, ec);
    if (ec) {
      Untrack(s->next_layer().native_handle());
      return ec;
    }
    up.stream = std::move(s);
    up.buf.clear();
    return {};
  }

  void Close(Upstream& up) {
    if (up.stream) {
      beast::error_code ec;
      Untrack(up.stream->next_layer().native_handle());
      up.stream->next_layer().close(ec);
      up.stream.reset();
    }
  }

  // Forwards one request; fills the response and the exchange's timings.
  bool Forward(Upstream& up, http::request<http::string_body>& req,
               http::response<http::string_body>& res, har::Exchange& ex) {
    for (int attempt = 0; attempt < 2; ++attempt) {
      beast::error_code ec;
      if (!up.stream) {
        ec = Connect(up);
        if (ec) {
          ex.error = "cannot reach the relay: " + ec.message();
          return false;
        }
      }
      const auto t0 = Clock::now();
      http::write(*up.stream, req, ec);
      if (ec) {
        Close(up);
        continue;  // the relay closed an idle connection: reopen once
      }
      const auto t1 = Clock::now();
      http::response_parser<http::string_body> parser;
      parser.body_limit(kBodyLimit);
      http::read_header(*up.stream, up.buf, parser, ec);
      const auto t2 = Clock::now();
      if (!ec && !parser.is_done()) {
        http::read(*up.stream, up.buf, parser, ec);
      }
      const auto t3 = Clock::now();
      if (ec) {
        Close(up);
        if (attempt == 0 && ec == http::error::end_of_stream) {
          continue;
        }
        ex.error = "the relay did not answer: " + ec.message();
        return false;
      }
      ex.send_ms += Ms(t0, t1);
      ex.wait_ms = Ms(t1, t2);
      ex.receive_ms = Ms(t2, t3);
      res = parser.release();
      if (!res.keep_alive()) {
        Close(up);
      }
      return true;
    }
    ex.error = "the relay closed the connection twice";
    return false;
  }

  // Applies the hostile mode to a relay answer (the state it keeps is the
  // proxy's, so the whole step runs under the lock).
  void Misbehave(const std::string& target, http::response<http::string_body>& res,
                 har::Exchange& ex) {
    RelayAnswer answer{static_cast<int>(res.result_int()), {}, std::move(res.body())};
    for (const auto& f : res) {
      answer.headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
    }
    HostileOutcome out;
    {
      std::lock_guard<std::mutex> lock(mu);
      out = ApplyHostile(hostile, target, std::move(answer), hostile_state);
    }
    // Field by field so the reason phrase and version stay the relay's.
    for (auto it = res.begin(); it != res.end();) {
      it = res.erase(it);
    }
    for (const auto& [name, value] : out.answer.headers) {
      res.insert(name, value);
    }
    res.body() = std::move(out.answer.body);
    if (!out.note.empty()) {
      ex.error = out.note;
    }
  }

  // A webhook notification from the relay: kept, answered 204, never
  // forwarded. False when the connection is to be closed.
  bool ReceivePush(ssl::stream<tcp::socket>& down, const http::request<http::string_body>& req,
                   beast::error_code& ec) {
    har::Exchange push;
    push.started_ms = NowEpochMs();
    push.method = std::string(req.method_string());
    push.url = "https://127.0.0.1:" + std::to_string(listen_port) + std::string(req.target());
    for (const auto& f : req) {
      push.request_headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
    }
    push.request_body = req.body();
    push.status = 204;
    {
      std::lock_guard<std::mutex> lock(mu);
      pushes.push_back(std::move(push));
    }
    http::response<http::empty_body> res(http::status::no_content, req.version());
    res.keep_alive(req.keep_alive());
    http::write(down, res, ec);
    return !ec && req.keep_alive();
  }

  // The request half of an exchange record, as the device sent it.
  har::Exchange RecordRequest(const http::request<http::string_body>& req, Clock::time_point r0) {
    har::Exchange ex;
    ex.started_ms = NowEpochMs();
    ex.send_ms = Ms(r0, Clock::now());
    ex.method = std::string(req.method_string());
    ex.url = origin + std::string(req.target());
    ex.http_version = req.version() == 10 ? "HTTP/1.0" : "HTTP/1.1";
    for (const auto& f : req) {
      ex.request_headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
    }
    ex.request_body = req.body();
    return ex;
  }

  // Forwards `req` and fills `res` with what the device gets: the relay's
  // answer after the hostile mode (recorded in `ex`), or a 502 when the
  // relay could not be reached (false).
  bool Answer(Upstream& up, http::request<http::string_body>& req,
              http::response<http::string_body>& res, har::Exchange& ex) {
    req.set(http::field::host, host + ":" + port);
    req.prepare_payload();
    if (!Forward(up, req, res, ex)) {
      res = http::response<http::string_body>(http::status::bad_gateway, req.version());
      res.set(http::field::content_type, "text/plain");
      res.body() = "tigress-harness proxy: " + ex.error + "\n";
      res.keep_alive(false);
      return false;
    }
    Misbehave(std::string(req.target()), res, ex);
    ex.status = static_cast<int>(res.result_int());
    ex.status_text = std::string(res.reason());
    for (const auto& f : res) {
      ex.response_headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
    }
    ex.response_body = res.body();
    return true;
  }

  void Serve(tcp::socket sock) {
    const int fd = sock.native_handle();
    Track(fd);
    if (stopping) {  // Stop's shutdown pass may have run before Track
      Untrack(fd);
      return;
    }
    ssl::context* ctx = &server_ctx;
    {
      std::lock_guard<std::mutex> lock(mu);
      if (hostile == HostileMode::kUntrustedCert && untrusted_ctx) {
        ctx = untrusted_ctx.get();
      }
    }
    ssl::stream<tcp::socket> down(std::move(sock), *ctx);
    Upstream up;
    beast::error_code ec;
    down.handshake(ssl::stream_base::server, ec);
    beast::flat_buffer buf;
    while (!ec && !stopping) {
      http::request_parser<http::string_body> parser;
      parser.body_limit(kBodyLimit);
      // Timing starts at the request head: the time a kept-alive connection
      // sat idle before it is not the exchange's.
      http::read_header(down, buf, parser, ec);
      const auto r0 = Clock::now();
      if (!ec && !parser.is_done()) {
        http::read(down, buf, parser, ec);
      }
      if (ec) {
        break;
      }
      http::request<http::string_body> req = parser.release();
      if (req.target().starts_with(RecordingProxy::kPushPath)) {
        if (!ReceivePush(down, req, ec)) {
          break;
        }
        continue;
      }
      har::Exchange ex = RecordRequest(req, r0);
      const bool keep = req.keep_alive();
      http::response<http::string_body> res;
      const bool ok = Answer(up, req, res, ex);
      {
        std::lock_guard<std::mutex> lock(mu);
        exchanges.push_back(std::move(ex));
      }
      if (!ok || !keep) {
        res.keep_alive(false);
      }
      res.prepare_payload();
      http::write(down, res, ec);
      if (!ok || !keep || !res.keep_alive()) {
        break;
      }
    }
    Close(up);
    Untrack(fd);
    beast::error_code ignore;
    down.shutdown(ignore);
    down.next_layer().close(ignore);
  }
};

Result<void> RecordingProxy::ParseUpstream(const std::string& url, Impl& impl) {
  std::string rest = url;
  if (rest.rfind("https://", 0) != 0) {
    return MakeError(Errc::kProxyFailed, "the upstream relay URL is not https: " + url);
  }
  rest = rest.substr(8);
  rest = rest.substr(0, rest.find('/'));
  auto colon = rest.rfind(':');
  impl.host = colon == std::string::npos ? rest : rest.substr(0, colon);
  impl.port = colon == std::string::npos ? "443" : rest.substr(colon + 1);
  impl.origin = "https://" + rest;
  return {};
}

RecordingProxy::RecordingProxy(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Result<void> RecordingProxy::SetUpstream(const std::string& upstream) {
  return ParseUpstream(upstream, *impl_);
}

RecordingProxy::~RecordingProxy() { Stop(); }

Result<std::unique_ptr<RecordingProxy>> RecordingProxy::Start(const ProxyOptions& o) {
  auto impl = std::make_unique<Impl>();
  TIGRESS_RETURN_IF_ERROR(ParseUpstream(o.upstream, *impl));
  beast::error_code ec;
  impl->server_ctx.use_certificate_chain_file(o.cert_file, ec);
  if (!ec) {
    impl->server_ctx.use_private_key_file(o.key_file, ssl::context::pem, ec);
  }
  if (!ec) {
    impl->client_ctx.load_verify_file(o.ca_file, ec);
  }
  if (ec) {
    return MakeError(Errc::kProxyFailed, "TLS setup: " + ec.message());
  }
  impl->client_ctx.set_verify_mode(ssl::verify_peer);
  tcp::endpoint ep(asio::ip::make_address("127.0.0.1"), 0);
  impl->acceptor.open(ep.protocol(), ec);
  if (!ec) {
    impl->acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
    impl->acceptor.bind(ep, ec);
  }
  if (!ec) {
    impl->acceptor.listen(asio::socket_base::max_listen_connections, ec);
  }
  if (ec) {
    return MakeError(Errc::kProxyFailed, "cannot listen on 127.0.0.1: " + ec.message());
  }
  impl->listen_port = impl->acceptor.local_endpoint().port();
  Impl* raw = impl.get();
  impl->accept_thread = std::thread([raw] { raw->AcceptLoop(); });
  return std::unique_ptr<RecordingProxy>(new RecordingProxy(std::move(impl)));
}

std::string RecordingProxy::base_url() const {
  return "https://127.0.0.1:" + std::to_string(impl_->listen_port);
}

void RecordingProxy::Stop() {
  if (!impl_ || impl_->stopping.exchange(true)) {
    return;
  }
  // shutdown(2) on the descriptors wakes the blocking reads of every thread;
  // closing them here would race with their own close.
  ::shutdown(impl_->acceptor.native_handle(), SHUT_RDWR);
  beast::error_code ec;
  impl_->acceptor.cancel(ec);
  {
    std::lock_guard<std::mutex> lock(impl_->mu);
    for (int fd : impl_->open_fds) {
      ::shutdown(fd, SHUT_RDWR);
    }
  }
  if (impl_->accept_thread.joinable()) {
    impl_->accept_thread.join();
  }
  impl_->acceptor.close(ec);
  std::vector<std::thread> threads;
  {
    std::lock_guard<std::mutex> lock(impl_->mu);
    threads.swap(impl_->threads);
    for (int fd : impl_->open_fds) {
      ::shutdown(fd, SHUT_RDWR);
    }
  }
  for (auto& t : threads) {
    t.join();
  }
}

Result<void> RecordingProxy::SetHostile(HostileMode mode) {
  if (mode == HostileMode::kUntrustedCert && !impl_->untrusted_ctx) {
    TIGRESS_ASSIGN_OR_RETURN(pki::TestPki other, pki::MakeTestPki());
    auto ctx = std::make_unique<ssl::context>(ssl::context::tls_server);
    beast::error_code ec;
    ctx->use_certificate_chain(asio::buffer(other.server_cert_pem), ec);
    if (!ec) {
      ctx->use_private_key(asio::buffer(other.server_key_pem), ssl::context::pem, ec);
    }
    if (ec) {
      return MakeError(Errc::kProxyFailed, "untrusted certificate: " + ec.message());
    }
    std::lock_guard<std::mutex> lock(impl_->mu);
    impl_->untrusted_ctx = std::move(ctx);
  }
  std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->hostile = mode;
  return {};
}

std::string RecordingProxy::push_url() const { return base_url() + std::string(kPushPath); }

std::vector<har::Exchange> RecordingProxy::Pushes() const {
  std::lock_guard<std::mutex> lock(impl_->mu);
  return impl_->pushes;
}

std::size_t RecordingProxy::ExchangeCount() const {
  std::lock_guard<std::mutex> lock(impl_->mu);
  return impl_->exchanges.size();
}

har::Transcript RecordingProxy::Transcript() const {
  har::Transcript t;
  std::lock_guard<std::mutex> lock(impl_->mu);
  t.exchanges = impl_->exchanges;
  return t;
}

}  // namespace tigress::harness
