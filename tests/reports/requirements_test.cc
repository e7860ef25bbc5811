#include "reports/requirements.h"

#include <string>

#include <gtest/gtest.h>

namespace tigress::reports {
namespace {

const std::string kCataloguePath = std::string(TIGRESS_SOURCE_DIR) + "/vectors/requirements.json";

// A minimal valid catalogue; tests break one thing at a time.
std::string MiniCatalogue(const std::string& requirement_overrides = "",
                          const std::string& extra_requirement = "") {
  return R"({
  "schema_version": 1,
  "title": "mini",
  "requirements": [
    {"id": "RELAY-31", "level": "SHALL", "severity": "must", "source": "[HTTP] 8.1.1",
     "statement": "one recipient", "role": "relay", "interpretation": false,
     "interpretation_refs": [])" +
         requirement_overrides + R"(}
    )" + extra_requirement +
         R"(
  ],
  "interpretations": [
    {"id": "C-07", "issue": "scope", "interpretation": "per claim", "class": "robustness"}
  ]
})";
}

TEST(Catalog, LoadsTheCommittedCatalogue) {
  auto cat = LoadCatalog(kCataloguePath);
  ASSERT_TRUE(cat) << cat.error().Message();
  EXPECT_EQ(cat->schema_version(), 1);
  EXPECT_GE(cat->requirements().size(), 150u);
  EXPECT_GE(cat->interpretations().size(), 50u);

  const Requirement* relay31 = cat->Find("RELAY-31");
  ASSERT_NE(relay31, nullptr);
  EXPECT_EQ(relay31->level, "SHALL");
  EXPECT_EQ(relay31->severity, Severity::kMust);
  EXPECT_EQ(relay31->role, Role::kRelay);
  EXPECT_FALSE(relay31->statement.empty());
  EXPECT_NE(relay31->source.find("[HTTP]"), std::string::npos);

  const Requirement* replay07 = cat->Find("REPLAY-07");
  ASSERT_NE(replay07, nullptr);
  EXPECT_TRUE(replay07->interpretation);
  EXPECT_EQ(replay07->level, "INTERP");
  ASSERT_EQ(replay07->interpretation_refs.size(), 1u);
  EXPECT_EQ(replay07->interpretation_refs[0], "C-07");

  const Interpretation* c11 = cat->FindInterpretation("C-11");
  ASSERT_NE(c11, nullptr);
  EXPECT_FALSE(c11->interpretation.empty());
}

TEST(Catalog, EveryPrefixOfTheCatalogueIsPresent) {
  auto cat = LoadCatalog(kCataloguePath);
  ASSERT_TRUE(cat) << cat.error().Message();
  for (const char* id : {"RELAY-01", "REPLAY-01", "PAYLOAD-01", "URL-01", "INIT-01", "RECIP-01",
                         "PRIV-01", "SEC-01"}) {
    EXPECT_NE(cat->Find(id), nullptr) << id;
  }
}

TEST(Catalog, UnknownIdLookupFails) {
  auto cat = LoadCatalog(kCataloguePath);
  ASSERT_TRUE(cat);
  EXPECT_EQ(cat->Find("RELAY-999"), nullptr);
  EXPECT_EQ(cat->Find("relay-31"), nullptr);
  EXPECT_EQ(cat->Find(""), nullptr);
  EXPECT_EQ(cat->FindInterpretation("C-99"), nullptr);
  EXPECT_EQ(cat->ViolationVerdict("NOPE-1"), Verdict::kError);
}

TEST(Catalog, ViolationVerdictFollowsSeverity) {
  auto cat = LoadCatalog(kCataloguePath);
  ASSERT_TRUE(cat);
  EXPECT_EQ(cat->ViolationVerdict("RELAY-31"), Verdict::kFail);  // SHALL
  EXPECT_EQ(cat->ViolationVerdict("RELAY-04"), Verdict::kWarn);  // SHOULD
  EXPECT_EQ(cat->ViolationVerdict("RELAY-38"), Verdict::kInfo);  // MAY
  EXPECT_EQ(cat->ViolationVerdict("RELAY-60"), Verdict::kInfo);  // info
  EXPECT_EQ(SeverityVerdict(Severity::kMay), Verdict::kInfo);
}

TEST(Catalog, JudgeCopiesInterpretationFromTheEntry) {
  auto cat = LoadCatalog(kCataloguePath);
  ASSERT_TRUE(cat);
  Assertion fail =
      cat->Judge("RELAY-07", false, "create without claim accepted", "400 or 401", "200");
  EXPECT_EQ(fail.verdict, Verdict::kFail);
  EXPECT_TRUE(fail.interpretation);
  EXPECT_EQ(fail.interpretation_refs, std::vector<std::string>{"C-11"});
  EXPECT_EQ(fail.expected, "400 or 401");
  EXPECT_EQ(fail.actual, "200");
  EXPECT_EQ(cat->Judge("RELAY-31", true, "ok").verdict, Verdict::kPass);
  Assertion unknown = cat->Judge("RELAY-999", true, "x");
  EXPECT_EQ(unknown.verdict, Verdict::kError);
  EXPECT_NE(unknown.message.find("unknown requirement"), std::string::npos);
}

TEST(Catalog, JudgeCopiesTheClassAndTheBasisOfAnInterpretation) {
  auto cat = LoadCatalog(kCataloguePath);
  ASSERT_TRUE(cat);
  ASSERT_EQ(cat->FindInterpretation("C-11")->klass, InterpretationClass::kRobustness);
  Assertion fail = cat->Judge("RELAY-07", false, "create without claim accepted");
  EXPECT_EQ(fail.interpretation_class, InterpretationClass::kRobustness);
  EXPECT_EQ(fail.basis.kind, "interpretation");
  EXPECT_EQ(fail.basis.source, "C-11 (robustness)");
  EXPECT_EQ(fail.basis.text, cat->FindInterpretation("C-11")->interpretation);
  EXPECT_EQ(fail.basis.level, cat->Find("RELAY-07")->level);
}

TEST(Catalog, TheBasisOfAPlainRequirementIsTheDraftOrAnRfc) {
  auto cat = LoadCatalog(kCataloguePath);
  ASSERT_TRUE(cat);
  Assertion draft = cat->Judge("RELAY-31", false, "second claim bound");
  EXPECT_EQ(draft.interpretation_class, InterpretationClass::kNone);
  EXPECT_EQ(draft.basis.kind, "draft");
  EXPECT_EQ(draft.basis.source, cat->Find("RELAY-31")->source);
  EXPECT_EQ(draft.basis.level, "SHALL");
  EXPECT_EQ(draft.basis.text, cat->Find("RELAY-31")->statement);
  // RELAY-61 cites RFC 9110 and no draft section.
  ASSERT_EQ(cat->Find("RELAY-61")->source.find('['), std::string::npos);
  EXPECT_EQ(cat->Judge("RELAY-61", true, "ok").basis.kind, "rfc");
  EXPECT_EQ(cat->Judge("RELAY-999", true, "x").basis.kind, "");
}

TEST(Catalog, AddInterpretationsNarrowsTheClassAndRewritesTheBasis) {
  auto cat = LoadCatalog(kCataloguePath);
  ASSERT_TRUE(cat);
  ASSERT_EQ(cat->FindInterpretation("C-26")->klass, InterpretationClass::kInterop);
  Assertion a = cat->Judge("RELAY-02", false, "x");  // rests on C-26 (interop)
  EXPECT_EQ(a.interpretation_class, InterpretationClass::kInterop);
  cat->AddInterpretations(a, {"C-11", "C-99"});  // C-11 is robustness; C-99 does not exist
  EXPECT_EQ(a.interpretation_refs, (std::vector<std::string>{"C-26", "C-11"}));
  EXPECT_EQ(a.interpretation_class, InterpretationClass::kRobustness);
  EXPECT_EQ(a.basis.kind, "interpretation");
  EXPECT_NE(a.basis.source.find("(robustness)"), std::string::npos) << a.basis.source;

  Assertion plain = cat->Judge("RELAY-31", false, "x");
  cat->AddInterpretations(plain, {"C-11"});
  EXPECT_TRUE(plain.interpretation);
  EXPECT_EQ(plain.basis.source, "C-11 (robustness)");
}

TEST(Catalog, RejectsAnInterpretationWithoutAKnownClass) {
  std::string text = MiniCatalogue();
  text.replace(text.find("\"robustness\""), 12, "\"cosmetic\"");
  auto cat = Catalog::Parse(text, "c.json");
  ASSERT_FALSE(cat);
  EXPECT_NE(cat.error().detail.find("interpretations[0].class"), std::string::npos)
      << cat.error().detail;
  EXPECT_NE(cat.error().detail.find("cosmetic"), std::string::npos);
  std::string missing = MiniCatalogue();
  missing.erase(missing.find(", \"class\": \"robustness\""), 23);
  EXPECT_FALSE(Catalog::Parse(missing, "c.json"));
}

TEST(Catalog, ParsesAMinimalCatalogue) {
  auto cat = Catalog::Parse(MiniCatalogue(), "mini.json");
  ASSERT_TRUE(cat) << cat.error().Message();
  ASSERT_NE(cat->Find("RELAY-31"), nullptr);
  EXPECT_EQ(cat->Find("RELAY-31")->level_text, "SHALL");  // defaults to level
  EXPECT_EQ(cat->FindInterpretation("C-07")->klass, InterpretationClass::kRobustness);
}

TEST(Catalog, SyntaxErrorNamesFileLineAndColumn) {
  auto cat = Catalog::Parse("{\n  \"schema_version\": 1,\n  oops\n}", "bad.json");
  ASSERT_FALSE(cat);
  EXPECT_TRUE(cat.error().Is(Errc::kJsonInvalid));
  EXPECT_NE(cat.error().detail.find("bad.json:3:"), std::string::npos) << cat.error().detail;
}

TEST(Catalog, RejectsDuplicateIds) {
  auto cat = Catalog::Parse(
      MiniCatalogue("", R"(,{"id": "RELAY-31", "level": "MAY", "severity": "may", "source": "s",
        "statement": "dup", "role": "relay", "interpretation": false, "interpretation_refs": []})"),
      "dup.json");
  ASSERT_FALSE(cat);
  EXPECT_TRUE(cat.error().Is(Errc::kConfigInvalid));
  EXPECT_NE(cat.error().detail.find("duplicate requirement ID RELAY-31"), std::string::npos);
  EXPECT_NE(cat.error().detail.find("requirements[1]"), std::string::npos) << cat.error().detail;
}

TEST(Catalog, RejectsUnknownInterpretationReference) {
  auto cat = Catalog::Parse(
      MiniCatalogue("", R"(,{"id": "REPLAY-07", "level": "INTERP", "severity": "must",
        "source": "s", "statement": "x", "role": "relay", "interpretation": true,
        "interpretation_refs": ["C-99"]})"),
      "refs.json");
  ASSERT_FALSE(cat);
  EXPECT_NE(cat.error().detail.find("C-99"), std::string::npos) << cat.error().detail;
}

TEST(Catalog, RejectsUnknownLevelSeverityAndRoleNamingTheField) {
  const std::string base = MiniCatalogue();
  struct Case {
    std::string from, to, field;
  };
  for (const Case& c :
       {Case{"\"SHALL\"", "\"SHALT\"", ".level"}, Case{"\"must\"", "\"critical\"", ".severity"},
        Case{"\"relay\"", "\"server\"", ".role"}, Case{"\"RELAY-31\"", "\"RELAY31\"", ".id"}}) {
    std::string text = base;
    text.replace(text.find(c.from), c.from.size(), c.to);
    auto cat = Catalog::Parse(text, "f.json");
    ASSERT_FALSE(cat) << c.to;
    EXPECT_NE(cat.error().detail.find(c.field), std::string::npos) << cat.error().detail;
    EXPECT_EQ(cat.error().detail.rfind("f.json: requirements[0]", 0), 0u) << cat.error().detail;
  }
}

TEST(Catalog, RejectsMissingFieldAndUnsupportedVersion) {
  std::string text = MiniCatalogue();
  text.erase(text.find("\"statement\": \"one recipient\","), 30);
  auto missing = Catalog::Parse(text, "m.json");
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().detail.find(".statement: required field is missing"), std::string::npos)
      << missing.error().detail;

  std::string v2 = MiniCatalogue();
  v2.replace(v2.find("\"schema_version\": 1"), 19, "\"schema_version\": 2");
  auto version = Catalog::Parse(v2, "v.json");
  ASSERT_FALSE(version);
  EXPECT_NE(version.error().detail.find("schema_version"), std::string::npos);
}

TEST(Catalog, MissingFileIsAnIoError) {
  auto cat = LoadCatalog("/nonexistent/requirements.json");
  ASSERT_FALSE(cat);
  EXPECT_TRUE(cat.error().Is(Errc::kIoFailure));
  EXPECT_NE(cat.error().detail.find("/nonexistent/requirements.json"), std::string::npos);
}

}  // namespace
}  // namespace tigress::reports
