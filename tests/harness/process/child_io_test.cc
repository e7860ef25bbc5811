#include "harness/process/child_io.h"

#include <cstdint>
#include <fstream>
#include <sstream>
#include <unistd.h>

#include <gtest/gtest.h>

#include "tests/support/scratch_dir.h"

namespace tigress::harness {
namespace {

namespace fs = std::filesystem;
using std::chrono::steady_clock;

std::string ReadAll(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void Write(int fd, const std::string& s) {
  ASSERT_EQ(::write(fd, s.data(), s.size()), static_cast<ssize_t>(s.size()));
}

TEST(FileTail, KeepsTheLastBytesWithoutTrailingLineEnds) {
  test_support::ScratchDir dir("tigress-child-io");
  std::ofstream(dir.path() / "err.log") << "first line\nsecond line\r\n\n";
  EXPECT_EQ(FileTail(dir.path() / "err.log", 100), "first line\nsecond line");
  EXPECT_EQ(FileTail(dir.path() / "err.log", 8), "... line") << "the cut counts the line ends";
}

TEST(FileTail, SaysEmptyForAnEmptyOrMissingFile) {
  test_support::ScratchDir dir("tigress-child-io");
  std::ofstream(dir.path() / "empty.log").flush();
  EXPECT_EQ(FileTail(dir.path() / "empty.log", 100), "(empty)");
  EXPECT_EQ(FileTail(dir.path() / "missing.log", 100), "(empty)");
}

// A pipe whose read end a StdoutCapture copies to out.log in a scratch
// directory; the test writes to `w`.
class CapturedStdout : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(MakePipe(r, w)); }
  // The capture's destructor waits for the end of the pipe.
  void TearDown() override { w.Reset(); }

  // Starts copying, watching for lines that start with `token`.
  void Start(std::optional<std::string> token) {
    capture.Start(std::exchange(r.fd, -1), log(), std::move(token));
  }
  fs::path log() const { return dir.path() / "out.log"; }

  test_support::ScratchDir dir{"tigress-child-io"};
  Fd r;
  Fd w;
  StdoutCapture capture;
};

TEST_F(CapturedStdout, CopiesEverythingAndRemembersTheFirstTokenLine) {
  Start("READY");
  EXPECT_EQ(capture.ReadyLine(), std::nullopt);
  Write(w.fd, "starting\nREA");
  Write(w.fd, "DY 4000\r\nREADY 5000\n");
  StdoutCapture::Seen seen = capture.WaitForToken(steady_clock::now() + std::chrono::seconds(5));
  EXPECT_TRUE(seen.token);
  EXPECT_EQ(seen.line, "READY 4000");
  w.Reset();
  capture.Join();
  EXPECT_EQ(capture.ReadyLine(), "READY 4000");
  EXPECT_EQ(ReadAll(log()), "starting\nREADY 4000\r\nREADY 5000\n");
}

TEST_F(CapturedStdout, ReportsTheEndOfStdoutWithoutAToken) {
  Start(std::nullopt);
  Write(w.fd, "READY 4000\n");
  w.Reset();
  StdoutCapture::Seen seen = capture.WaitForToken(steady_clock::now() + std::chrono::seconds(5));
  EXPECT_FALSE(seen.token) << "no token to watch for";
  EXPECT_TRUE(seen.eof);
  EXPECT_EQ(capture.ReadyLine(), std::nullopt);
}

TEST_F(CapturedStdout, WaitingEndsAtTheDeadline) {
  Start("READY");
  StdoutCapture::Seen seen =
      capture.WaitForToken(steady_clock::now() + std::chrono::milliseconds(50));
  EXPECT_FALSE(seen.token);
  EXPECT_FALSE(seen.eof);
  w.Reset();
}

TEST_F(CapturedStdout, CutsALineWithoutANewlineAndStillSeesTheReadyLineAfterIt) {
  Start("READY");
  // 20 MiB without a newline, then the ready line; another thread reads.
  const std::string block(1 << 20, 'x');
  for (int i = 0; i < 20; ++i) {
    Write(w.fd, block);
  }
  Write(w.fd, "\nREADY 4000\n");
  StdoutCapture::Seen seen = capture.WaitForToken(steady_clock::now() + std::chrono::seconds(30));
  EXPECT_TRUE(seen.token);
  EXPECT_EQ(seen.line, "READY 4000");
  EXPECT_TRUE(seen.line_cut) << "the 20 MiB line was cut, and that is noted";
  w.Reset();
  capture.Join();
  EXPECT_EQ(fs::file_size(log()), (std::uintmax_t{20} << 20) + 12) << "the log keeps every byte";
}

TEST_F(CapturedStdout, KeepsOnlyTheFirstPartOfALongTokenLine) {
  Start("READY");
  Write(w.fd, "READY " + std::string(3 * kMaxStdoutLine, '7') + "\n");
  StdoutCapture::Seen seen = capture.WaitForToken(steady_clock::now() + std::chrono::seconds(30));
  EXPECT_TRUE(seen.token);
  EXPECT_EQ(seen.line.size(), kMaxStdoutLine);
  EXPECT_TRUE(seen.line_cut);
  w.Reset();
}

// The bytes this process has read so far (read(2) and friends), from /proc.
std::uint64_t BytesReadSoFar() {
  std::ifstream io("/proc/self/io");
  std::string key;
  std::uint64_t value = 0;
  while (io >> key >> value) {
    if (key == "rchar:") {
      return value;
    }
  }
  return 0;
}

// A 256 MiB file (sparse: no disk) that ends with `tail`.
fs::path BigLog(const test_support::ScratchDir& dir, const std::string& tail) {
  const fs::path p = dir.path() / "big.log";
  std::ofstream(p, std::ios::binary) << "the head ";
  fs::resize_file(p, std::uintmax_t{256} << 20);
  std::ofstream(p, std::ios::binary | std::ios::app) << tail;
  return p;
}

TEST(ChildIoBoundedReads, FileTailOfABigFileReadsOnlyTheTail) {
  test_support::ScratchDir dir("tigress-child-io");
  const fs::path big = BigLog(dir, "the end\n");
  const std::uint64_t before = BytesReadSoFar();
  EXPECT_EQ(FileTail(big, 8), "...the end");
  EXPECT_LT(BytesReadSoFar() - before, std::uint64_t{1} << 20) << "it read the whole file";
}

TEST(ChildIoBoundedReads, FileHeadAndTailReadsOnlyTheHeadAndTheTail) {
  test_support::ScratchDir dir("tigress-child-io");
  std::ofstream(dir.path() / "small.log") << "all of it\n";
  EXPECT_EQ(FileHeadAndTail(dir.path() / "small.log", 5, 5), "all of it\n");
  EXPECT_EQ(FileHeadAndTail(dir.path() / "missing.log", 4, 4), "");
  const fs::path big = BigLog(dir, "tail");
  const std::uint64_t before = BytesReadSoFar();
  const std::string got = FileHeadAndTail(big, 4, 4);
  EXPECT_LT(BytesReadSoFar() - before, std::uint64_t{1} << 20) << "it read the whole file";
  EXPECT_EQ(got, "the \n[" + std::to_string((std::uint64_t{256} << 20) + 4 - 8) +
                     " bytes not read]\ntail");
}

}  // namespace
}  // namespace tigress::harness
