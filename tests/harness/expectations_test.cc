#include "harness/expectations.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "harness/runner.h"

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

TEST(RerunCommand, QuotesArgumentsForTheShell) {
  EXPECT_EQ(ShellQuote("relay/a"), "relay/a");
  EXPECT_EQ(ShellQuote("it's"), "'it'\\''s'");
  EXPECT_EQ(ShellQuote(""), "''");
}

}  // namespace
}  // namespace tigress::harness
