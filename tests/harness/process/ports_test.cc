#include "harness/process/ports.h"

#include <set>

#include <gtest/gtest.h>

namespace tigress::harness {
namespace {

TEST(PortAfterToken, ReadsTheFirstNumberAfterTheToken) {
  EXPECT_EQ(PortAfterToken("READY 43817", "READY"), 43817);
  EXPECT_EQ(PortAfterToken("READY: port=40123 (pid 99)", "READY"), 40123);
  EXPECT_EQ(PortAfterToken("READY1", "READY"), 1);
  EXPECT_EQ(PortAfterToken("READY 65535", "READY"), 65535);
}

TEST(PortAfterToken, RefusesALineWithoutAPortInRange) {
  EXPECT_EQ(PortAfterToken("READY", "READY"), std::nullopt);
  EXPECT_EQ(PortAfterToken("READY port unknown", "READY"), std::nullopt);
  EXPECT_EQ(PortAfterToken("READY 0", "READY"), std::nullopt);
  EXPECT_EQ(PortAfterToken("READY 65536", "READY"), std::nullopt);
  EXPECT_EQ(PortAfterToken("READY 99999999999999999999", "READY"), std::nullopt);
}

TEST(PortAfterToken, RefusesALineThatDoesNotStartWithTheToken) {
  EXPECT_EQ(PortAfterToken("not READY 4000", "READY"), std::nullopt);
  EXPECT_EQ(PortAfterToken("ready 4000", "READY"), std::nullopt);
}

TEST(PortAfterToken, IgnoresDigitsInsideTheToken) {
  EXPECT_EQ(PortAfterToken("UP2 8080", "UP2"), 8080);
}

TEST(MentionsAddressInUse, RecognisesEitherSpellingInAnyCase) {
  EXPECT_TRUE(MentionsAddressInUse("bind: Address already in use"));
  EXPECT_TRUE(MentionsAddressInUse("ERROR: ADDRESS ALREADY IN USE (port 4000)"));
  EXPECT_TRUE(MentionsAddressInUse("listen failed: EADDRINUSE"));
  EXPECT_TRUE(MentionsAddressInUse("errno eaddrinuse"));
}

TEST(MentionsAddressInUse, IgnoresOtherFailures) {
  EXPECT_FALSE(MentionsAddressInUse(""));
  EXPECT_FALSE(MentionsAddressInUse("bind: Permission denied"));
  EXPECT_FALSE(MentionsAddressInUse("Address already in"));
}

TEST(FreeLoopbackPort, NeverHandsOutTheSamePortTwice) {
  std::set<int> seen;
  for (int i = 0; i < 20; ++i) {
    auto port = FreeLoopbackPort();
    ASSERT_TRUE(port) << port.error().Message();
    EXPECT_GT(*port, 0);
    EXPECT_LE(*port, 65535);
    EXPECT_TRUE(seen.insert(*port).second) << *port << " handed out twice";
  }
}

TEST(LoopbackAccepts, IsFalseWhenNothingListens) {
  auto port = FreeLoopbackPort();
  ASSERT_TRUE(port);
  EXPECT_FALSE(LoopbackAccepts(*port));
}

}  // namespace
}  // namespace tigress::harness
