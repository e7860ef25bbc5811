#include "harness/scenario/coverage.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "harness/oracles/oracles.h"
#include "reports/requirements.h"
#include "tests/support/scratch_dir.h"

namespace tigress::harness {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

// Seven requirements: checked by a scenario, by an adapter vector, only by a
// core-only vector, explained by not_checked, explained although a scenario
// checks it (stale), only declared by a scenario, and checked by an oracle.
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
     "not_checked": {"category": "needs-harness", "reason": "no observer"}},
    {"id": "RELAY-05", "level": "MUST", "severity": "must", "source": "s", "statement": "x",
     "role": "relay", "interpretation": false, "interpretation_refs": []},
    {"id": "PRIV-01", "level": "MUST", "severity": "must", "source": "s", "statement": "x",
     "role": "any", "interpretation": false, "interpretation_refs": []}
  ]
})";

// A relay scenario declaring `declared` whose one step expects 404 of each
// ID in `asserted` (by default RELAY-01).
Scenario MakeScenario(const std::string& id, const std::string& declared,
                      std::vector<std::string> asserted = {"RELAY-01"}) {
  std::string expect;
  for (const std::string& req : asserted) {
    expect += (expect.empty() ? "" : ", ") + std::string("{req: ") + req + ", status: 404}";
  }
  const std::string text = "id: " + id + "\ntitle: t\nrequirements: [" + declared +
                           "]\nkeywords: [k]\nroles: [relay]\nsteps:\n"
                           "  - http: {method: GET, path: /v1/m}\n"
                           "    expect: [" +
                           expect + "]\n";
  return LoadScenarioString(text, id + ".yaml", [](const std::string&) { return true; }).value();
}

Scenario LoadText(const std::string& text) {
  return LoadScenarioString(text, "s.yaml", [](const std::string&) { return true; }).value();
}

class CoverageRules : public ::testing::Test {
 protected:
  void SetUp() override {
    catalog_ = reports::Catalog::Parse(kCatalog, "test").value();
    // RELAY-01 comes from the expectation of every scenario; relay/c only
    // declares RELAY-05.
    scenarios_.scenarios = {MakeScenario("relay/a", "RELAY-01"),
                            MakeScenario("relay/b", "RELAY-31", {"RELAY-01", "RELAY-31"}),
                            MakeScenario("relay/c", "RELAY-05")};
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
  EXPECT_THAT(Entry(r, "RELAY-01").cases, ElementsAre("relay/a", "relay/b", "relay/c"));
  EXPECT_TRUE(Entry(r, "PAYLOAD-11").Checked());
  EXPECT_THAT(Entry(r, "PAYLOAD-11").vectors, ElementsAre("payload-1"));
  EXPECT_EQ(r.scenario_count, 3u);
  EXPECT_EQ(r.vector_count, 1u);
}

TEST_F(CoverageRules, ACoreOnlyVectorDoesNotCountAndTheGapIsAProblem) {
  CoverageReport r = ComputeCatalogueCoverage(catalog_, scenarios_, vectors_);
  EXPECT_FALSE(Entry(r, "RECIP-01").Checked());
  EXPECT_THAT(Entry(r, "RECIP-01").core_vectors, ElementsAre("strip-1"));
  std::vector<std::string> ids;
  for (const auto& p : r.unchecked) ids.push_back(p.requirement_id);
  EXPECT_THAT(ids, ElementsAre("RECIP-01", "RELAY-05", "PRIV-01"));
  EXPECT_THAT(r.unchecked[0].message, HasSubstr("no not_checked reason"));
  EXPECT_EQ(r.by_severity["must"].unexplained, 3);
  EXPECT_THAT(RenderCoverageText(r, false), HasSubstr("PROBLEMS (3)"));
}

TEST_F(CoverageRules, AReasonExplainsAGapAndIsTalliedByCategory) {
  CoverageReport r = ComputeCatalogueCoverage(catalog_, scenarios_, vectors_);
  EXPECT_FALSE(Entry(r, "SEC-13").Checked());
  EXPECT_EQ(r.by_level["SHALL"].not_checked["out-of-scope"], 1);
  EXPECT_EQ(r.by_severity["must"].total, 7);
  EXPECT_EQ(r.by_severity["must"].checked, 3);
  for (const auto& p : r.Problems(/*strict=*/true)) EXPECT_NE(p.requirement_id, "SEC-13");
  EXPECT_THAT(RenderCoverageText(r, false), HasSubstr("not checked (out-of-scope): the vertical"));
}

TEST_F(CoverageRules, AReasonOnACheckedRequirementIsStaleAndFailsOnlyStrictly) {
  CoverageReport r = ComputeCatalogueCoverage(catalog_, scenarios_, vectors_);
  ASSERT_EQ(r.stale.size(), 1u);
  EXPECT_EQ(r.stale[0].requirement_id, "RELAY-31");
  EXPECT_THAT(r.stale[0].message, HasSubstr("relay/b"));
  EXPECT_EQ(r.Problems(false).size(), 3u);  // RECIP-01, RELAY-05, PRIV-01
  EXPECT_EQ(r.Problems(true).size(), 4u);
}

TEST_F(CoverageRules, DeclaringARequirementDoesNotCheckIt) {
  CoverageReport r = ComputeCatalogueCoverage(catalog_, scenarios_, vectors_);
  const RequirementCoverage& e = Entry(r, "RELAY-05");
  EXPECT_FALSE(e.Checked());
  EXPECT_TRUE(e.cases.empty());
  EXPECT_THAT(e.declared_only, ElementsAre("relay/c"));
  EXPECT_THAT(r.declared_not_asserted, ElementsAre("RELAY-05"));
  auto it = std::find_if(r.unchecked.begin(), r.unchecked.end(),
                         [](const CoverageProblem& p) { return p.requirement_id == "RELAY-05"; });
  ASSERT_NE(it, r.unchecked.end());
  EXPECT_THAT(it->message, HasSubstr("relay/c declares it but asserts nothing of it"));
  EXPECT_THAT(RenderCoverageText(r, false), HasSubstr("Declared but not asserted: 1 "));
  EXPECT_THAT(RenderCoverageText(r, true), HasSubstr("[declared, not asserted, by relay/c]"));
  EXPECT_EQ(CoverageToJson(r)["declared_not_asserted"][0], "RELAY-05");
}

TEST_F(CoverageRules, ADeclaredRequirementIsNotStaleUntilSomethingAssertsIt) {
  // RELAY-31 carries not_checked: declaring it is not a check, so the reason holds.
  scenarios_.scenarios = {MakeScenario("relay/a", "RELAY-31")};
  CoverageReport r = ComputeCatalogueCoverage(catalog_, scenarios_, vectors_);
  EXPECT_TRUE(r.stale.empty());
  EXPECT_FALSE(Entry(r, "RELAY-31").Checked());
}

TEST_F(CoverageRules, OraclesAssertTheirRequirementsInScenariosWithARelayAndADevice) {
  const std::vector<std::string> oracles = {"PRIV-01"};
  scenarios_.scenarios.push_back(
      LoadText("id: interop/share\ntitle: t\nrequirements: [PRIV-01]\nkeywords: [k]\n"
               "roles: [relay, initiator]\nsteps:\n"
               "  - call: {role: initiator, method: initiator.share, params: {}}\n"
               "    expect: [{req: INIT-02, ok: true}]\n"));
  CoverageReport without = ComputeCatalogueCoverage(catalog_, scenarios_, vectors_);
  EXPECT_FALSE(Entry(without, "PRIV-01").Checked());
  EXPECT_THAT(Entry(without, "PRIV-01").declared_only, ElementsAre("interop/share"));

  CoverageReport r = ComputeCatalogueCoverage(catalog_, scenarios_, vectors_, oracles);
  const RequirementCoverage& e = Entry(r, "PRIV-01");
  EXPECT_TRUE(e.Checked());
  EXPECT_TRUE(e.cases.empty());
  EXPECT_THAT(e.oracle_cases, ElementsAre("interop/share"));  // relay-only scenarios run none
  EXPECT_TRUE(e.declared_only.empty());
  EXPECT_THAT(RenderCoverageText(r, false), HasSubstr("oracles in 1 scenario"));
}

TEST(CoverageAsserted, StepReqsPushStepsAndNestedExpectationsAssert) {
  const Scenario s = LoadText(
      "id: relay/x\ntitle: t\nrequirements: [RELAY-05, SEC-13]\nkeywords: [k]\n"
      "roles: [relay]\nsteps:\n"
      "  - http: {method: GET, path: /v1/m}\n"
      "    req: RELAY-02\n"
      "  - parallel:\n"
      "      - http: {method: GET, path: /v1/m}\n"
      "        expect: [{req: RELAY-56, status: 404}]\n"
      "  - push: {url: \"${relay.push_url}x\", count: 0, within: 1s}\n");
  EXPECT_THAT(AssertedRequirements(s), ElementsAre("RELAY-02", "RELAY-56", "RELAY-50", "PRIV-10"));
  EXPECT_FALSE(RunsOracles(s));
}

TEST_F(CoverageRules, JsonListsChecksReasonsAndTallies) {
  nlohmann::json j = CoverageToJson(ComputeCatalogueCoverage(catalog_, scenarios_, vectors_));
  EXPECT_EQ(j["requirements"].size(), 7u);
  EXPECT_EQ(j["requirements"][5]["declared_only"][0], "relay/c");
  EXPECT_EQ(j["requirements"][3]["not_checked"]["category"], "out-of-scope");
  EXPECT_EQ(j["by_severity"]["must"]["checked"], 3);
  EXPECT_EQ(j["unchecked"][0]["requirement_id"], "RECIP-01");
}

// kCatalog with the two revisions; RELAY-01 (checked) is info under sct-04.
reports::Catalog RevisedCatalog() {
  std::string text = kCatalog;
  text.insert(text.find("\"interpretations\""), R"j("revisions": [
    {"id": "http-00", "tag": "[HTTP]", "document": "draft-h \"H\"", "default": true},
    {"id": "sct-04", "tag": "[SCT04]", "document": "draft-s \"S\"", "section_map": {"§6": "§6"}}],
  )j");
  const std::string relay01 =
      R"j("role": "relay", "interpretation": false, "interpretation_refs": []},)j";
  text.insert(text.find(relay01) + relay01.size() - 2,
              R"j(, "revisions": {"sct-04": {"severity": "info", "note": "not in sct-04"}})j");
  return reports::Catalog::Parse(text, "revised").value();
}

TEST_F(CoverageRules, EachRevisionCountsTheRequirementsThatApplyThereAndTheirChecks) {
  const reports::Catalog revised = RevisedCatalog();
  CoverageReport r = ComputeCatalogueCoverage(revised, scenarios_, vectors_);
  ASSERT_TRUE(AddRevisionCoverage(r, revised));
  ASSERT_EQ(r.by_revision.size(), 2u);
  EXPECT_EQ(r.by_revision[0].revision, "http-00");
  EXPECT_EQ(r.by_revision[0].document, "draft-h \"H\"");
  EXPECT_EQ(r.by_revision[0].applies, 7);
  EXPECT_EQ(r.by_revision[0].checked, 3);  // RELAY-01, PAYLOAD-11, RELAY-31
  EXPECT_TRUE(r.by_revision[0].info_here.empty());
  EXPECT_EQ(r.by_revision[1].revision, "sct-04");
  EXPECT_EQ(r.by_revision[1].applies, 6);
  EXPECT_EQ(r.by_revision[1].checked, 2);
  EXPECT_THAT(r.by_revision[1].info_here, ElementsAre("RELAY-01"));

  const std::string text = RenderCoverageText(r, false);
  EXPECT_THAT(text, HasSubstr("By revision"));
  EXPECT_THAT(text,
              HasSubstr("sct-04    2/6 applying checked  (draft-s); info here only: RELAY-01"));
  nlohmann::json j = CoverageToJson(r);
  ASSERT_EQ(j["by_revision"].size(), 2u);
  EXPECT_EQ(j["by_revision"][1]["applies"], 6);
  EXPECT_EQ(j["by_revision"][1]["checked"], 2);
  EXPECT_EQ(j["by_severity"]["must"]["checked"], 3);  // the old members stay
}

TEST_F(CoverageRules, OneRevisionCanBeAskedForAndAnUnknownOneIsRefused) {
  const reports::Catalog revised = RevisedCatalog();
  CoverageReport r = ComputeCatalogueCoverage(revised, scenarios_, vectors_);
  const std::vector<std::string> sct = {"sct-04"};
  ASSERT_TRUE(AddRevisionCoverage(r, revised, sct));
  ASSERT_EQ(r.by_revision.size(), 1u);
  EXPECT_EQ(r.by_revision[0].revision, "sct-04");
  const std::vector<std::string> bad = {"sct-03"};
  auto refused = AddRevisionCoverage(r, revised, bad);
  ASSERT_FALSE(refused);
  EXPECT_THAT(refused.error().detail, HasSubstr("http-00, sct-04"));
  // Without the revision data nothing is added to the JSON but an empty list.
  EXPECT_TRUE(
      CoverageToJson(ComputeCatalogueCoverage(catalog_, scenarios_, vectors_))["by_revision"]
          .empty());
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

// The requirements the oracles of harness/oracles/oracles.h cite.
const std::vector<std::string> kOracleRequirementList(kOracleRequirements.begin(),
                                                      kOracleRequirements.end());

// The exported list cannot drift from the code: it is exactly the
// requirement IDs the sources of harness/oracles/ name.
TEST(ShippedCoverage, TheOracleRequirementListIsTheIdsTheOraclesCite) {
  std::stringstream text;
  for (const auto& entry :
       fs::directory_iterator(fs::path(TIGRESS_SOURCE_DIR) / "harness" / "oracles")) {
    if (entry.path().extension() == ".cc" &&
        entry.path().stem().string().find("_test") == std::string::npos) {
      std::ifstream in(entry.path());
      text << in.rdbuf();
    }
  }
  std::set<std::string> cited;
  static const std::regex kId("\"([A-Z]+-[0-9]{2,3})\"");
  const std::string code = text.str();
  for (std::sregex_iterator it(code.begin(), code.end(), kId), end; it != end; ++it) {
    cited.insert((*it)[1].str());
  }
  EXPECT_EQ(cited,
            std::set<std::string>(kOracleRequirementList.begin(), kOracleRequirementList.end()));
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
  CoverageReport r =
      ComputeCatalogueCoverage(s.catalog, s.Load(fs::path(TIGRESS_SOURCE_DIR) / "scenarios"),
                               s.vectors, kOracleRequirementList);
  for (const auto& p : r.unchecked) ADD_FAILURE() << p.message;
  EXPECT_EQ(r.entries.size(), s.catalog.requirements().size());
  EXPECT_GT(r.vector_count, 100u);
}

TEST(ShippedCoverage, FewerRequirementsApplyUnderSct04ThanUnderHttp00) {
  const Shipped s = LoadShipped();
  CoverageReport r =
      ComputeCatalogueCoverage(s.catalog, s.Load(fs::path(TIGRESS_SOURCE_DIR) / "scenarios"),
                               s.vectors, kOracleRequirementList);
  ASSERT_TRUE(AddRevisionCoverage(r, s.catalog));
  ASSERT_EQ(r.by_revision.size(), 2u);
  EXPECT_LT(r.by_revision[1].applies, r.by_revision[0].applies);
  EXPECT_THAT(r.by_revision[1].info_here, ::testing::Contains("RELAY-43"));
  EXPECT_LE(r.by_revision[1].checked, r.by_revision[1].applies);
}

// The deliberate fault: a copy of the scenarios without the one scenario that
// is the last check of a must-level requirement must make coverage name it.
TEST(ShippedCoverage, RemovingTheLastCaseOfAMustRequirementIsReported) {
  const Shipped s = LoadShipped();
  const fs::path src = fs::path(TIGRESS_SOURCE_DIR) / "scenarios";
  const ScenarioSet all = s.Load(src);
  CoverageReport full = ComputeCatalogueCoverage(s.catalog, all, s.vectors, kOracleRequirementList);
  const RequirementCoverage* victim = nullptr;
  for (const auto& e : full.entries) {
    if (e.requirement->severity == reports::Severity::kMust && e.cases.size() == 1 &&
        e.vectors.empty() && e.oracle_cases.empty()) {
      victim = &e;
      break;
    }
  }
  ASSERT_NE(victim, nullptr) << "no must-level requirement rests on a single scenario";
  const std::string victim_id = victim->requirement->id;
  const std::string victim_case = victim->cases.front();

  test_support::ScratchDir scratch("tigress-coverage-test");
  const fs::path tmp = scratch.path();
  fs::copy(src, tmp, fs::copy_options::recursive);
  // Scenario files may be named relative to the source tree (the loader keeps
  // the path it was given); ctest runs from the build tree.
  fs::path file = all.Find(victim_case)->file;
  if (file.is_relative()) file = fs::path(TIGRESS_SOURCE_DIR) / file;
  const fs::path removed = tmp / file.lexically_relative(src);
  ASSERT_TRUE(fs::remove(removed)) << removed;
  CoverageReport cut =
      ComputeCatalogueCoverage(s.catalog, s.Load(tmp), s.vectors, kOracleRequirementList);

  std::vector<std::string> ids;
  for (const auto& p : cut.unchecked) ids.push_back(p.requirement_id);
  EXPECT_THAT(ids, ::testing::Contains(victim_id)) << "removed " << victim_case;
  EXPECT_LT(cut.by_severity["must"].checked, full.by_severity["must"].checked);
  EXPECT_THAT(RenderCoverageText(cut, false), HasSubstr(victim_id));
}

}  // namespace
}  // namespace tigress::harness
