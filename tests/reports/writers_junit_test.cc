#include <cctype>
#include <map>
#include <regex>
#include <set>

#include "tests/reports/writers_fixture.h"

namespace tigress::reports {
namespace {

using testing::SampleRun;

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

TEST(JunitXml, EverySuiteCarriesTheSpecAndTheDiagnosisAsProperties) {
  const std::string plain = RenderJunitXml(SampleRun());
  EXPECT_NE(plain.find("<property name=\"spec\" value=\"http-00\"/>"), std::string::npos);
  EXPECT_EQ(plain.find("name=\"diagnosis\""), std::string::npos);
  RunResult run = SampleRun();
  run.spec = "sct-04";
  run.diagnosis = {"a & b", "c"};
  const std::string xml = RenderJunitXml(run);
  std::size_t suites = 0;
  std::size_t specs = 0;
  for (std::size_t p = xml.find("<testsuite "); p != std::string::npos;
       p = xml.find("<testsuite ", p + 1)) {
    ++suites;
  }
  for (std::size_t p = xml.find("<property name=\"spec\" value=\"sct-04\"/>");
       p != std::string::npos; p = xml.find("<property name=\"spec\" value=\"sct-04\"/>", p + 1)) {
    ++specs;
  }
  EXPECT_GT(suites, 1u);
  EXPECT_EQ(specs, suites);
  EXPECT_NE(xml.find("<property name=\"diagnosis\" value=\"a &amp; b | c\"/>"), std::string::npos);
}

}  // namespace
}  // namespace tigress::reports
