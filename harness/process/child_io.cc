#include "harness/process/child_io.h"

#include <cerrno>
#include <fcntl.h>
#include <fstream>
#include <sstream>
#include <unistd.h>
#include <utility>

namespace tigress::harness {

Fd::Fd(Fd&& o) noexcept : fd(std::exchange(o.fd, -1)) {}

Fd& Fd::operator=(Fd&& o) noexcept {
  if (this != &o) {
    Reset();
    fd = std::exchange(o.fd, -1);
  }
  return *this;
}

void Fd::Reset() {
  if (fd >= 0) {
    ::close(fd);
  }
  fd = -1;
}

bool MakePipe(Fd& read_end, Fd& write_end) {
  int p[2];
  if (::pipe2(p, O_CLOEXEC) != 0) {
    return false;
  }
  read_end = Fd(p[0]);
  write_end = Fd(p[1]);
  return true;
}

namespace {

// A failed log write loses log text only; the copy (and the ready token) go on.
void WriteAll(int fd, const char* data, std::size_t size) {
  while (fd >= 0 && size > 0) {
    ssize_t n = ::write(fd, data, size);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      return;
    }
    data += n;
    size -= static_cast<std::size_t>(n);
  }
}

}  // namespace

void StdoutCapture::Start(int fd, std::filesystem::path log_path,
                          std::optional<std::string> token) {
  thread_ = std::thread([this, fd, log_path = std::move(log_path), token = std::move(token)] {
    Copy(fd, log_path, token);
  });
}

void StdoutCapture::Copy(int fd, const std::filesystem::path& log_path,
                         const std::optional<std::string>& token) {
  // 0600 from the start, like the stderr log: stdout may carry Secrets too.
  Fd log(::open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600));
  std::string pending;
  char buf[4096];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      break;
    }
    WriteAll(log.fd, buf, static_cast<std::size_t>(n));
    pending.append(buf, static_cast<std::size_t>(n));
    std::size_t nl = 0;
    while ((nl = pending.find('\n')) != std::string::npos) {
      std::string line = pending.substr(0, nl);
      pending.erase(0, nl + 1);
      if (!line.empty() && line.back() == '\r') {
        line.pop_back();
      }
      if (token && line.rfind(*token, 0) == 0) {
        std::lock_guard<std::mutex> lock(mu_);
        if (!token_seen_) {
          ready_line_ = line;
        }
        token_seen_ = true;
        cv_.notify_all();
      }
    }
  }
  ::close(fd);
  std::lock_guard<std::mutex> lock(mu_);
  eof_ = true;
  cv_.notify_all();
}

StdoutCapture::Seen StdoutCapture::WaitForToken(std::chrono::steady_clock::time_point deadline) {
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait_until(lock, deadline, [&] { return token_seen_ || eof_; });
  return Seen{token_seen_, eof_, ready_line_};
}

std::optional<std::string> StdoutCapture::ReadyLine() const {
  std::lock_guard<std::mutex> lock(mu_);
  if (!token_seen_) {
    return std::nullopt;
  }
  return ready_line_;
}

void StdoutCapture::Join() {
  if (thread_.joinable()) {
    thread_.join();
  }
}

std::string FileTail(const std::filesystem::path& path, std::size_t max_bytes) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string all = ss.str();
  if (all.size() > max_bytes) {
    all = "..." + all.substr(all.size() - max_bytes);
  }
  while (!all.empty() && (all.back() == '\n' || all.back() == '\r')) {
    all.pop_back();
  }
  return all.empty() ? "(empty)" : all;
}

}  // namespace tigress::harness
