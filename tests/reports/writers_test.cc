#include "reports/writers.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "reports/escape.h"
#include "tests/reports/sample_run.h"
#include "tests/support/relay_process.h"
#include "tests/support/scratch_dir.h"

namespace tigress::reports {
namespace {

using testing::kHostile;
using testing::SampleRun;

const Catalog& TheCatalogue() {
  static const Catalog cat =
      LoadCatalog(std::string(TIGRESS_SOURCE_DIR) + "/vectors/requirements.json").value();
  return cat;
}

// ---- a small XML well-formedness checker (elements, attributes, entities) ----

struct XmlCheck {
  std::string error;                                          // empty when well-formed
  std::map<std::string, int> counts;                          // element name -> occurrences
  std::vector<std::map<std::string, std::string>> testcases;  // attributes (raw)
};

bool IsNameStart(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool IsNameChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
}

bool EntityAt(const std::string& s, std::size_t i) {
  static const std::regex kEntity("^&(amp|lt|gt|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);");
  return std::regex_search(s.substr(i, 12), kEntity);
}

XmlCheck CheckXml(const std::string& s) {
  XmlCheck r;
  std::vector<std::string> stack;
  std::size_t i = 0;
  int roots = 0;
  if (s.rfind("<?xml", 0) == 0) i = s.find("?>") + 2;
  while (i < s.size()) {
    const char c = s[i];
    if (c == '&') {
      if (!EntityAt(s, i)) return r.error = "bad entity at " + std::to_string(i), r;
      ++i;
    } else if (c == '>') {
      return r.error = "raw '>' in text at " + std::to_string(i), r;
    } else if (c != '<') {
      if (stack.empty() && !std::isspace(static_cast<unsigned char>(c))) {
        return r.error = "text outside the root at " + std::to_string(i), r;
      }
      ++i;
    } else if (i + 1 < s.size() && s[i + 1] == '/') {
      std::size_t j = i + 2;
      while (j < s.size() && IsNameChar(s[j])) ++j;
      const std::string name = s.substr(i + 2, j - i - 2);
      if (j >= s.size() || s[j] != '>') return r.error = "bad end tag at " + std::to_string(i), r;
      if (stack.empty() || stack.back() != name) {
        return r.error = "mismatched </" + name + "> at " + std::to_string(i), r;
      }
      stack.pop_back();
      i = j + 1;
    } else {
      std::size_t j = i + 1;
      if (j >= s.size() || !IsNameStart(s[j]))
        return r.error = "bad tag at " + std::to_string(i), r;
      while (j < s.size() && IsNameChar(s[j])) ++j;
      const std::string name = s.substr(i + 1, j - i - 1);
      std::map<std::string, std::string> attrs;
      while (true) {
        while (j < s.size() && s[j] == ' ') ++j;
        if (j >= s.size()) return r.error = "unterminated tag " + name, r;
        if (s[j] == '>' || (s[j] == '/' && j + 1 < s.size() && s[j + 1] == '>')) break;
        std::size_t k = j;
        if (!IsNameStart(s[k]))
          return r.error = "bad attribute in " + name + " at " + std::to_string(k), r;
        while (k < s.size() && IsNameChar(s[k])) ++k;
        const std::string attr = s.substr(j, k - j);
        if (k + 1 >= s.size() || s[k] != '=' || s[k + 1] != '"') {
          return r.error = "unquoted attribute " + attr + " at " + std::to_string(k), r;
        }
        std::size_t end = s.find('"', k + 2);
        if (end == std::string::npos) return r.error = "unterminated attribute " + attr, r;
        const std::string value = s.substr(k + 2, end - k - 2);
        for (std::size_t p = 0; p < value.size(); ++p) {
          if (value[p] == '<') return r.error = "'<' in attribute " + attr, r;
          if (value[p] == '&' && !EntityAt(value, p)) return r.error = "bad entity in " + attr, r;
        }
        if (!attrs.emplace(attr, value).second) return r.error = "duplicate attribute " + attr, r;
        j = end + 1;
      }
      ++r.counts[name];
      if (name == "testcase") r.testcases.push_back(attrs);
      if (stack.empty() && ++roots > 1) return r.error = "second root element " + name, r;
      if (s[j] == '/') {
        i = j + 2;
      } else {
        stack.push_back(name);
        i = j + 1;
      }
    }
  }
  if (!stack.empty()) r.error = "unclosed <" + stack.back() + ">";
  if (roots != 1) r.error = "expected one root element";
  return r;
}

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

// ---- junit.xml ----

TEST(JunitXml, IsWellFormedWithHostileText) {
  const std::string xml = RenderJunitXml(SampleRun());
  const XmlCheck check = CheckXml(xml);
  ASSERT_EQ(check.error, "") << xml;
  EXPECT_EQ(check.counts.at("testsuites"), 1);
  EXPECT_EQ(check.counts.at("testcase"), 7);
  EXPECT_EQ(check.counts.at("system-out"), 7);
  EXPECT_EQ(xml.find("<script>"), std::string::npos);
  EXPECT_EQ(xml.find("]]></testcase>"), std::string::npos);
  EXPECT_EQ(xml.find('\x1b'), std::string::npos);
}

TEST(JunitXml, TheCheckerCatchesBrokenXml) {
  // Proves the well-formedness test above can fail.
  EXPECT_NE(CheckXml("<a><b></a></b>").error, "");
  EXPECT_NE(CheckXml("<a x=\"<\"/>").error, "");
  EXPECT_NE(CheckXml("<a>fish & chips</a>").error, "");
  EXPECT_NE(CheckXml("<a></a><b/>").error, "");
  EXPECT_EQ(CheckXml("<a x=\"&lt;\">t &amp; <b/></a>").error, "");
}

TEST(JunitXml, MapsVerdictsToFailureErrorAndSkipped) {
  const std::string xml = RenderJunitXml(SampleRun());
  const XmlCheck check = CheckXml(xml);
  ASSERT_EQ(check.error, "");
  // failure: plain FAIL, interpretation FAIL (strict), stale expectation.
  EXPECT_EQ(check.counts.at("failure"), 3);
  EXPECT_EQ(check.counts.at("error"), 1);    // TIMEOUT
  EXPECT_EQ(check.counts.at("skipped"), 2);  // UNSUPPORTED, expected failure
  EXPECT_NE(xml.find("<testsuites name=\"tigress-harness 20261128T120000Z-3f2a\" tests=\"7\" "
                     "failures=\"3\" errors=\"1\" skipped=\"2\""),
            std::string::npos);
  EXPECT_NE(xml.find("type=\"STALE_EXPECTATION\""), std::string::npos);
  EXPECT_NE(xml.find("type=\"TIMEOUT\""), std::string::npos);
  EXPECT_NE(xml.find("rerun: tigress-harness run --test relay/6.1/create-basic --seed 7"),
            std::string::npos);
  std::set<std::string> classnames;
  for (const auto& attrs : check.testcases) classnames.insert(attrs.at("classname"));
  EXPECT_EQ(classnames,
            (std::set<std::string>{"tigress.relay", "tigress.replay", "tigress.interop"}));
}

TEST(JunitXml, LenientProfileTurnsTheInterpretationFailureIntoAPass) {
  const std::string xml = RenderJunitXml(SampleRun(Profile::kLenient));
  const XmlCheck check = CheckXml(xml);
  ASSERT_EQ(check.error, "");
  EXPECT_EQ(check.counts.at("failure"), 2);
  EXPECT_NE(xml.find("[FAIL → WARN (lenient profile, robustness interpretation)]"),
            std::string::npos);
}

TEST(JunitXml, TheDowngradeNoteNamesTheStandardProfile) {
  const std::string xml = RenderJunitXml(SampleRun(Profile::kStandard));
  EXPECT_NE(xml.find("[FAIL → WARN (standard profile, robustness interpretation)]"),
            std::string::npos);
  EXPECT_EQ(xml.find("lenient profile"), std::string::npos);
}

TEST(JunitXml, AKnownFailureThatEndsInErrorIsAnErrorNotSkipped) {
  RunResult run = SampleRun();
  CaseResult& known = run.cases[5];
  known.assertions.push_back(testing::MakeAssertion("", Verdict::kError, "adapter crashed"));
  FinalizeCase(known, run.profile);
  const std::string xml = RenderJunitXml(run);
  const XmlCheck check = CheckXml(xml);
  ASSERT_EQ(check.error, "");
  EXPECT_EQ(check.counts.at("error"), 2);    // TIMEOUT and this one
  EXPECT_EQ(check.counts.at("skipped"), 1);  // UNSUPPORTED only
  EXPECT_NE(xml.find("unexpected: a known failure covers FAIL only"), std::string::npos);
}

TEST(JunitXml, ListsNotEvaluatedRequirementsAndTheRootCause) {
  const std::string xml = RenderJunitXml(SampleRun());
  EXPECT_NE(xml.find("NOT EVALUATED RELAY-40: the recipient never read the share"),
            std::string::npos);
  EXPECT_NE(xml.find("root cause: ReadSecureContent answered, 200"), std::string::npos);
}

// ---- summary.md ----

TEST(SummaryMarkdown, ListsNonPassCasesWithRequirementsReasonsAndRerun) {
  const std::string md = RenderSummaryMarkdown(SampleRun(), &TheCatalogue());
  EXPECT_NE(md.find("**Result: FAILED**"), std::string::npos);
  EXPECT_NE(md.find("## Cases that did not pass (6)"), std::string::npos);
  EXPECT_NE(md.find("| RELAY-31 |"), std::string::npos);
  EXPECT_NE(md.find("expected 401, got 200"), std::string::npos);
  EXPECT_NE(md.find("(stale expectation)"), std::string::npos);
  EXPECT_NE(md.find("(interpretation C-11)"), std::string::npos);
  EXPECT_NE(md.find("`tigress-harness run --test 'relay/8.1/second-recipient' \\| tee x`"),
            std::string::npos);
  EXPECT_EQ(md.find("<script>"), std::string::npos);
}

// Unescaped '|' in a Markdown table row.
int Pipes(const std::string& line) {
  int pipes = 0;
  for (std::size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '|' && (i == 0 || line[i - 1] != '\\')) ++pipes;
  }
  return pipes;
}

TEST(SummaryMarkdown, HostileTextDoesNotAddTableColumns) {
  RunResult run = SampleRun();
  run.cases[3].not_evaluated[0].reason += " " + kHostile;
  run.disabled[0].second += kHostile;
  const std::string md = RenderSummaryMarkdown(run, &TheCatalogue());
  // Every row of every table has as many cells as the table's header.
  std::istringstream lines(md);
  std::string line;
  int header_pipes = 0;
  int hostile_rows = 0;
  while (std::getline(lines, line)) {
    if (line.rfind("|", 0) != 0) {
      header_pipes = 0;
      continue;
    }
    if (header_pipes == 0) {
      header_pipes = Pipes(line);
      continue;
    }
    EXPECT_EQ(Pipes(line), header_pipes) << line;
    if (line.find("alert") != std::string::npos) ++hostile_rows;
  }
  // The case table, the not-evaluated table, the coverage table (why RELAY-40
  // was not checked) and the disabled table.
  EXPECT_GE(hostile_rows, 4);
}

TEST(SummaryMarkdown, OpensWithTheRootCausesRightAfterTheResult) {
  RunResult run = SampleRun();
  const CaseResult fail = run.cases[1];
  for (int i = 0; i < 4; ++i) {
    run.cases.push_back(fail);
    run.cases.back().case_id = "relay/8.1/second-recipient-" + std::to_string(i);
  }
  const std::string md = RenderSummaryMarkdown(run, &TheCatalogue());
  const std::size_t causes = md.find("## Root causes");
  ASSERT_NE(causes, std::string::npos);
  EXPECT_LT(md.find("**Result: FAILED**"), causes);
  EXPECT_LT(causes, md.find("- Profile:"));
  EXPECT_LT(causes, md.find("| Total |"));
  // The five alike cases are one group, listed first with three examples.
  EXPECT_NE(md.find("| 5 | FAIL | ReadSecureContent answered, 200 | "
                    "`relay/8.1/second-recipient`, `relay/8.1/second-recipient-0`, "
                    "`relay/8.1/second-recipient-1` (+2) |"),
            std::string::npos)
      << md;
}

TEST(SummaryMarkdown, ListsNotEvaluatedRequirementsDisabledCasesAndTheProfileRule) {
  const std::string md = RenderSummaryMarkdown(SampleRun(), &TheCatalogue());
  EXPECT_NE(md.find("## Requirements not evaluated (1)"), std::string::npos);
  EXPECT_NE(md.find("| interop/flow/full-share | RELAY-40 | the recipient never read the share"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("| RELAY-40 | "), std::string::npos);
  EXPECT_NE(md.find("not evaluated: the recipient never read the share"), std::string::npos);
  EXPECT_NE(md.find("## Disabled cases (1)"), std::string::npos);
  EXPECT_NE(md.find("- Profile: strict (every interpretation-based FAIL stays FAIL)"),
            std::string::npos);
  // A known failure naming REPLAY-02 that FAILs REPLAY-02 is expected.
  EXPECT_NE(md.find("| FAIL (expected) | replay/5.1/duplicate-create<br>"), std::string::npos);
}

TEST(SummaryMarkdown, SaysWhenNothingWasTested) {
  RunResult run = SampleRun();
  run.cases = {run.cases[4]};  // the UNSUPPORTED one
  ASSERT_TRUE(run.NothingTested());
  const std::string md = RenderSummaryMarkdown(run, nullptr);
  EXPECT_NE(md.find("**Result: FAILED** (exit code 1; 0 unexpected; nothing was tested"),
            std::string::npos)
      << md;
}

TEST(SummaryMarkdown, CapsTheCaseTableAndListsUnexpectedCasesFirst) {
  RunResult run = SampleRun();
  const CaseResult known = run.cases[5];  // expected failure
  const CaseResult fail = run.cases[1];   // unexpected
  run.cases.clear();
  for (int i = 0; i < 150; ++i) run.cases.push_back(known);
  run.cases.push_back(fail);
  const std::string md = RenderSummaryMarkdown(run, nullptr);
  EXPECT_NE(md.find("… and 51 more; see report.html."), std::string::npos);
  EXPECT_NE(md.find("relay/8.1/second-recipient"), std::string::npos);  // not cut off
  EXPECT_LT(md.size(), 64u * 1024u);
}

// ---- report.html ----

TEST(Html, IsSelfContainedAndEscapesEverything) {
  const std::string html = RenderHtml(SampleRun(), &TheCatalogue());
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  // Our own single script; the hostile one is escaped.
  std::size_t scripts = 0;
  for (std::size_t p = html.find("<script"); p != std::string::npos;
       p = html.find("<script", p + 1)) {
    ++scripts;
  }
  EXPECT_EQ(scripts, 1u);
  EXPECT_NE(html.find("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"), std::string::npos);
  EXPECT_EQ(html.find('\x1b'), std::string::npos);
  // No external resources.
  EXPECT_EQ(html.find("src="), std::string::npos);
  EXPECT_EQ(html.find("href=\"http"), std::string::npos);
  EXPECT_EQ(html.find("<link"), std::string::npos);
  EXPECT_EQ(html.find("@import"), std::string::npos);
  // A hostile attachment path cannot become a javascript: link.
  EXPECT_EQ(html.find("href=\"javascript:"), std::string::npos);
  EXPECT_NE(html.find("href=\"cases/relay_8.1_second-recipient/javascript%3Aalert%281%29\""),
            std::string::npos);
  EXPECT_NE(html.find("href=\"cases/relay_8.1_second-recipient/transcript.har\""),
            std::string::npos);
}

TEST(Html, LabelsInterpretationsStaleExpectationsAndLinksCoverage) {
  const std::string html = RenderHtml(SampleRun(Profile::kLenient), &TheCatalogue());
  EXPECT_NE(html.find("<a href=\"#interp-C-11\">C-11</a>"), std::string::npos);
  EXPECT_NE(html.find("id=\"interp-C-11\""), std::string::npos);
  EXPECT_NE(html.find("FAIL → WARN (lenient profile, robustness interpretation)"),
            std::string::npos);
  EXPECT_NE(html.find("STALE EXPECTATION"), std::string::npos);
  EXPECT_NE(html.find("known failure did not fail (PASS); update the expectations file: issue #13"),
            std::string::npos);
  EXPECT_NE(html.find("<tr id=\"req-RELAY-31\">"), std::string::npos);
  EXPECT_NE(html.find("<a href=\"#req-RELAY-31\" title=\"SHALL: "), std::string::npos);
  EXPECT_NE(html.find("<a href=\"#case-1\">relay/8.1/second-recipient</a>"), std::string::npos);
  EXPECT_NE(html.find("NOT TESTED"), std::string::npos);
  EXPECT_NE(html.find("HTTP 200"), std::string::npos);
}

TEST(Html, ShowsTheBasisOfEveryVerdictAndTheStandardProfilesDowngrade) {
  const std::string html = RenderHtml(SampleRun(Profile::kStandard), &TheCatalogue());
  EXPECT_NE(html.find("<div class=\"basis\">draft [HTTP] §8.1.1 SHALL: A mailbox is bound to "
                      "exactly one recipient.</div>"),
            std::string::npos);
  EXPECT_NE(html.find("<div class=\"basis\">interpretation C-11 (robustness): a create without a "
                      "claim is refused with 400 or 401</div>"),
            std::string::npos);
  EXPECT_NE(html.find("FAIL → WARN (standard profile, robustness interpretation)"),
            std::string::npos);
  EXPECT_NE(html.find("<td>C-11</td><td>robustness</td>"), std::string::npos);
}

TEST(Html, OpensWithTheRootCauses) {
  const std::string html = RenderHtml(SampleRun(), &TheCatalogue());
  const std::size_t causes = html.find("<h2>Root causes</h2>");
  ASSERT_NE(causes, std::string::npos);
  EXPECT_LT(causes, html.find("<dt>Run</dt>"));
  EXPECT_EQ(causes, html.find("<h2>"));
  EXPECT_NE(html.find("<td>ReadSecureContent answered, 200</td>"), std::string::npos);
  RunResult clean = SampleRun();
  clean.cases.resize(1);
  EXPECT_EQ(RenderHtml(clean, nullptr).find("Root causes"), std::string::npos);
}

TEST(Html, RequirementRowsAreNotEvaluatedOrNotExaminedInsteadOfTheCaseVerdict) {
  RunResult run = SampleRun();
  run.cases[1].requirement_ids.push_back("RELAY-05");  // declared, never cited
  const std::string html = RenderHtml(run, &TheCatalogue());
  // The coverage row of RELAY-40 and the timed-out case both say why.
  const std::size_t row = html.find("<tr id=\"req-RELAY-40\"");
  ASSERT_NE(row, std::string::npos);
  const std::string cov = html.substr(row, html.find("</tr>", row) - row);
  EXPECT_NE(cov.find("NOT EVALUATED"), std::string::npos) << cov;
  EXPECT_EQ(cov.find("TIMEOUT"), std::string::npos) << cov;
  EXPECT_NE(cov.find("never read the share"), std::string::npos) << cov;
  const std::size_t row5 = html.find("<tr id=\"req-RELAY-05\"");
  ASSERT_NE(row5, std::string::npos);
  const std::string cov5 = html.substr(row5, html.find("</tr>", row5) - row5);
  EXPECT_NE(cov5.find("NOT EXAMINED"), std::string::npos) << cov5;
  EXPECT_EQ(cov5.find("v-fail"), std::string::npos) << cov5;
  const std::size_t box = html.find("id=\"case-3\"");
  ASSERT_NE(box, std::string::npos);
  const std::string section = html.substr(box, html.find("</details>", box) - box);
  EXPECT_NE(section.find("NOT EVALUATED</span> <span class=\"muted\">not evaluated: the "
                         "recipient never read the share"),
            std::string::npos)
      << section;
  EXPECT_NE(section.find("<dt>Stopped early</dt>"), std::string::npos);
}

TEST(Html, AKnownFailureThatEndsInErrorIsNotLabelledExpected) {
  RunResult run = SampleRun();
  CaseResult& known = run.cases[5];
  known.assertions.push_back(testing::MakeAssertion("", Verdict::kError, "adapter crashed"));
  FinalizeCase(known, run.profile);
  ASSERT_TRUE(known.Unexpected());
  const std::string html = RenderHtml(run, &TheCatalogue());
  const std::size_t box = html.find("id=\"case-5\"");
  const std::string section = html.substr(box, html.find("</details>", box) - box);
  EXPECT_EQ(section.find("expected failure</span>"), std::string::npos) << section;
  EXPECT_NE(section.find("unexpected: a known failure covers FAIL only"), std::string::npos);
}

// ---- writing a run directory ----

class RunDirTest : public ::testing::Test {
 protected:
  test_support::ScratchDir scratch_{"tigress-reports-test"};
  // Not created yet: the writers make it.
  const std::filesystem::path root_ = scratch_.path() / "reports";
};

TEST_F(RunDirTest, WritesTheFourReportsIntoTheRunDirectory) {
  const RunResult run = SampleRun();
  auto dir = RunDirectory(root_, run.run_id);
  ASSERT_TRUE(dir) << dir.error().Message();
  RedactionGuard guard;
  auto written = WriteRunReports(run, &TheCatalogue(), guard, *dir);
  ASSERT_TRUE(written) << written.error().Message();
  for (const char* name : {"report.json", "junit.xml", "summary.md", "report.html"}) {
    const auto path = *written / name;
    ASSERT_TRUE(std::filesystem::exists(path)) << path;
    EXPECT_GT(std::filesystem::file_size(path), 100u) << path;
    EXPECT_FALSE(std::filesystem::exists(path.string() + ".tmp"));
  }
  std::ifstream in(*written / "report.json");
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_TRUE(ParseReportJson(text.str()));
}

TEST_F(RunDirTest, ReportJsonValidatesAgainstItsPublishedSchema) {
  const RunResult run = SampleRun(Profile::kStandard);
  auto written = WriteRunReports(run, &TheCatalogue(), RedactionGuard(), root_ / "run");
  ASSERT_TRUE(written) << written.error().Message();
  const std::string source = TIGRESS_SOURCE_DIR;
  auto validated = test_support::ChildProcess::Run(
      {TIGRESS_PYTHON3, source + "/tests/reports/validate_json.py",
       source + "/reports/report.schema.json", (*written / "report.json").string()},
      std::chrono::seconds(60));
  ASSERT_TRUE(validated) << validated.error().Message();
  if (validated->first == 77) GTEST_SKIP() << validated->second;  // no jsonschema module
  EXPECT_EQ(validated->first, 0) << validated->second;
}

TEST_F(RunDirTest, RejectsRunIdsThatEscapeTheRoot) {
  for (const char* id : {"", ".", "..", "../x", "a/b", "a\\b", "a\nb"}) {
    EXPECT_FALSE(RunDirectory(root_, id)) << id;
  }
  EXPECT_TRUE(RunDirectory(root_, "20261128T120000Z-3f2a"));
}

TEST_F(RunDirTest, ReportsAnUnwritableDirectory) {
  std::filesystem::create_directories(root_);
  std::ofstream(root_ / "file") << "x";
  auto written = WriteRunReports(SampleRun(), nullptr, RedactionGuard(), root_ / "file" / "run");
  ASSERT_FALSE(written);
  EXPECT_TRUE(written.error().Is(Errc::kIoFailure));
}

}  // namespace
}  // namespace tigress::reports
