#include "harness/run/selection.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace tigress::harness {
namespace {

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
  relay_only.roles = {Role::kRelay};
  Scenario full;
  full.id = "interop/b";
  full.roles = {Role::kRelay, Role::kInitiator, Role::kRecipient};
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

TEST(RerunCommand, NamesTheScenarioSeedRepetitionAndProfile) {
  Scenario s;
  s.id = "relay/a b";
  RunOptions o;
  o.harness_exe = "/bin/tigress-harness";
  o.seed = 7;
  o.profile = reports::Profile::kStrict;
  CaseSpec c;
  c.scenario = &s;
  c.repetition = 2;
  EXPECT_EQ(RerunCommand(o, c),
            "/bin/tigress-harness run --filter 'relay/a b' --seed 7 --repeat 3 --profile strict");
}

TEST(DefaultRunId, IsTheUtcTimeAndAHashOfTheSeedAndProcess) {
  const std::string id = DefaultRunId(1, 100, 0);
  EXPECT_THAT(id, ::testing::StartsWith("19700101-000000-"));
  EXPECT_EQ(id.size(), std::string("19700101-000000-abcd").size());
  EXPECT_EQ(DefaultRunId(1, 100, 0), id) << "the same inputs give the same id";
  EXPECT_NE(DefaultRunId(1, 101, 0), id) << "another process gets another suffix";
}

TEST(CaseSelection, ImplementationsOfDifferentRevisionsAreAMismatchNamedDevicesFirst) {
  Manifest http;
  http.name = "a";
  Manifest sct;
  sct.name = "b";
  sct.spec = Revision::kSct04;
  CaseSpec c;
  c.relay = &sct;
  c.initiator = &http;
  c.recipient = &http;
  EXPECT_EQ(RevisionMismatch(c), "revision mismatch (http-00 device, sct-04 relay)");
  EXPECT_EQ(CaseRevision(c), Revision::kSct04) << "the relay's revision is the case's";
  c.recipient = &sct;
  EXPECT_EQ(RevisionMismatch(c),
            "revision mismatch (http-00 initiator, sct-04 recipient, sct-04 relay)");
  c.initiator = &sct;
  EXPECT_EQ(RevisionMismatch(c), "");
  CaseSpec relay_only;
  relay_only.relay = &sct;
  EXPECT_EQ(RevisionMismatch(relay_only), "");
  EXPECT_EQ(CaseRevision(CaseSpec{}), kDefaultRevision);
}

TEST(CaseSelection, TheRerunCommandCarriesASpecOverride) {
  Scenario s;
  s.id = "relay/a";
  Manifest m;
  m.name = "r";
  m.path = "/x/r.yaml";
  RunOptions o;
  o.manifests = {m};
  CaseSpec c;
  c.scenario = &s;
  c.relay = &o.manifests[0];
  EXPECT_THAT(RerunCommand(o, c), ::testing::Not(::testing::HasSubstr("--spec")));
  o.spec_override = Revision::kSct04;
  EXPECT_THAT(RerunCommand(o, c), ::testing::HasSubstr("--spec sct-04"));
}

TEST(CaseScheduling, CasesStartLongestFirstByEarlierTimesElseByTheirWaits) {
  Scenario quick;
  quick.id = "relay/quick";
  Scenario waits;
  waits.id = "relay/waits";
  Step wait;
  wait.action = WaitAction{.ms = 3000};
  waits.steps = {wait};
  std::vector<CaseSpec> cases(3);
  cases[0].scenario = &quick;
  cases[0].case_id = "relay/quick";
  cases[1].scenario = &waits;
  cases[1].case_id = "relay/waits";
  cases[2].scenario = &quick;
  cases[2].case_id = "relay/quick#2";
  EXPECT_EQ(LongestFirst(cases, {}), (std::vector<std::size_t>{1, 0, 2}))
      << "the waiting case first, ties in selection order";
  EXPECT_GT(ExpectedSeconds(cases[1], {}), 3.0);
  const CaseTimings earlier = {{"relay/quick#2", 9.5}};
  EXPECT_EQ(LongestFirst(cases, earlier), (std::vector<std::size_t>{2, 1, 0}));
  EXPECT_DOUBLE_EQ(ExpectedSeconds(cases[2], earlier), 9.5);
}

TEST(CaseScheduling, TheDefaultJobsSpreadTheTotalOverTheLongestCaseWithinPerCoreBounds) {
  Scenario s;
  s.id = "relay/a";
  std::vector<CaseSpec> cases(40);
  CaseTimings t;
  for (std::size_t i = 0; i < cases.size(); ++i) {
    cases[i].scenario = &s;
    cases[i].case_id = "c" + std::to_string(i);
    t[cases[i].case_id] = i == 0 ? 4.0 : 0.5;  // 4 + 39 * 0.5 = 23.5 s: 6 workers
  }
  EXPECT_EQ(DefaultJobs(cases, t, 2), 6);
  EXPECT_EQ(DefaultJobs(cases, t, 1), 4) << "at most 4 per core";
  t["c0"] = 0.5;  // 20 s over 0.5 s: 40 wanted
  EXPECT_EQ(DefaultJobs(cases, t, 64), 16) << "never more than 16";
  EXPECT_EQ(DefaultJobs(std::vector<CaseSpec>(cases.begin(), cases.begin() + 1), t, 8), 2);
}

TEST(CaseScheduling, TimingsRoundTripAndBadFilesYieldNone) {
  const CaseTimings t = {{"relay/a", 1.25}, {"interop/b@x+y+z", 0.5}};
  EXPECT_EQ(ParseCaseTimings(CaseTimingsJson(t)), t);
  EXPECT_TRUE(ParseCaseTimings("not json").empty());
  EXPECT_TRUE(ParseCaseTimings("[1, 2]").empty());
  EXPECT_EQ(ParseCaseTimings(R"({"a": -1, "b": "x", "c": 2})"), (CaseTimings{{"c", 2.0}}));
}

}  // namespace
}  // namespace tigress::harness
