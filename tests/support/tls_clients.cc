#include "tests/support/tls_clients.h"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>

#include "protocol/text.h"
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

namespace tigress::test_support {
namespace {

Error Transport(std::string detail) {
  return MakeError(Errc::kTransportFailure, std::move(detail));
}

}  // namespace

std::optional<std::string> HttpResult::Header(std::string_view name) const {
  return text::FindHeader(headers, name);
}

HttpsClient::HttpsClient(std::string ca_pem)
    : client_(http::ClientOptions{.trust = {.ca_pem = std::move(ca_pem)}, .keep_alive = true}) {}

Result<HttpResult> HttpsClient::Send(
    const std::string& method, const std::string& url,
    const std::vector<std::pair<std::string, std::string>>& headers, const std::string& body) {
  http::Request request;
  request.method = method;
  request.url = url;
  if (!body.empty()) request.headers.emplace_back("Content-Type", "application/json");
  request.headers.insert(request.headers.end(), headers.begin(), headers.end());
  const bool reads = method == "GET" || method == "HEAD";
  if (!reads && (!body.empty() || method == "POST" || method == "PUT")) request.body = body;
  request.timeout = std::chrono::seconds(15);
  request.connect_timeout = std::chrono::seconds(5);
  Result<http::Response> response = client_.Send(request);
  if (!response) return Transport(response.error().detail);
  return HttpResult{response->status, std::move(response->headers), std::move(response->body)};
}

namespace {

SSL* AsSsl(void* p) { return static_cast<SSL*>(p); }

// Waits until `fd` is ready for `events` or `deadline`; false on timeout.
bool WaitFd(int fd, short events, std::chrono::steady_clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - std::chrono::steady_clock::now());
  if (left.count() <= 0) return false;
  pollfd pfd{fd, events, 0};
  return poll(&pfd, 1, static_cast<int>(left.count())) > 0;
}

}  // namespace

Result<std::unique_ptr<RawTlsConnection>> RawTlsConnection::Connect(int port,
                                                                    const std::string& ca_pem) {
  std::unique_ptr<RawTlsConnection> c(new RawTlsConnection());
  SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
  c->ctx_ = ctx;
  if (ctx == nullptr) return Transport("raw tls: SSL_CTX_new failed");
  BIO* bio = BIO_new_mem_buf(ca_pem.data(), static_cast<int>(ca_pem.size()));
  X509* ca = bio != nullptr ? PEM_read_bio_X509(bio, nullptr, nullptr, nullptr) : nullptr;
  BIO_free(bio);
  if (ca == nullptr) return Transport("raw tls: the CA is not PEM");
  X509_STORE_add_cert(SSL_CTX_get_cert_store(ctx), ca);
  X509_free(ca);
  SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nullptr);

  c->fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (c->fd_ < 0) return Transport("raw tls: socket failed");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
  if (connect(c->fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    return Transport("raw tls: connect to port " + std::to_string(port) + " failed");
  }
  fcntl(c->fd_, F_SETFL, fcntl(c->fd_, F_GETFL) | O_NONBLOCK);
  SSL* ssl = SSL_new(ctx);
  c->ssl_ = ssl;
  SSL_set_fd(ssl, c->fd_);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  for (;;) {
    int rc = SSL_connect(ssl);
    if (rc == 1) break;
    int err = SSL_get_error(ssl, rc);
    short events = err == SSL_ERROR_WANT_READ ? POLLIN : err == SSL_ERROR_WANT_WRITE ? POLLOUT : 0;
    if (events == 0) {
      char buf[256];
      ERR_error_string_n(ERR_get_error(), buf, sizeof buf);
      return Transport(std::string("raw tls: handshake failed: ") + buf);
    }
    if (!WaitFd(c->fd_, events, deadline)) return Transport("raw tls: handshake timed out");
  }
  return c;
}

RawTlsConnection::~RawTlsConnection() {
  if (ssl_ != nullptr) SSL_free(AsSsl(ssl_));
  if (ctx_ != nullptr) SSL_CTX_free(static_cast<SSL_CTX*>(ctx_));
  if (fd_ >= 0) close(fd_);
}

Result<void> RawTlsConnection::Write(std::string_view bytes, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!bytes.empty()) {
    int n = SSL_write(AsSsl(ssl_), bytes.data(), static_cast<int>(bytes.size()));
    if (n > 0) {
      bytes.remove_prefix(static_cast<std::size_t>(n));
      continue;
    }
    int err = SSL_get_error(AsSsl(ssl_), n);
    short events = err == SSL_ERROR_WANT_READ ? POLLIN : err == SSL_ERROR_WANT_WRITE ? POLLOUT : 0;
    if (events == 0) return Transport("raw tls: write failed (peer closed or reset)");
    if (!WaitFd(fd_, events, deadline)) return Transport("raw tls: write timed out");
  }
  return {};
}

RawTlsConnection::ReadResult RawTlsConnection::Read(std::chrono::milliseconds timeout,
                                                    std::string_view until) {
  ReadResult out;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (!until.empty() && out.data.find(until) != std::string::npos) return out;
    char buf[16384];
    int n = SSL_read(AsSsl(ssl_), buf, sizeof buf);
    if (n > 0) {
      out.data.append(buf, static_cast<std::size_t>(n));
      continue;
    }
    int err = SSL_get_error(AsSsl(ssl_), n);
    if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE) {
      if (!WaitFd(fd_, err == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT, deadline)) return out;
      continue;
    }
    ERR_clear_error();
    out.closed = true;  // close_notify, EOF without it, or a reset
    return out;
  }
}

}  // namespace tigress::test_support
