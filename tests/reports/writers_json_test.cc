#include <algorithm>
#include <map>
#include <set>

#include "reports/escape.h"
#include "tests/reports/writers_fixture.h"

namespace tigress::reports {
namespace {

using testing::SampleRun;

// ---- coverage ----

TEST(Coverage, ListsEveryCatalogueRequirementWithItsCasesAndWorstVerdict) {
  const RunResult run = SampleRun();
  const auto coverage = ComputeCoverage(run, &TheCatalogue());
  EXPECT_EQ(coverage.size(), TheCatalogue().requirements().size());
  std::map<std::string, const CoverageEntry*> by_id;
  for (const CoverageEntry& e : coverage) by_id[e.requirement_id] = &e;
  ASSERT_TRUE(by_id.contains("RELAY-31"));
  EXPECT_EQ(by_id["RELAY-31"]->cases, std::vector<std::size_t>{1});
  EXPECT_EQ(by_id["RELAY-31"]->worst, Verdict::kFail);
  EXPECT_EQ(by_id["RELAY-01"]->worst, Verdict::kPass);
  EXPECT_FALSE(by_id["SEC-01"]->worst.has_value());  // not tested
  EXPECT_TRUE(by_id["SEC-01"]->cases.empty());
}

TEST(Coverage, KeepsIdsTheCatalogueLacks) {
  RunResult run = SampleRun();
  run.cases[0].requirement_ids.push_back("RELAY-999");
  const auto coverage = ComputeCoverage(run, &TheCatalogue());
  ASSERT_FALSE(coverage.empty());
  EXPECT_EQ(coverage.back().requirement_id, "RELAY-999");
  EXPECT_EQ(coverage.back().requirement, nullptr);
  EXPECT_FALSE(coverage.back().worst.has_value());  // declared only: no verdict
  EXPECT_EQ(coverage.back().status, CoverageStatus::kNotExamined);
  EXPECT_EQ(ComputeCoverage(run, nullptr).size(), 9u);  // only IDs the cases name
}

TEST(Coverage, ARequirementsVerdictComesOnlyFromAssertionsCitingIt) {
  RunResult run = SampleRun();
  // The failing case declares RELAY-01 too, but no assertion of it cites RELAY-01.
  run.cases[1].requirement_ids.push_back("RELAY-01");
  run.cases[1].requirement_ids.push_back("RELAY-05");
  const auto coverage = ComputeCoverage(run, &TheCatalogue());
  std::map<std::string, const CoverageEntry*> by_id;
  for (const CoverageEntry& e : coverage) by_id[e.requirement_id] = &e;
  EXPECT_EQ(by_id["RELAY-01"]->worst, Verdict::kPass);  // not the case's FAIL
  EXPECT_EQ(by_id["RELAY-01"]->cases, (std::vector<std::size_t>{0, 1}));
  EXPECT_FALSE(by_id["RELAY-05"]->worst.has_value());
  EXPECT_EQ(by_id["RELAY-05"]->status, CoverageStatus::kNotExamined);
  EXPECT_EQ(by_id["RELAY-31"]->status, CoverageStatus::kChecked);
  EXPECT_EQ(by_id["SEC-01"]->status, CoverageStatus::kNotTested);
}

TEST(Coverage, ARequirementACaseDidNotGetToIsNotEvaluatedWithTheReason) {
  const RunResult run = SampleRun();
  const auto coverage = ComputeCoverage(run, &TheCatalogue());
  auto it = std::find_if(coverage.begin(), coverage.end(),
                         [](const CoverageEntry& e) { return e.requirement_id == "RELAY-40"; });
  ASSERT_NE(it, coverage.end());
  EXPECT_EQ(it->status, CoverageStatus::kNotEvaluated);
  EXPECT_FALSE(it->worst.has_value());  // not the case's TIMEOUT
  ASSERT_EQ(it->not_evaluated.size(), 1u);
  EXPECT_EQ(it->not_evaluated[0].first, 3u);
  EXPECT_NE(it->not_evaluated[0].second.find("never read the share"), std::string::npos);
}

TEST(Coverage, CaseRequirementsListDeclaredThenCitedThenNotEvaluated) {
  CaseResult c;
  c.requirement_ids = {"RELAY-31", "RELAY-05"};
  c.assertions.push_back(testing::MakeAssertion("RELAY-31", Verdict::kPass, "ok"));
  c.assertions.push_back(testing::MakeAssertion("PRIV-01", Verdict::kFail, "leak"));
  c.assertions.push_back(testing::MakeAssertion("RELAY-31", Verdict::kWarn, "slow"));
  c.not_evaluated = {{"RELAY-40", "stopped"}, {"RELAY-31", "second read skipped"}};
  const std::vector<CaseRequirement> reqs = CaseRequirements(c);
  ASSERT_EQ(reqs.size(), 4u);
  EXPECT_EQ(reqs[0].requirement_id, "RELAY-31");
  EXPECT_EQ(reqs[0].worst, Verdict::kWarn);
  EXPECT_EQ(reqs[0].status, CoverageStatus::kChecked);
  EXPECT_TRUE(reqs[0].not_evaluated_too);
  EXPECT_EQ(reqs[1].requirement_id, "RELAY-05");
  EXPECT_EQ(reqs[1].status, CoverageStatus::kNotExamined);
  EXPECT_EQ(reqs[2].requirement_id, "PRIV-01");
  EXPECT_EQ(reqs[2].worst, Verdict::kFail);
  EXPECT_EQ(reqs[3].requirement_id, "RELAY-40");
  EXPECT_EQ(reqs[3].status, CoverageStatus::kNotEvaluated);
  EXPECT_EQ(reqs[3].not_evaluated, "stopped");
}

// ---- report.json ----

TEST(ReportJson, RoundTripsThroughTheReader) {
  const RunResult run = SampleRun(Profile::kLenient);
  const std::string text = RenderReportJson(run, &TheCatalogue());
  auto back = ParseReportJson(text);
  ASSERT_TRUE(back) << back.error().Message();
  EXPECT_EQ(RenderReportJson(*back, &TheCatalogue()), text);

  EXPECT_EQ(back->run_id, run.run_id);
  EXPECT_EQ(back->seed, 18446744073709551557ull);
  EXPECT_EQ(back->profile, Profile::kLenient);
  ASSERT_EQ(back->cases.size(), run.cases.size());
  const CaseResult& fail = back->cases[1];
  // Hostile text survives intact, except invalid UTF-8 which becomes U+FFFD.
  EXPECT_EQ(fail.title, SanitizeUtf8(run.cases[1].title));
  ASSERT_EQ(fail.assertions.size(), 1u);
  EXPECT_EQ(fail.assertions[0].evidence.http[0].status, 200);
  EXPECT_EQ(fail.assertions[0].evidence.fields[1].second,
            SanitizeUtf8(run.cases[1].assertions[0].evidence.fields[1].second));
  EXPECT_EQ(fail.assertions[0].evidence.attachments[0].path, "transcript.har");
  EXPECT_TRUE(back->cases[2].assertions[0].profile_downgrade);
  EXPECT_EQ(back->cases[2].verdict, Verdict::kWarn);
  EXPECT_TRUE(back->cases[6].stale_expectation);
  EXPECT_EQ(back->ExitCode(), run.ExitCode());
}

TEST(ReportJson, RoundTripsClassesBasesNotEvaluatedSignaturesAndDisabledCases) {
  const RunResult run = SampleRun(Profile::kStandard);
  const std::string text = RenderReportJson(run, &TheCatalogue());
  auto back = ParseReportJson(text);
  ASSERT_TRUE(back) << back.error().Message();
  EXPECT_EQ(RenderReportJson(*back, &TheCatalogue()), text);
  EXPECT_EQ(back->profile, Profile::kStandard);
  const Assertion& interp = back->cases[2].assertions[0];
  EXPECT_EQ(interp.interpretation_class, InterpretationClass::kRobustness);
  EXPECT_EQ(interp.basis.kind, "interpretation");
  EXPECT_EQ(interp.basis.source, "C-11 (robustness)");
  EXPECT_EQ(interp.basis.level, "MUST");
  EXPECT_EQ(back->cases[1].assertions[0].basis.source, "[HTTP] §8.1.1");
  EXPECT_EQ(back->cases[1].assertions[0].interpretation_class, InterpretationClass::kNone);
  EXPECT_TRUE(back->cases[3].stopped_early);
  ASSERT_EQ(back->cases[3].not_evaluated.size(), 1u);
  EXPECT_EQ(back->cases[3].not_evaluated[0].requirement_id, "RELAY-40");
  EXPECT_EQ(back->cases[3].not_evaluated[0].reason, run.cases[3].not_evaluated[0].reason);
  EXPECT_EQ(back->cases[5].expected_failure_requirements, std::vector<std::string>{"REPLAY-02"});
  EXPECT_EQ(back->cases[3].failure_signature, "adapter timeout");
  EXPECT_EQ(back->cases[0].failure_signature, "");  // it passed
  EXPECT_EQ(back->disabled, run.disabled);
}

TEST(ReportJson, ReadsAVersionOneReport) {
  auto doc = nlohmann::json::parse(RenderReportJson(SampleRun(Profile::kLenient), nullptr));
  doc["schema_version"] = 1;
  for (auto& c : doc["cases"]) {
    for (const char* key :
         {"expected_failure_requirements", "stopped_early", "not_evaluated", "failure_signature"}) {
      c.erase(key);
    }
    for (auto& a : c["assertions"]) {
      a["lenient_downgrade"] = a["profile_downgrade"];
      for (const char* key : {"profile_downgrade", "interpretation_class", "basis"}) a.erase(key);
    }
  }
  doc.erase("disabled");
  auto v1 = ParseReportJson(doc.dump());
  ASSERT_TRUE(v1) << v1.error().Message();
  EXPECT_EQ(v1->schema_version, kReportSchemaVersion);
  EXPECT_TRUE(v1->cases[2].assertions[0].profile_downgrade);
  EXPECT_EQ(v1->cases[2].assertions[0].basis.kind, "");
  EXPECT_TRUE(v1->cases[3].not_evaluated.empty());
}

TEST(Coverage, EveryReportGivesTheCatalogueReasonForAnUncheckedRequirement) {
  // SEC-13 carries not_checked (out-of-scope) in the catalogue, SEC-01 does
  // not; the sample run checks neither.
  const RunResult run = SampleRun();
  ASSERT_TRUE(TheCatalogue().Find("SEC-13")->not_checked);
  ASSERT_FALSE(TheCatalogue().Find("SEC-01")->not_checked);
  const auto doc = nlohmann::json::parse(RenderReportJson(run, &TheCatalogue()));
  int must_total = 0;
  for (const auto& e : doc["coverage"]) {
    if (e["severity"] == "must") ++must_total;
    if (e["requirement_id"] == "SEC-13") {
      EXPECT_EQ(e["not_checked"]["category"], "out-of-scope");
      EXPECT_FALSE(e["not_checked"]["reason"].get<std::string>().empty());
    }
    if (e["requirement_id"] == "SEC-01") {
      EXPECT_TRUE(e["not_checked"].is_null());
    }
  }
  const auto& must = doc["coverage_summary"]["by_severity"]["must"];
  EXPECT_EQ(must["total"], must_total);
  EXPECT_GE(must["not_checked"].get<int>(), 1);
  EXPECT_EQ(must["tested"].get<int>() + doc["coverage_summary"]["untested_must"].get<int>(),
            must_total);

  const std::string md = RenderSummaryMarkdown(run, &TheCatalogue());
  EXPECT_NE(md.find("| SEC-13 | SHALL | out-of-scope: "), std::string::npos) << md;
  EXPECT_NE(md.find("| SEC-01 | SHALL | no case of this run checks it |"), std::string::npos);
  EXPECT_NE(md.find("| must | " + std::to_string(must_total) + " | "), std::string::npos);

  const std::string html = RenderHtml(run, &TheCatalogue());
  EXPECT_NE(html.find("not checked (out-of-scope): "), std::string::npos);
  EXPECT_NE(html.find("no case of this run checks it"), std::string::npos);
  EXPECT_NE(html.find("<tr><td>must</td><td>" + std::to_string(must_total) + "</td>"),
            std::string::npos);
}

TEST(ReportJson, CarriesSummaryCoverageAndInterpretations) {
  const RunResult run = SampleRun();
  const auto doc = nlohmann::json::parse(RenderReportJson(run, &TheCatalogue()));
  EXPECT_EQ(doc["schema"], "tigress-harness/report");
  EXPECT_EQ(doc["schema_version"], kReportSchemaVersion);
  EXPECT_EQ(doc["summary"]["nothing_tested"], false);
  EXPECT_EQ(doc["disabled"][0]["case_id"], "relay/race/parallel-binding");
  EXPECT_EQ(doc["cases"][2]["assertions"][0]["interpretation_class"], "robustness");
  EXPECT_TRUE(doc["cases"][0]["assertions"][0]["interpretation_class"].is_null());
  EXPECT_EQ(doc["cases"][1]["assertions"][0]["basis"]["kind"], "draft");
  EXPECT_EQ(doc["cases"][3]["not_evaluated"][0]["requirement_id"], "RELAY-40");
  // Root causes: five failing cases, each its own cause; every group names its cases.
  ASSERT_EQ(doc["root_causes"].size(), 5u);
  EXPECT_EQ(doc["root_causes"][0]["count"], 1);
  EXPECT_EQ(doc["root_causes"][0]["signature"], "ReadSecureContent answered, 200");
  EXPECT_EQ(doc["root_causes"][0]["cases"][0], "relay/8.1/second-recipient");
  EXPECT_EQ(doc["run"]["seed"], "18446744073709551557");
  EXPECT_EQ(doc["summary"]["total"], 7);
  EXPECT_EQ(doc["summary"]["fail"], 3);        // plain, interpretation (strict) and expected
  EXPECT_EQ(doc["summary"]["unexpected"], 4);  // fail, interpretation fail, timeout, stale
  EXPECT_EQ(doc["summary"]["exit_code"], 1);
  bool found = false;
  for (const auto& e : doc["coverage"]) {
    if (e["requirement_id"] == "RELAY-31") {
      found = true;
      EXPECT_EQ(e["verdict"], "FAIL");
      EXPECT_EQ(e["level"], "SHALL");
      EXPECT_EQ(e["cases"][0], "relay/8.1/second-recipient");
    }
    if (e["requirement_id"] == "SEC-01") {
      EXPECT_TRUE(e["verdict"].is_null());
      EXPECT_EQ(e["status"], "not_tested");
    }
    if (e["requirement_id"] == "RELAY-40") {
      EXPECT_TRUE(e["verdict"].is_null());
      EXPECT_EQ(e["status"], "not_evaluated");
      EXPECT_EQ(e["not_evaluated"][0]["case_id"], "interop/flow/full-share");
    }
  }
  EXPECT_TRUE(found);
  EXPECT_EQ(doc["coverage_summary"]["not_evaluated"], 1);
  for (const auto& i : doc["interpretations"]) {
    if (i["id"] == "C-11") {
      EXPECT_EQ(i["class"], "robustness");
    }
  }
  ASSERT_FALSE(doc["interpretations"].empty());
  std::set<std::string> ids;
  for (const auto& i : doc["interpretations"]) ids.insert(i["id"].get<std::string>());
  EXPECT_TRUE(ids.contains("C-11"));
  EXPECT_EQ(doc["cases"][1]["is_unexpected"], true);
  EXPECT_EQ(doc["cases"][5]["is_unexpected"], false);  // known failure
}

TEST(ReportJson, ReplacesInvalidUtf8InsteadOfThrowing) {
  RunResult run = SampleRun();
  run.cases[0].title = "bad \xC3\x28 bytes";
  const std::string text = RenderReportJson(run, nullptr);
  const auto doc = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  EXPECT_FALSE(doc.is_discarded());
}

TEST(ReportJson, ReaderRejectsOtherSchemasNamingTheField) {
  auto doc = nlohmann::json::parse(RenderReportJson(SampleRun(), nullptr));
  for (int version : {0, kReportSchemaVersion + 1}) {
    doc["schema_version"] = version;
    auto v = ParseReportJson(doc.dump());
    ASSERT_FALSE(v) << version;
    EXPECT_NE(v.error().detail.find("schema_version"), std::string::npos);
  }

  doc["schema_version"] = kReportSchemaVersion;
  doc["cases"][2]["assertions"][0]["interpretation_class"] = "cosmetic";
  auto klass = ParseReportJson(doc.dump());
  ASSERT_FALSE(klass);
  EXPECT_NE(klass.error().detail.find("cases[2].assertions[0].interpretation_class"),
            std::string::npos)
      << klass.error().detail;
  doc["cases"][2]["assertions"][0]["interpretation_class"] = nullptr;
  doc["cases"][1]["assertions"][0]["verdict"] = "MAYBE";
  auto bad = ParseReportJson(doc.dump());
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().detail.find("cases[1].assertions[0].verdict"), std::string::npos)
      << bad.error().detail;

  EXPECT_TRUE(ParseReportJson("{not json").error().Is(Errc::kJsonInvalid));
}

TEST(ReportJson, ReaderSurvivesMutatedInput) {
  // Truncations and byte flips of a valid report: an error, never a crash.
  const std::string text = RenderReportJson(SampleRun(), nullptr);
  for (std::size_t cut = 0; cut < text.size(); cut += 97) {
    EXPECT_FALSE(ParseReportJson(text.substr(0, cut))) << cut;
  }
  for (std::size_t i = 0; i < text.size(); i += 31) {
    std::string flipped = text;
    flipped[i] = static_cast<char>(flipped[i] ^ 0x5A);
    (void)ParseReportJson(flipped);  // any result is fine; it must return
  }
}

TEST(ReportJson, CarriesAndReadsBackTheSpecAndTheDiagnosis) {
  RunResult run = SampleRun();
  run.spec = "sct-04";
  run.diagnosis = {"relay 'reference' appears to implement http-00"};
  run.implementations[0].spec = "http-00";
  const std::string text = RenderReportJson(run, &TheCatalogue());
  const nlohmann::json doc = nlohmann::json::parse(text);
  EXPECT_EQ(doc["run"]["spec"], "sct-04");
  EXPECT_EQ(doc["run"]["diagnosis"], nlohmann::json::array({run.diagnosis[0]}));
  EXPECT_EQ(doc["implementations"][0]["spec"], "http-00");
  auto back = ParseReportJson(text);
  ASSERT_TRUE(back) << back.error().Message();
  EXPECT_EQ(back->spec, "sct-04");
  EXPECT_EQ(back->diagnosis, run.diagnosis);
  EXPECT_EQ(back->implementations[0].spec, "http-00");
  EXPECT_EQ(RenderReportJson(*back, &TheCatalogue()), text);
}

TEST(ReportJson, AReportWithoutSpecReadsAsHttp00) {
  nlohmann::json doc = nlohmann::json::parse(RenderReportJson(SampleRun(), &TheCatalogue()));
  doc["run"].erase("spec");
  doc["run"].erase("diagnosis");
  doc["implementations"][0].erase("spec");
  auto back = ParseReportJson(doc.dump());
  ASSERT_TRUE(back) << back.error().Message();
  EXPECT_EQ(back->spec, "http-00");
  EXPECT_TRUE(back->diagnosis.empty());
  EXPECT_EQ(back->implementations[0].spec, "http-00");
  doc["run"]["spec"] = 4;
  EXPECT_FALSE(ParseReportJson(doc.dump()));
}

}  // namespace
}  // namespace tigress::reports
