#include "harness/coverage.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "reports/requirements.h"

namespace tigress::harness {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

// Five requirements: checked by a scenario, by an adapter vector, only by a
// core-only vector, explained by not_checked, and explained although a
// scenario checks it (stale).
constexpr char kCatalog[] = R"({
  "schema_version": 1, "title": "t",
  "interpretations": [],
  "requirements": [
    {"id": "RELAY-01", "level": "implied", "severity": "must", "source": "s", "statement": "x",
     "role": "relay", "interpretation": false, "interpretation_refs": []},
    {"id": "PAYLOAD-11", "level": "SHALL", "severity": "must", "source": "s", "statement": "x",
     "role": "any", "interpretation": false, "interpretation_refs": []},
    {"id": "RECIP-01", "level": "MUST", "severity": "must", "source": "s", "statement": "x",
     "role": "any", "interpretation": false, "interpretation_refs": []},
    {"id": "SEC-13", "level": "SHALL", "severity": "must", "source": "s", "statement": "x",
     "role": "any", "interpretation": false, "interpretation_refs": [],
     "not_checked": {"category": "out-of-scope", "reason": "the vertical's job"}},
    {"id": "RELAY-31", "level": "SHALL", "severity": "must", "source": "s", "statement": "x",
     "role": "relay", "interpretation": false, "interpretation_refs": [],
     "not_checked": {"category": "needs-harness", "reason": "no observer"}}
  ]
})";

Scenario MakeScenario(const std::string& id, const std::string& reqs) {
  const std::string text = "id: " + id + "\ntitle: t\nrequirements: [" + reqs +
                           "]\nkeywords: [k]\nroles: [relay]\nsteps:\n"
                           "  - http: {method: GET, path: /v1/m}\n"
                           "    expect: [{req: RELAY-01, status: 404}]\n";
  return LoadScenarioString(text, id + ".yaml", [](const std::string&) { return true; }).value();
}

class CoverageRules : public ::testing::Test {
 protected:
  void SetUp() override {
    catalog_ = reports::Catalog::Parse(kCatalog, "test").value();
    // RELAY-01 comes from the expectation of every scenario.
    scenarios_.scenarios = {MakeScenario("relay/a", "RELAY-01"),
                            MakeScenario("relay/b", "RELAY-31")};
    vectors_ = {
        {"payload-1", "payload_aead", "open", {"PAYLOAD-11"}, true},
        {"strip-1", "share_url", "strip", {"RECIP-01"}, false},
    };
  }
  const RequirementCoverage& Entry(const CoverageReport& r, const std::string& id) {
    auto it = std::find_if(r.entries.begin(), r.entries.end(),
                           [&](const RequirementCoverage& e) { return e.requirement->id == id; });
    EXPECT_NE(it, r.entries.end()) << id;
    return *it;
  }

  reports::Catalog catalog_;
  ScenarioSet scenarios_;
  std::vector<VectorRef> vectors_;
};

TEST_F(CoverageRules, ScenariosAndAdapterVectorsCheckRequirements) {
  CoverageReport r = ComputeCatalogueCoverage(catalog_, scenarios_, vectors_);
  EXPECT_THAT(Entry(r, "RELAY-01").cases, ElementsAre("relay/a", "relay/b"));
  EXPECT_TRUE(Entry(r, "PAYLOAD-11").Checked());
  EXPECT_THAT(Entry(r, "PAYLOAD-11").vectors, ElementsAre("payload-1"));
  EXPECT_EQ(r.scenario_count, 2u);
  EXPECT_EQ(r.vector_count, 1u);
}

TEST_F(CoverageRules, ACoreOnlyVectorDoesNotCountAndTheGapIsAProblem) {
  CoverageReport r = ComputeCatalogueCoverage(catalog_, scenarios_, vectors_);
  EXPECT_FALSE(Entry(r, "RECIP-01").Checked());
  EXPECT_THAT(Entry(r, "RECIP-01").core_vectors, ElementsAre("strip-1"));
  ASSERT_EQ(r.unchecked.size(), 1u);
  EXPECT_EQ(r.unchecked[0].requirement_id, "RECIP-01");
  EXPECT_THAT(r.unchecked[0].message, HasSubstr("no not_checked reason"));
  EXPECT_EQ(r.by_severity["must"].unexplained, 1);
  EXPECT_THAT(RenderCoverageText(r, false), HasSubstr("PROBLEMS (1)"));
}

TEST_F(CoverageRules, AReasonExplainsAGapAndIsTalliedByCategory) {
  CoverageReport r = ComputeCatalogueCoverage(catalog_, scenarios_, vectors_);
  EXPECT_FALSE(Entry(r, "SEC-13").Checked());
  EXPECT_EQ(r.by_level["SHALL"].not_checked["out-of-scope"], 1);
  EXPECT_EQ(r.by_severity["must"].total, 5);
  EXPECT_EQ(r.by_severity["must"].checked, 3);
  for (const auto& p : r.Problems(/*strict=*/true)) EXPECT_NE(p.requirement_id, "SEC-13");
  EXPECT_THAT(RenderCoverageText(r, false), HasSubstr("not checked (out-of-scope): the vertical"));
}

TEST_F(CoverageRules, AReasonOnACheckedRequirementIsStaleAndFailsOnlyStrictly) {
  CoverageReport r = ComputeCatalogueCoverage(catalog_, scenarios_, vectors_);
  ASSERT_EQ(r.stale.size(), 1u);
  EXPECT_EQ(r.stale[0].requirement_id, "RELAY-31");
  EXPECT_THAT(r.stale[0].message, HasSubstr("relay/b"));
  EXPECT_EQ(r.Problems(false).size(), 1u);  // RECIP-01 only
  EXPECT_EQ(r.Problems(true).size(), 2u);
}

TEST_F(CoverageRules, JsonListsChecksReasonsAndTallies) {
  nlohmann::json j = CoverageToJson(ComputeCatalogueCoverage(catalog_, scenarios_, vectors_));
  EXPECT_EQ(j["requirements"].size(), 5u);
  EXPECT_EQ(j["requirements"][3]["not_checked"]["category"], "out-of-scope");
  EXPECT_EQ(j["by_severity"]["must"]["checked"], 3);
  EXPECT_EQ(j["unchecked"][0]["requirement_id"], "RECIP-01");
}

TEST(CoverageVectors, OnlyPayloadAndShareUrlParseAndBuildReachImplementations) {
  EXPECT_TRUE(VectorReachesImplementations("payload_aead", "seal"));
  EXPECT_TRUE(VectorReachesImplementations("share_url", "parse"));
  EXPECT_TRUE(VectorReachesImplementations("share_url", "build"));
  EXPECT_FALSE(VectorReachesImplementations("share_url", "strip"));
  EXPECT_FALSE(VectorReachesImplementations("messages", ""));
}

TEST(CoverageCatalogue, AnUnknownNotCheckedCategoryIsRefusedWithItsPath) {
  std::string text = kCatalog;
  text.replace(text.find("out-of-scope"), 12, "too-hard");
  auto c = reports::Catalog::Parse(text, "cat.json");
  ASSERT_FALSE(c);
  EXPECT_THAT(c.error().Message(), HasSubstr("(SEC-13).not_checked.category"));
  EXPECT_THAT(c.error().Message(), HasSubstr("too-hard"));
}

// The shipped catalogue, scenarios and vectors.
struct Shipped {
  reports::Catalog catalog;
  std::vector<VectorRef> vectors;
  ScenarioSet Load(const fs::path& dir) const {
    return LoadScenarioDir(dir,
                           [this](const std::string& id) { return catalog.Find(id) != nullptr; })
        .value();
  }
};

Shipped LoadShipped() {
  const fs::path root = TIGRESS_SOURCE_DIR;
  Shipped s;
  s.catalog = reports::LoadCatalog(root / "vectors" / "requirements.json").value();
  s.vectors = LoadVectorRefs(root / "vectors").value();
  return s;
}

TEST(ShippedCoverage, EveryRequirementIsCheckedOrExplained) {
  const Shipped s = LoadShipped();
  CoverageReport r = ComputeCatalogueCoverage(
      s.catalog, s.Load(fs::path(TIGRESS_SOURCE_DIR) / "scenarios"), s.vectors);
  for (const auto& p : r.unchecked) ADD_FAILURE() << p.message;
  EXPECT_EQ(r.entries.size(), s.catalog.requirements().size());
  EXPECT_GT(r.vector_count, 100u);
}

// The deliberate fault: a copy of the scenarios without the one scenario that
// is the last check of a must-level requirement must make coverage name it.
TEST(ShippedCoverage, RemovingTheLastCaseOfAMustRequirementIsReported) {
  const Shipped s = LoadShipped();
  const fs::path src = fs::path(TIGRESS_SOURCE_DIR) / "scenarios";
  const ScenarioSet all = s.Load(src);
  CoverageReport full = ComputeCatalogueCoverage(s.catalog, all, s.vectors);
  const RequirementCoverage* victim = nullptr;
  for (const auto& e : full.entries) {
    if (e.requirement->severity == reports::Severity::kMust && e.cases.size() == 1 &&
        e.vectors.empty()) {
      victim = &e;
      break;
    }
  }
  ASSERT_NE(victim, nullptr) << "no must-level requirement rests on a single scenario";
  const std::string victim_id = victim->requirement->id;
  const std::string victim_case = victim->cases.front();

  const fs::path tmp = fs::temp_directory_path() /
                       ("tigress-coverage-test-" + std::to_string(std::random_device{}()));
  fs::copy(src, tmp, fs::copy_options::recursive);
  // Scenario files may be named relative to the source tree (the loader keeps
  // the path it was given); ctest runs from the build tree.
  fs::path file = all.Find(victim_case)->file;
  if (file.is_relative()) file = fs::path(TIGRESS_SOURCE_DIR) / file;
  const fs::path removed = tmp / file.lexically_relative(src);
  ASSERT_TRUE(fs::remove(removed)) << removed;
  CoverageReport cut = ComputeCatalogueCoverage(s.catalog, s.Load(tmp), s.vectors);
  fs::remove_all(tmp);

  std::vector<std::string> ids;
  for (const auto& p : cut.unchecked) ids.push_back(p.requirement_id);
  EXPECT_THAT(ids, ::testing::Contains(victim_id)) << "removed " << victim_case;
  EXPECT_LT(cut.by_severity["must"].checked, full.by_severity["must"].checked);
  EXPECT_THAT(RenderCoverageText(cut, false), HasSubstr(victim_id));
}

}  // namespace
}  // namespace tigress::harness
