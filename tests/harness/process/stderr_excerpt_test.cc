#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "harness/process/supervisor.h"

namespace tigress::harness {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

// A loader stack as a JavaScript runtime prints it under a syntax error.
std::string LoaderFrames(int n) {
  std::string out;
  for (int i = 0; i < n; ++i) {
    out += "    at Module._compile (node:internal/modules/cjs/loader:" + std::to_string(1000 + i) +
           ":14)\n";
  }
  return out;
}

TEST(StderrExcerpt, AShortStderrIsShownWhole) {
  EXPECT_EQ(StderrExcerpt("boom\nfatal: no config\n\n", 400), "boom\nfatal: no config");
  EXPECT_EQ(StderrExcerpt("\n\r\n", 400), "(empty)");
}

TEST(StderrExcerpt, ASyntaxErrorBeforeALongStackIsShownWithTheTail) {
  const std::string err =
      "/vendor/adapter.js:12\n  foo(\n  ^\nSyntaxError: Unexpected end of input\n" +
      LoaderFrames(40) + "Node.js v20.11.0\n";
  const std::string shown = StderrExcerpt(err, 400);
  EXPECT_THAT(shown, StartsWith("SyntaxError: Unexpected end of input\n..."));
  EXPECT_THAT(shown, HasSubstr("Node.js v20.11.0"));
  EXPECT_LE(shown.size(), 400u + 3u);
}

TEST(StderrExcerpt, WithoutAnErrorLikeLineOnlyTheTailIsShown) {
  const std::string shown = StderrExcerpt(LoaderFrames(40) + "bye\n", 300);
  EXPECT_THAT(shown, StartsWith("..."));
  EXPECT_THAT(shown, HasSubstr("bye"));
  EXPECT_EQ(shown.size(), 303u);
}

TEST(StderrExcerpt, AtMostThreeErrorLinesEachCutAndWithinHalfTheBudget) {
  std::string err;
  for (const char* marker : {"Traceback (most recent call last):", "panic: nil map",
                             "Exception in thread main", "error: four", "FATAL five"}) {
    err += std::string(marker) + "\n" + std::string(50, 'x') + "\n";
  }
  err += std::string(1000, 'y') + "\n";
  const std::string shown = StderrExcerpt(err, 600);
  EXPECT_THAT(shown, StartsWith("Traceback (most recent call last):\npanic: nil map\n"
                                "Exception in thread main\n..."));
  EXPECT_THAT(shown, Not(HasSubstr("error: four")));
  const std::string long_line = "error: " + std::string(400, 'z') + "\n" + std::string(1000, 'y');
  const std::string cut = StderrExcerpt(long_line, 400);
  EXPECT_THAT(cut, StartsWith("error: " + std::string(153, 'z') + "\n..."));
  EXPECT_LE(cut.size(), 403u);
}

TEST(StderrExcerpt, AnErrorLineAlreadyInTheTailIsNotRepeated) {
  const std::string err = std::string(1000, 'a') + "\nerror: at the end\n";
  const std::string shown = StderrExcerpt(err, 300);
  EXPECT_THAT(shown, StartsWith("..."));
  EXPECT_THAT(shown, HasSubstr("error: at the end"));
}

}  // namespace
}  // namespace tigress::harness
