#include "protocol/rfc3339.h"

#include <gtest/gtest.h>

namespace tigress {
namespace {

using std::chrono::seconds;

TEST(Rfc3339, FormatsTheExactWireForm) {
  const SysSeconds t = std::chrono::sys_days{std::chrono::year{2022} / 2 / 8} +
                       std::chrono::hours{14} + std::chrono::minutes{57} + seconds{22};
  EXPECT_EQ(FormatUtc(t), "2022-02-08T14:57:22Z");
  EXPECT_EQ(FormatUtc(t + std::chrono::milliseconds{999}), "2022-02-08T14:57:22Z");
}

TEST(Rfc3339, ParsesAndRoundTripsTheWireForm) {
  const auto t = ParseStrictUtc("2021-11-03T20:32:34Z");
  ASSERT_TRUE(t) << t.error().Message();
  EXPECT_EQ(FormatUtc(*t), "2021-11-03T20:32:34Z");
}

TEST(Rfc3339, AcceptsFractionsAndOffsetsButNotAsStrict) {
  const auto t = ParseRfc3339("2026-11-28T12:00:00.75+01:30");
  ASSERT_TRUE(t) << t.error().Message();
  EXPECT_EQ(FormatUtc(*t), "2026-11-28T10:30:00Z");
  EXPECT_EQ(FormatUtc(ParseRfc3339("2026-11-28T12:00:00-05:00").value()), "2026-11-28T17:00:00Z");
  EXPECT_TRUE(ParseStrictUtc("2026-11-28T12:00:00.75Z").error().Is(Errc::kTimestampNotStrict));
  EXPECT_TRUE(ParseStrictUtc("2026-11-28t12:00:00z").error().Is(Errc::kTimestampNotStrict));
}

TEST(Rfc3339, RejectsMalformedValuesNamingTheProblem) {
  struct Case {
    const char* text;
    const char* why;
  };
  for (const Case c : {Case{"tomorrow", "too short"}, Case{"2026-13-01T00:00:00Z", "calendar"},
                       Case{"2026-02-30T00:00:00Z", "calendar"},
                       Case{"2026-01-01T24:00:00Z", "out of range"},
                       Case{"2026-01-01T00:00:00", "too short"},
                       Case{"2026-01-01T00:00:00.Z", "fraction"},
                       Case{"2026-01-01 00:00:00+0100", "offset"},
                       Case{"2026-01-01T00:00:00Zjunk", "trailing"}}) {
    const auto r = ParseRfc3339(c.text);
    ASSERT_FALSE(r) << c.text;
    EXPECT_TRUE(r.error().Is(Errc::kTimestampInvalid));
    EXPECT_NE(r.error().detail.find(c.why), std::string::npos) << c.text << ": " << r.error().detail;
  }
}

}  // namespace
}  // namespace tigress
