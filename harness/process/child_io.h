// File: harness/process/child_io.h
//
// The plumbing between the supervisor and a child's standard streams: an
// owning file descriptor, CLOEXEC pipes, the thread that copies a relay's
// stdout to its log and watches for the ready token, and the tail of a stderr
// log for messages. Internal to harness/process, but for the bounded log
// readers `FileTail` and `FileHeadAndTail`.
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

// `kMaxStdoutLine` is the most of one stdout line `StdoutCapture` keeps.
inline constexpr std::size_t kMaxStdoutLine = 64 * 1024;

// `StdoutCapture` copies everything a child writes to stdout into a log file
// (appending, written per read, created 0600) on a thread of its own, and remembers the
// first complete line (without its "\n" or "\r\n") that starts with the ready
// token. A line is kept up to `kMaxStdoutLine` bytes: the rest of a longer
// line is dropped until its newline (the log still gets all of it), so a child
// that prints megabytes without a newline costs the harness no memory. All
// members are thread-safe.
class StdoutCapture {
 public:
  // What `WaitForToken` saw when it returned.
  struct Seen {
    bool token = false;  // a line with the token arrived; `line` is the first
    bool eof = false;    // the child closed its stdout
    std::string line;
    bool line_cut = false;  // some line was longer than kMaxStdoutLine and was cut
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
  bool line_cut_ = false;
};

// `FileTail` is the last `max_bytes` of the file at `path` ("..." in front
// when cut), without trailing line ends; "(empty)" when there is nothing. It
// reads only those bytes (a seek to the end), whatever the file's size.
std::string FileTail(const std::filesystem::path& path, std::size_t max_bytes);

// `FileHeadAndTail` is the whole file at `path` when it has at most
// `head_bytes` + `tail_bytes` bytes; otherwise its first `head_bytes`, a line
// "[N bytes not read]" and its last `tail_bytes`. Nothing in between is read.
// "" for a missing file. (The run reads a relay's stderr log with it.)
std::string FileHeadAndTail(const std::filesystem::path& path, std::size_t head_bytes,
                            std::size_t tail_bytes);

}  // namespace tigress::harness
