// File: harness/process/child_io.h
//
// The plumbing between the supervisor and a child's standard streams: an
// owning file descriptor, CLOEXEC pipes, the thread that copies a relay's
// stdout to its log and watches for the ready token, and the tail of a stderr
// log for messages. Internal to harness/process.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace tigress::harness {

// `Fd` owns a file descriptor (-1 when empty) and closes it on `Reset` or
// destruction. Move-only.
struct Fd {
  int fd = -1;
  Fd() = default;
  explicit Fd(int f) : fd(f) {}
  Fd(Fd&& o) noexcept;
  Fd& operator=(Fd&& o) noexcept;
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() { Reset(); }
  void Reset();
};

// `MakePipe` opens a CLOEXEC pipe into the two ends; false when pipe2 fails.
bool MakePipe(Fd& read_end, Fd& write_end);

// `StdoutCapture` copies everything a child writes to stdout into a log file
// (appending, written per read, created 0600) on a thread of its own, and remembers the
// first complete line (without its "\n" or "\r\n") that starts with the ready
// token. All members are thread-safe.
class StdoutCapture {
 public:
  // What `WaitForToken` saw when it returned.
  struct Seen {
    bool token = false;  // a line with the token arrived; `line` is the first
    bool eof = false;    // the child closed its stdout
    std::string line;
  };

  StdoutCapture() = default;
  StdoutCapture(const StdoutCapture&) = delete;
  StdoutCapture& operator=(const StdoutCapture&) = delete;
  ~StdoutCapture() { Join(); }

  // `Start` takes ownership of `fd` (the read end of the child's stdout) and
  // starts copying it to `log_path`; lines are matched against `token` only
  // when it is set. Call at most once.
  void Start(int fd, std::filesystem::path log_path, std::optional<std::string> token);

  // `WaitForToken` waits until the token line arrived or stdout ended, at
  // most until `deadline`.
  Seen WaitForToken(std::chrono::steady_clock::time_point deadline);

  // `ReadyLine` is the first line with the token; nullopt before it arrived.
  std::optional<std::string> ReadyLine() const;

  // `Join` waits for the copying thread, which ends when the child's stdout
  // (and every copy of it in the child's group) is closed.
  void Join();

 private:
  void Copy(int fd, const std::filesystem::path& log_path, const std::optional<std::string>& token);

  std::thread thread_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool token_seen_ = false;
  bool eof_ = false;
  std::string ready_line_;
};

// `FileTail` is the last `max_bytes` of the file at `path` ("..." in front
// when cut), without trailing line ends; "(empty)" when there is nothing.
std::string FileTail(const std::filesystem::path& path, std::size_t max_bytes);

}  // namespace tigress::harness
