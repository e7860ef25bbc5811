// File: tests/support/tls_listener.h
//
// The listening half of a loopback TLS server for tests that script the
// server side themselves: a server context holding a test PKI's server
// certificate and key, and a socket bound to 127.0.0.1 on a port the OS
// chooses. The test's own server decides what to do with each connection.
//
//   LoopbackTlsListener listener(pki);
//   ASSERT_TRUE(listener.ok());
//   int fd = listener.Accept(std::chrono::seconds(5), std::chrono::seconds(5));
//   SSL* ssl = SSL_new(listener.ctx()); SSL_set_fd(ssl, fd); SSL_accept(ssl) ...
#pragma once

#include <chrono>
#include <memory>

#include <openssl/ssl.h>

#include "pki/test_ca.h"

namespace tigress::test_support {

class LoopbackTlsListener {
 public:
  // Loads `pki`'s server certificate and key into a TLS server context and
  // listens on 127.0.0.1:0. Any failure leaves `ok()` false.
  explicit LoopbackTlsListener(const pki::TestPki& pki);
  // Closes the listening socket; connections already accepted are the
  // caller's.
  ~LoopbackTlsListener();
  LoopbackTlsListener(const LoopbackTlsListener&) = delete;
  LoopbackTlsListener& operator=(const LoopbackTlsListener&) = delete;

  bool ok() const { return ok_; }
  int port() const { return port_; }
  // The server context, for SSL_new on an accepted connection.
  SSL_CTX* ctx() const { return ctx_.get(); }

  // Waits at most `wait` for a connection and returns its socket
  // (close-on-exec, reads and writes each bounded by `io_timeout`), or -1
  // when none came or the accept failed. The caller closes it.
  int Accept(std::chrono::milliseconds wait, std::chrono::milliseconds io_timeout) const;

 private:
  std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)> ctx_{nullptr, &SSL_CTX_free};
  int listen_fd_ = -1;
  int port_ = 0;
  bool ok_ = false;
};

}  // namespace tigress::test_support
