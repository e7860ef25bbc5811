#include "harness/process/child_io.h"

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <fcntl.h>
#include <fstream>
#include <string_view>
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
  // A line is kept up to kMaxStdoutLine bytes and the rest of it dropped (the
  // log still gets every byte): a child printing without newlines must not
  // grow the harness's memory.
  std::string pending;
  bool dropping = false;
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
    std::string_view chunk(buf, static_cast<std::size_t>(n));
    while (!chunk.empty()) {
      const std::size_t nl = chunk.find('\n');
      const std::string_view part = chunk.substr(0, nl);
      if (!dropping) {
        const std::size_t room = kMaxStdoutLine - pending.size();
        pending.append(part.substr(0, room));
        if (part.size() > room) {
          dropping = true;
          std::lock_guard<std::mutex> lock(mu_);
          line_cut_ = true;
        }
      }
      if (nl == std::string_view::npos) {
        break;
      }
      if (!pending.empty() && pending.back() == '\r') {
        pending.pop_back();
      }
      if (token && pending.rfind(*token, 0) == 0) {
        std::lock_guard<std::mutex> lock(mu_);
        if (!token_seen_) {
          ready_line_ = pending;
        }
        token_seen_ = true;
        cv_.notify_all();
      }
      pending.clear();
      dropping = false;
      chunk.remove_prefix(nl + 1);
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
  return Seen{token_seen_, eof_, ready_line_, line_cut_};
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

namespace {

std::uintmax_t SizeOf(std::ifstream& in) {
  in.seekg(0, std::ios::end);
  const std::streamoff size = in.tellg();
  return size > 0 ? static_cast<std::uintmax_t>(size) : 0;
}

std::string ReadAt(std::ifstream& in, std::uintmax_t offset, std::uintmax_t count) {
  std::string out(count, '\0');
  in.clear();
  in.seekg(static_cast<std::streamoff>(offset));
  in.read(out.data(), static_cast<std::streamsize>(count));
  out.resize(static_cast<std::size_t>(std::max<std::streamsize>(in.gcount(), 0)));
  return out;
}

}  // namespace

std::string FileTail(const std::filesystem::path& path, std::size_t max_bytes) {
  std::ifstream in(path, std::ios::binary);
  const std::uintmax_t size = in ? SizeOf(in) : 0;
  std::string tail;
  if (size > max_bytes) {
    tail = "..." + ReadAt(in, size - max_bytes, max_bytes);
  } else if (size > 0) {
    tail = ReadAt(in, 0, size);
  }
  while (!tail.empty() && (tail.back() == '\n' || tail.back() == '\r')) {
    tail.pop_back();
  }
  return tail.empty() ? "(empty)" : tail;
}

std::string FileHeadAndTail(const std::filesystem::path& path, std::size_t head_bytes,
                            std::size_t tail_bytes) {
  std::ifstream in(path, std::ios::binary);
  const std::uintmax_t size = in ? SizeOf(in) : 0;
  if (size <= static_cast<std::uintmax_t>(head_bytes) + tail_bytes) {
    return ReadAt(in, 0, size);
  }
  const std::uintmax_t skipped = size - head_bytes - tail_bytes;
  return ReadAt(in, 0, head_bytes) + "\n[" + std::to_string(skipped) + " bytes not read]\n" +
         ReadAt(in, size - tail_bytes, tail_bytes);
}

}  // namespace tigress::harness
