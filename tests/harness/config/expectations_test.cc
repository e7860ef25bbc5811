#include "harness/config/expectations.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "harness/run/runner.h"

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

TEST(CaseSelection, FiltersSkipsKeywordsRepeatAndShards) {
  ScenarioSet set;
  for (const char* id : {"relay/a", "relay/b", "device/c", "interop/d"}) {
    Scenario s;
    s.id = id;
    s.keywords = {std::string(id).substr(0, std::string(id).find('/'))};
    set.scenarios.push_back(s);
  }
  RunOptions o;
  o.filters = {"relay/*"};
  o.skips = {"*/b"};
  EXPECT_EQ(SelectCases(set, o).size(), 1u);
  o = RunOptions{};
  o.keywords = {"device", "interop"};
  EXPECT_EQ(SelectCases(set, o).size(), 2u);
  o = RunOptions{};
  o.repeat = 3;
  auto cases = SelectCases(set, o);
  ASSERT_EQ(cases.size(), 12u);
  EXPECT_EQ(cases[1].case_id, "relay/a#2");
  EXPECT_NE(cases[0].seed, cases[1].seed);
  EXPECT_EQ(cases[0].seed, CaseSeed(0, "relay/a", 0)) << "a rerun with --filter gets the same seed";
  // Every case lands in exactly one shard.
  std::size_t total = 0;
  for (int i = 0; i < 3; ++i) {
    RunOptions s;
    s.shard_index = i;
    s.shard_count = 3;
    total += SelectCases(set, s).size();
  }
  EXPECT_EQ(total, 4u);
}

TEST(CaseSelection, TheMatrixCoversEveryCombinationOfTheRolesAScenarioUses) {
  ScenarioSet set;
  Scenario relay_only;
  relay_only.id = "relay/a";
  relay_only.roles = {"relay"};
  Scenario full;
  full.id = "interop/b";
  full.roles = {"relay", "initiator", "recipient"};
  set.scenarios = {relay_only, full};
  RunOptions o;
  Manifest a;
  a.name = "a";
  a.relay = RoleSpec{};
  a.device = RoleSpec{};
  Manifest b;
  b.name = "b";
  b.device = RoleSpec{};
  o.manifests = {a, b};
  auto plain = AssignImplementations(SelectCases(set, o), o);
  ASSERT_TRUE(plain);
  ASSERT_EQ(plain->size(), 2u);
  EXPECT_EQ((*plain)[1].initiator->name, "a");
  EXPECT_EQ((*plain)[1].recipient->name, "a");
  o.matrix = true;
  auto cells = AssignImplementations(SelectCases(set, o), o);
  ASSERT_TRUE(cells);
  std::vector<std::string> ids;
  for (const auto& c : *cells) ids.push_back(c.case_id);
  EXPECT_THAT(ids, ::testing::ElementsAre("relay/a@a", "interop/b@a+a+a", "interop/b@a+a+b",
                                          "interop/b@a+b+a", "interop/b@a+b+b"));
  EXPECT_THAT(RerunCommand(o, (*cells)[3]),
              ::testing::HasSubstr("--relay a --initiator b --recipient a"));
  o.matrix = false;
  o.relay_impl = "b";
  auto bad = AssignImplementations(SelectCases(set, o), o);
  ASSERT_FALSE(bad);
  EXPECT_THAT(bad.error().Message(), ::testing::HasSubstr("'b' provides no relay"));
}

TEST(RerunCommand, QuotesArgumentsForTheShell) {
  EXPECT_EQ(ShellQuote("relay/a"), "relay/a");
  EXPECT_EQ(ShellQuote("it's"), "'it'\\''s'");
  EXPECT_EQ(ShellQuote(""), "''");
}

}  // namespace
}  // namespace tigress::harness
