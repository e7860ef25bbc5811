#include "harness/process/ports.h"

#include <mutex>
#include <set>
#include <unistd.h>

#include "protocol/text.h"
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

namespace tigress::harness {

namespace {

std::mutex g_ports_mu;
std::set<int> g_ports_given;

sockaddr_in Loopback(int port) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return addr;
}

}  // namespace

Result<int> FreeLoopbackPort() {
  for (int attempt = 0; attempt < 64; ++attempt) {
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
      break;
    }
    sockaddr_in addr = Loopback(0);
    socklen_t len = sizeof addr;
    int port = -1;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
      port = ntohs(addr.sin_port);
    }
    ::close(fd);
    if (port <= 0) {
      break;
    }
    std::lock_guard<std::mutex> lock(g_ports_mu);
    if (g_ports_given.insert(port).second) {
      return port;
    }
  }
  return MakeError(Errc::kProcessStartFailed, "could not find a free loopback port");
}

std::optional<int> PortAfterToken(const std::string& line, const std::string& token) {
  if (line.rfind(token, 0) != 0) {
    return std::nullopt;
  }
  std::size_t i = line.find_first_of("0123456789", token.size());
  if (i == std::string::npos) {
    return std::nullopt;
  }
  int value = 0;
  for (; i < line.size() && line[i] >= '0' && line[i] <= '9'; ++i) {
    value = value * 10 + (line[i] - '0');
    if (value > 65535) {
      return std::nullopt;
    }
  }
  if (value < 1) {
    return std::nullopt;
  }
  return value;
}

bool LoopbackAccepts(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr = Loopback(port);
  int rc = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  ::close(fd);
  return rc == 0;
}

bool MentionsAddressInUse(std::string_view text) {
  const std::string lower = text::ToLowerAscii(text);
  return lower.find("address already in use") != std::string::npos ||
         lower.find("eaddrinuse") != std::string::npos;
}

}  // namespace tigress::harness
