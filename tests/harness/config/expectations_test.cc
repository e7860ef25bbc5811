#include "harness/config/expectations.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>


namespace tigress::harness {
namespace {

TEST(Expectations, MatchesCaseIdGlobsInOrder) {
  auto e = LoadExpectationsString(
      "known_failures:\n  \"relay/replay-*\": \"ACME-1: dup answered 200\"\n  \"relay/*\": "
      "\"other\"\n"
      "disabled:\n  \"relay/race-*\": \"one core\"\n",
      "acme.yaml");
  ASSERT_TRUE(e) << e.error().Message();
  EXPECT_EQ(e->KnownFailure("relay/replay-create"), "ACME-1: dup answered 200");
  EXPECT_EQ(e->KnownFailure("relay/x"), "other");
  EXPECT_FALSE(e->KnownFailure("device/x"));
  EXPECT_EQ(e->Disabled("relay/race-single-binding"), "one core");
}

TEST(Expectations, RejectsUnknownKeysAndMissingReasonsWithTheLine) {
  auto bad =
      LoadExpectationsString("known_failures:\n  \"a/*\": \"r\"\nknown_flaky: {}\n", "acme.yaml");
  ASSERT_FALSE(bad);
  EXPECT_THAT(bad.error().Message(),
              ::testing::HasSubstr("acme.yaml:3: unknown key 'known_flaky'"));
  auto empty = LoadExpectationsString("disabled:\n  \"a/*\": \"\"\n", "acme.yaml");
  ASSERT_FALSE(empty);
  EXPECT_THAT(empty.error().Message(), ::testing::HasSubstr("acme.yaml:2: give a reason"));
}

TEST(Expectations, AKnownFailureMayNameTheRequirementsItIsAbout) {
  auto e = LoadExpectationsString(
      "known_failures:\n"
      "  \"relay/update-*\":\n"
      "    reason: \"ACME-130: update after relinquish answered 200\"\n"
      "    requirements: [RELAY-32, RELAY-40, RELAY-32]\n"
      "  \"relay/*\": \"ACME-1\"\n",
      "acme.yaml");
  ASSERT_TRUE(e) << e.error().Message();
  EXPECT_EQ(e->KnownFailure("relay/update-relinquished"),
            "ACME-130: update after relinquish answered 200");
  EXPECT_THAT(e->KnownFailureRequirements("relay/update-relinquished"),
              ::testing::ElementsAre("RELAY-32", "RELAY-40"));
  // The plain form names no requirement; no match names none either.
  EXPECT_EQ(e->KnownFailure("relay/create"), "ACME-1");
  EXPECT_TRUE(e->KnownFailureRequirements("relay/create").empty());
  EXPECT_TRUE(e->KnownFailureRequirements("device/x").empty());
}

TEST(Expectations, TheMapFormWithoutRequirementsIsAPlainReason) {
  auto e = LoadExpectationsString("known_failures:\n  \"a/*\": {reason: \"r\"}\n", "acme.yaml");
  ASSERT_TRUE(e) << e.error().Message();
  EXPECT_EQ(e->KnownFailure("a/b"), "r");
  EXPECT_TRUE(e->KnownFailureRequirements("a/b").empty());
}

TEST(Expectations, RejectsABadKnownFailureMapNamingTheLine) {
  struct Bad {
    std::string yaml;
    std::string message;
  };
  for (const Bad& b : {
           Bad{"known_failures:\n  \"a/*\":\n    reason: r\n    requirements: [RELAY-1]\n",
               "acme.yaml:4: 'RELAY-1' in known failure 'a/*' is not a requirement ID"},
           Bad{"known_failures:\n  \"a/*\":\n    reason: r\n    requirements:\n      - SEC-01\n"
               "      - relay-31\n",
               "acme.yaml:6: 'relay-31'"},
           Bad{"known_failures:\n  \"a/*\":\n    reason: r\n    requirements: [C-11]\n",
               "acme.yaml:4: 'C-11'"},
           Bad{"known_failures:\n  \"a/*\":\n    reason: r\n    requirements: [RELAY-1234]\n",
               "'RELAY-1234'"},
           Bad{"known_failures:\n  \"a/*\":\n    reason: r\n    requirements: []\n",
               "acme.yaml:4: known failure 'a/*': requirements must be a non-empty list"},
           Bad{"known_failures:\n  \"a/*\":\n    reason: r\n    requirements: RELAY-31\n",
               "acme.yaml:4: known failure 'a/*': requirements must be a non-empty list"},
           Bad{"known_failures:\n  \"a/*\":\n    requirements: [RELAY-31]\n",
               "acme.yaml:3: known failure 'a/*' needs a reason"},
           Bad{"known_failures:\n  \"a/*\":\n    reason: \"\"\n", "acme.yaml:3: give a reason"},
           Bad{"known_failures:\n  \"a/*\":\n    reason: r\n    issue: 12\n",
               "acme.yaml:4: unknown key 'issue'"},
       }) {
    auto e = LoadExpectationsString(b.yaml, "acme.yaml");
    ASSERT_FALSE(e) << b.yaml;
    EXPECT_THAT(e.error().Message(), ::testing::HasSubstr(b.message)) << b.yaml;
  }
}

TEST(Expectations, AcceptsEveryRequirementPrefix) {
  auto e = LoadExpectationsString(
      "known_failures:\n  \"a/*\":\n    reason: r\n    requirements: [RELAY-01, REPLAY-101, "
      "PAYLOAD-15, URL-08, INIT-13, RECIP-02, PRIV-10, SEC-01]\n",
      "acme.yaml");
  ASSERT_TRUE(e) << e.error().Message();
  EXPECT_EQ(e->KnownFailureRequirements("a/b").size(), 8u);
}

}  // namespace
}  // namespace tigress::harness
