#include "protocol/uuid.h"

#include <gtest/gtest.h>

#include <set>

namespace tigress {
namespace {

TEST(Uuid, NewUuidV4HasVersionFourAndTheRfcVariant) {
  for (int i = 0; i < 200; ++i) {
    const std::string u = NewUuidV4();
    ASSERT_TRUE(IsUuidV4(u)) << u;
    EXPECT_EQ(UuidVersion(u), 4);
  }
}

TEST(Uuid, NewUuidV4NeverRepeatsInThousandDraws) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) EXPECT_TRUE(seen.insert(NewUuidV4()).second);
}

TEST(Uuid, AcceptsTheDraftVersionOneIdUnderAnyButNotUnderV4) {
  const std::string v1 = "2bba630e-519b-11ec-bf63-0242ac130002";
  EXPECT_TRUE(ValidateUuid(v1, UuidRule::kAny));
  const auto r = ValidateUuid(v1, UuidRule::kV4, "Mailbox-Device-Claim");
  ASSERT_FALSE(r);
  EXPECT_TRUE(r.error().Is(Errc::kUuidNotV4));
  EXPECT_NE(r.error().detail.find("Mailbox-Device-Claim"), std::string::npos);
}

TEST(Uuid, AcceptsUpperCaseHex) { EXPECT_TRUE(IsUuidV4("0F5C9A2E-3B4D-4C6E-8F10-2A3B4C5D6E7F")); }

TEST(Uuid, RejectsWrongShapesAndVariants) {
  for (const char* bad : {"", "1234567890", "0f5c9a2e3b4d4c6e8f102a3b4c5d6e7f",
                          "{0f5c9a2e-3b4d-4c6e-8f10-2a3b4c5d6e7f}",
                          "0f5c9a2e-3b4d-4c6e-8f10-2a3b4c5d6e7g",
                          "0f5c9a2e-3b4d-4c6e-cf10-2a3b4c5d6e7f",  // variant 110x
                          "0f5c9a2e-3b4d-4c6e-7f10-2a3b4c5d6e7f"}) {  // variant 0xxx
    EXPECT_FALSE(IsUuid(bad)) << bad;
    EXPECT_TRUE(ValidateUuid(bad, UuidRule::kAny).error().Is(Errc::kUuidInvalid)) << bad;
  }
}

}  // namespace
}  // namespace tigress
