#include "tests/support/tls_listener.h"

#include <poll.h>
#include <unistd.h>

#include <openssl/pem.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

namespace tigress::test_support {
namespace {

using BioPtr = std::unique_ptr<BIO, decltype(&BIO_free)>;

BioPtr MemBio(const std::string& pem) {
  return BioPtr(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), &BIO_free);
}

}  // namespace

LoopbackTlsListener::LoopbackTlsListener(const pki::TestPki& pki) {
  ctx_.reset(SSL_CTX_new(TLS_server_method()));
  BioPtr cert_bio = MemBio(pki.server_cert_pem);
  BioPtr key_bio = MemBio(pki.server_key_pem);
  std::unique_ptr<X509, decltype(&X509_free)> cert(
      PEM_read_bio_X509(cert_bio.get(), nullptr, nullptr, nullptr), &X509_free);
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(
      PEM_read_bio_PrivateKey(key_bio.get(), nullptr, nullptr, nullptr), &EVP_PKEY_free);
  ok_ = ctx_ && cert && key && SSL_CTX_use_certificate(ctx_.get(), cert.get()) == 1 &&
        SSL_CTX_use_PrivateKey(ctx_.get(), key.get()) == 1;
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  ok_ = ok_ && listen_fd_ >= 0 &&
        ::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
        ::listen(listen_fd_, 8) == 0 &&
        ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len) == 0;
  port_ = ntohs(addr.sin_port);
}

LoopbackTlsListener::~LoopbackTlsListener() {
  if (listen_fd_ >= 0) ::close(listen_fd_);
}

int LoopbackTlsListener::Accept(std::chrono::milliseconds wait,
                                std::chrono::milliseconds io_timeout) const {
  if (!ok_) return -1;
  pollfd p{listen_fd_, POLLIN, 0};
  if (::poll(&p, 1, static_cast<int>(wait.count())) != 1) return -1;
  int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
  if (fd < 0) return -1;
  const auto ms = io_timeout.count();
  timeval tv{.tv_sec = static_cast<time_t>(ms / 1000),
             .tv_usec = static_cast<suseconds_t>((ms % 1000) * 1000)};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  return fd;
}

}  // namespace tigress::test_support
