// File: tests/relay/raw_client.h
//
// `RawClient`: a blocking loopback TCP client for tests that speak raw bytes
// to an in-process relay server (partial requests, idle drips, the
// connection cap). The socket closes with the object.
//
//   RawClient c(port);
//   ASSERT_TRUE(c.connected() && c.Send("GET /v1/m HTTP/1.1\r\n\r\n"));
//   std::string answer = c.Receive(std::chrono::seconds(5));
#pragma once

#include <chrono>
#include <cstdint>
#include <poll.h>
#include <string>
#include <string_view>
#include <unistd.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

namespace tigress::relay::integration_test {

class RawClient {
 public:
  explicit RawClient(std::uint16_t port) : fd_(socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  }
  ~RawClient() { Close(); }
  RawClient(const RawClient&) = delete;
  RawClient& operator=(const RawClient&) = delete;

  bool connected() const { return connected_; }
  bool Send(std::string_view data) {
    return send(fd_, data.data(), data.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(data.size());
  }
  bool Readable(std::chrono::milliseconds within) {
    pollfd p{fd_, POLLIN, 0};
    return poll(&p, 1, static_cast<int>(within.count())) > 0;
  }
  // What arrives within `within` ("" when nothing, or the peer closed).
  std::string Receive(std::chrono::milliseconds within) {
    if (!Readable(within)) return "";
    char buf[4096];
    ssize_t n = recv(fd_, buf, sizeof buf, 0);
    return n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : "";
  }
  // True once the peer has closed or reset the connection (checked now).
  bool PeerClosed() {
    if (!Readable(std::chrono::milliseconds(0))) return false;
    char buf[4096];
    ssize_t n = recv(fd_, buf, sizeof buf, MSG_DONTWAIT);
    return n <= 0;
  }
  void Close() {
    if (fd_ >= 0) close(fd_);
    fd_ = -1;
  }

 private:
  int fd_;
  bool connected_ = false;
};

}  // namespace tigress::relay::integration_test
