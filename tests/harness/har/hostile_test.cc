#include "harness/har/hostile.h"

#include <gtest/gtest.h>

namespace tigress::harness {
namespace {

TEST(HostileModeNames, AreTheNamesScenariosWrite) {
  EXPECT_EQ(HostileModeName(HostileMode::kOff), "off");
  EXPECT_EQ(HostileModeName(HostileMode::kFlipBit), "flip-bit");
  EXPECT_EQ(HostileModeName(HostileMode::kTruncate), "truncate");
  EXPECT_EQ(HostileModeName(HostileMode::kReplayOlder), "replay-older");
  EXPECT_EQ(HostileModeName(HostileMode::kSwapMailbox), "swap-mailbox");
  EXPECT_EQ(HostileModeName(HostileMode::kRequestIdMismatch), "request-id-mismatch");
  EXPECT_EQ(HostileModeName(HostileMode::kUntrustedCert), "untrusted-cert");
}

TEST(HostileModeNames, ParseBackToTheirMode) {
  for (HostileMode m :
       {HostileMode::kOff, HostileMode::kFlipBit, HostileMode::kTruncate, HostileMode::kReplayOlder,
        HostileMode::kSwapMailbox, HostileMode::kRequestIdMismatch, HostileMode::kUntrustedCert}) {
    EXPECT_EQ(ParseHostileMode(HostileModeName(m)), m) << HostileModeName(m);
  }
}

TEST(HostileModeNames, RefuseAnyOtherText) {
  EXPECT_EQ(ParseHostileMode(""), std::nullopt);
  EXPECT_EQ(ParseHostileMode("Flip-Bit"), std::nullopt);
  EXPECT_EQ(ParseHostileMode("flip_bit"), std::nullopt);
  EXPECT_EQ(ParseHostileMode("flip-bit "), std::nullopt);
  EXPECT_EQ(ParseHostileMode("no-such-mode"), std::nullopt);
}

}  // namespace
}  // namespace tigress::harness
