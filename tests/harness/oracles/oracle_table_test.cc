// File: tests/harness/oracles/oracle_table_test.cc
#include <algorithm>
#include <set>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/harness/oracles/oracle_fixtures.h"

namespace tigress::harness::testing {
namespace {

std::set<std::string> Requirements(const std::vector<Finding>& all) {
  std::set<std::string> out;
  for (const auto& f : all) out.insert(f.requirement);
  return out;
}

std::set<std::string> Declared(const OracleCheck& check) {
  return {check.requirements.begin(), check.requirements.end()};
}

TEST(OracleTable, CitesExactlyTheOracleRequirementsWithIvUniqueBesideIt) {
  std::set<std::string> cited = {"PAYLOAD-04"};  // IvLedger: run-wide, not per case
  std::set<std::string_view> ids;
  for (const OracleCheck& check : OracleTable()) {
    EXPECT_TRUE(ids.insert(check.id).second) << check.id;
    EXPECT_FALSE(check.checks.empty()) << check.id;
    EXPECT_NE(check.run, nullptr) << check.id;
    for (auto r : check.requirements) cited.insert(std::string(r));
  }
  EXPECT_EQ(cited, std::set<std::string>(kOracleRequirements.begin(), kOracleRequirements.end()));
}

TEST(OracleTable, HasOneTrippingCaseForEveryEntry) {
  const auto cases = TrippingCases();
  ASSERT_EQ(cases.size(), OracleTable().size());
  for (std::size_t i = 0; i < cases.size(); ++i) {
    EXPECT_EQ(cases[i].c.name, OracleTable()[i].id);
  }
}

TEST(OracleTable, EachEntryTrippedFailsExactlyTheRequirementsItDeclares) {
  for (const TrippingCase& t : TrippingCases()) {
    const auto it = std::find_if(OracleTable().begin(), OracleTable().end(),
                                 [&](const OracleCheck& c) { return c.id == t.c.name; });
    ASSERT_NE(it, OracleTable().end()) << t.c.name;
    const auto failed = Requirements(Failures(RunEntry(t.c.name, t.c.Input())));
    EXPECT_EQ(failed, std::set<std::string>(t.requirements.begin(), t.requirements.end()))
        << t.c.name;
    EXPECT_EQ(failed, Declared(*it)) << t.c.name;
  }
}

TEST(OracleTable, NoEntryReportsACheckOrRequirementItDoesNotDeclare) {
  std::vector<OracleCase> all = {CleanCase()};
  for (const TrippingCase& t : TrippingCases()) all.push_back(t.c);
  for (const OracleCheck& check : OracleTable()) {
    const std::set<std::string_view> names(check.checks.begin(), check.checks.end());
    for (const OracleCase& c : all) {
      for (const Finding& f : RunEntry(check.id, c.Input())) {
        EXPECT_TRUE(Declared(check).contains(f.requirement))
            << check.id << " on " << c.name << ": " << f.requirement;
        EXPECT_TRUE(names.contains(f.check)) << check.id << " on " << c.name << ": " << f.check;
      }
    }
  }
}

TEST(OracleTable, EveryEntryExaminesTheCleanCaseAndPasses) {
  const OracleCase clean = CleanCase();
  for (const OracleCheck& check : OracleTable()) {
    const auto all = RunEntry(check.id, clean.Input());
    EXPECT_TRUE(Failures(all).empty()) << check.id << ": " << Failures(all).front().message;
    EXPECT_FALSE(Passes(all).empty()) << check.id;
  }
  // Every requirement of the table gets its pass.
  std::set<std::string> passed = Requirements(Passes(RunOracles(clean.Input())));
  passed.insert("PAYLOAD-04");
  EXPECT_EQ(passed, std::set<std::string>(kOracleRequirements.begin(), kOracleRequirements.end()));
}

TEST(OracleTable, RunOraclesReportsTheEntriesFindingsInTableOrder) {
  std::vector<OracleCase> all = {CleanCase()};
  for (const TrippingCase& t : TrippingCases()) all.push_back(t.c);
  for (const OracleCase& c : all) {
    const OracleInput in = c.Input();
    const OracleContext ctx = BuildOracleContext(in);
    Findings out;
    for (const OracleCheck& check : OracleTable()) check.run(ctx, out);
    std::vector<std::string> expected;
    for (const Finding& f : out.all()) expected.push_back(f.check + ": " + f.message);
    std::vector<std::string> got;
    for (const Finding& f : RunOracles(c.Input())) got.push_back(f.check + ": " + f.message);
    EXPECT_EQ(got, expected) << c.name;
  }
}

TEST(OracleTable, EveryCheckPassesTheCleanCaseAndFailsOnATrippingCase) {
  const std::vector<Finding> clean = RunOracles(CleanCase().Input());
  std::set<std::string> failed;
  for (const TrippingCase& t : TrippingCases()) {
    for (const Finding& f : Failures(RunOracles(t.c.Input()))) failed.insert(f.check);
  }
  for (const OracleCheck& check : OracleTable()) {
    for (std::string_view name : check.checks) {
      EXPECT_TRUE(std::any_of(clean.begin(), clean.end(), [&](const Finding& f) {
        return f.check == name && f.ok;
      })) << name;
      EXPECT_TRUE(failed.contains(std::string(name))) << name;
    }
  }
  EXPECT_TRUE(Failures(clean).empty()) << Failures(clean).front().message;
}

TEST(OracleTable, AnEntryWithholdsThePassOfACheckAnEarlierEntryFailed) {
  // token-fresh fails initiator-identifiers; display-not-identifying, which
  // reports that check's pass, then reports none.
  const TrippingCase t = TrippingCases()[7];
  ASSERT_EQ(t.c.name, "token-fresh");
  const auto all = RunOracles(t.c.Input());
  for (const Finding& f : all) {
    EXPECT_FALSE(f.check == "initiator-identifiers" && f.ok) << f.message;
  }
  EXPECT_FALSE(Passes(RunEntry("display-not-identifying", t.c.Input())).empty());
}

TEST(OracleTable, RunOraclesWithoutATranscriptFindsNothing) {
  EXPECT_TRUE(RunOracles(OracleInput{}).empty());
}

TEST(OracleFindings, CapsEachCheckAtTheLimitButCountsEveryFailure) {
  Findings out;
  for (std::size_t i = 0; i < kMaxFindingsPerCheck + 3; ++i) {
    out.Fail("a-check", "PRIV-01", "m" + std::to_string(i), "e", "a");
  }
  out.PassIfClean("a-check", "PRIV-01", true, "clean", "e");
  out.PassIfClean("other", "PRIV-02", true, "clean", "e");
  out.PassIfClean("unexamined", "PRIV-03", false, "clean", "e");
  EXPECT_EQ(out.failures("a-check"), kMaxFindingsPerCheck + 3);
  const auto all = out.Take();
  ASSERT_EQ(all.size(), kMaxFindingsPerCheck + 1);
  EXPECT_EQ(all.back().check, "other");
  EXPECT_TRUE(all.back().ok);
}

}  // namespace
}  // namespace tigress::harness::testing
