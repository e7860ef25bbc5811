#include "reports/requirements.h"

#include <string>

#include <gtest/gtest.h>

#include "protocol/revision.h"

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

// The mini catalogue with the two revisions: RELAY-31 is info under sct-04
// with a note, and [HTTP] §3.3 has no counterpart there.
std::string RevisedCatalogue(const std::string& override_json =
                                 R"j(, "revisions": {"sct-04": {"severity": "info", "level": "info",
                                    "note": "sct-04 has no such statement (test)"}})j",
                             const std::string& differences = "") {
  std::string text = MiniCatalogue(override_json);
  const std::string revisions = R"("revisions": [
    {"id": "http-00", "tag": "[HTTP]", "document": "h", "default": true},
    {"id": "sct-04", "tag": "[SCT04]", "document": "s",
     "section_map": {"§3.3": "", "§4.1": "§2", "§6": "§6", "§8.1.1": "§7", "§8.1.3": "§7.1"}}
  ],
  )" + differences;
  text.insert(text.find("\"requirements\""), revisions);
  return text;
}

RevisionEntry Http00() {
  RevisionEntry r;
  r.id = "http-00";
  r.tag = "[HTTP]";
  r.is_default = true;
  return r;
}

RevisionEntry Sct04() {
  RevisionEntry r;
  r.id = "sct-04";
  r.tag = "[SCT04]";
  r.section_map = {{"§3.3", ""},       {"§4.1", "§2"},     {"§6", "§6"},      {"§7", "§3.3"},
                   {"§7.2", "§3.3.2"}, {"§8.1.3", "§7.1"}, {"§8.2.1", "§7.2"}};
  return r;
}

TEST(CatalogRevisions, ARequirementThatIsInfoUnderSct04JudgesInfoThereAndFailUnderHttp00) {
  auto base = Catalog::Parse(RevisedCatalogue(), "r.json");
  ASSERT_TRUE(base) << base.error().Message();
  auto http = base->ForRevision("http-00");
  auto sct = base->ForRevision("sct-04");
  ASSERT_TRUE(http && sct);
  EXPECT_EQ(http->revision(), "http-00");
  EXPECT_EQ(sct->revision(), "sct-04");
  EXPECT_EQ(http->Judge("RELAY-31", false, "second claim bound").verdict, Verdict::kFail);
  EXPECT_EQ(http->ViolationVerdict("RELAY-31"), Verdict::kFail);
  EXPECT_EQ(sct->Judge("RELAY-31", false, "second claim bound").verdict, Verdict::kInfo);
  EXPECT_EQ(sct->ViolationVerdict("RELAY-31"), Verdict::kInfo);
  EXPECT_EQ(sct->Find("RELAY-31")->level, "info");
  EXPECT_EQ(sct->Find("RELAY-31")->revision_note, "sct-04 has no such statement (test)");
  EXPECT_EQ(http->Find("RELAY-31")->revision_note, "");
  EXPECT_EQ(sct->Judge("RELAY-31", true, "ok").verdict, Verdict::kPass);
}

TEST(CatalogRevisions, TheDefaultRevisionLeavesEveryEntryAsWritten) {
  auto parsed = Catalog::Parse(RevisedCatalogue(), "r.json");
  ASSERT_TRUE(parsed);
  auto http = parsed->ForRevision("http-00");
  ASSERT_TRUE(http);
  const Requirement* a = parsed->Find("RELAY-31");
  const Requirement* b = http->Find("RELAY-31");
  EXPECT_EQ(b->source, a->source);
  EXPECT_EQ(b->severity, a->severity);
  EXPECT_EQ(b->level, a->level);
  EXPECT_EQ(b->level_text, a->level_text);
}

TEST(CatalogRevisions, SourcesAreRewrittenThroughTheSectionMap) {
  auto sct = Catalog::Parse(RevisedCatalogue(""), "r.json")->ForRevision("sct-04");
  ASSERT_TRUE(sct) << sct.error().Message();
  EXPECT_EQ(sct->Find("RELAY-31")->source, "[HTTP] 8.1.1");  // no § sign: nothing to map
  EXPECT_EQ(sct->Find("RELAY-31")->severity, Severity::kMust);
  const RevisionEntry from = Http00();
  const RevisionEntry to = Sct04();
  EXPECT_EQ(MapSectionRefs("[HTTP] §6.1.2", from, to), "[SCT04] §6.1.2");
  EXPECT_EQ(MapSectionRefs("[HTTP] §4.1, §6.1", from, to), "[SCT04] §2, §6.1");
  EXPECT_EQ(MapSectionRefs("[HTTP] §7.2 example", from, to), "[SCT04] §3.3.2 example");
  EXPECT_EQ(MapSectionRefs("[HTTP] §7.3, §6.x", from, to), "[SCT04] §3.3.3, §6.x");
  EXPECT_EQ(MapSectionRefs("[HTTP] §6.1.3–4, §6.2.3–4", from, to), "[SCT04] §6.1.3–4, §6.2.3–4");
  EXPECT_EQ(MapSectionRefs("RFC 9110 §5.3; [HTTP] §6.1.2", from, to),
            "RFC 9110 §5.3; [SCT04] §6.1.2");
  EXPECT_EQ(MapSectionRefs("[HTTP] §8.2.1 (verticals), [ISSUES] #2", from, to),
            "[SCT04] §7.2 (verticals), [ISSUES] #2");
}

TEST(CatalogRevisions, ASectionWithoutCounterpartKeepsItsTagAndSaysSo) {
  const RevisionEntry from = Http00();
  const RevisionEntry to = Sct04();
  EXPECT_EQ(MapSectionRefs("[HTTP] §3.3; [REQ] Req-Opaque", from, to),
            "[HTTP] §3.3 (no counterpart in sct-04); [REQ] Req-Opaque");
  EXPECT_EQ(MapSectionRefs("[HTTP] §3.3, §8.1.3", from, to),
            "[HTTP] §3.3 (no counterpart in sct-04), [SCT04] §7.1");
  EXPECT_EQ(MapSectionRefs("[HTTP] §8.1.3, §3.3, §4.1", from, to),
            "[SCT04] §7.1, [HTTP] §3.3 (no counterpart in sct-04), [SCT04] §2");
  EXPECT_EQ(MapSectionRefs("[HTTP] §12", from, to), "[HTTP] §12 (no counterpart in sct-04)");
}

TEST(CatalogRevisions, AnExplicitSourceReplacesTheMappedOne) {
  auto sct = Catalog::Parse(RevisedCatalogue(R"(, "source": "[HTTP] §8.1.1",
      "revisions": {"sct-04": {"severity": "should", "source": "[SCT04] §2", "note": "SHOULD"}})"),
                            "r.json")
                 ->ForRevision("sct-04");
  ASSERT_TRUE(sct) << sct.error().Message();
  EXPECT_EQ(sct->Find("RELAY-31")->source, "[SCT04] §2");
  EXPECT_EQ(sct->Find("RELAY-31")->level, "SHALL");  // not overridden
  EXPECT_EQ(sct->ViolationVerdict("RELAY-31"), Verdict::kWarn);
  EXPECT_EQ(sct->Judge("RELAY-31", false, "x").basis.source, "[SCT04] §2");
}

TEST(CatalogRevisions, AnUnknownRevisionIsRefusedNamingTheAcceptedOnes) {
  auto base = Catalog::Parse(RevisedCatalogue(), "r.json");
  ASSERT_TRUE(base);
  auto bad = base->ForRevision("sct-05");
  ASSERT_FALSE(bad);
  EXPECT_TRUE(bad.error().Is(Errc::kConfigInvalid));
  EXPECT_NE(bad.error().detail.find("'sct-05'"), std::string::npos) << bad.error().detail;
  EXPECT_NE(bad.error().detail.find("http-00, sct-04"), std::string::npos) << bad.error().detail;
  auto file = LoadCatalog(kCataloguePath, "draft-99");
  ASSERT_FALSE(file);
  EXPECT_NE(file.error().detail.find("http-00, sct-04"), std::string::npos);
  // A catalogue without `revisions` knows the default revision only.
  auto plain = Catalog::Parse(MiniCatalogue(), "m.json");
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->revision(), "http-00");
  EXPECT_TRUE(plain->ForRevision("http-00"));
  EXPECT_FALSE(plain->ForRevision("sct-04"));
}

TEST(CatalogRevisions, RejectsBadRevisionData) {
  struct Case {
    std::string text, needle;
  };
  std::string unknown_tag = RevisedCatalogue();
  unknown_tag.replace(unknown_tag.find("[SCT04]"), 7, "[SCT05]");
  std::string two_defaults = RevisedCatalogue();
  two_defaults.replace(two_defaults.find("\"document\": \"s\""), 15,
                       "\"document\": \"s\", \"default\": true");
  for (const Case& c : {
           Case{RevisedCatalogue(R"(, "revisions": {"sct-09": {"note": "n"}})"), "sct-09"},
           Case{RevisedCatalogue(R"(, "revisions": {"http-00": {"note": "n"}})"), "default"},
           Case{
               RevisedCatalogue(R"(, "revisions": {"sct-04": {"severity": "fatal", "note": "n"}})"),
               ".severity"},
           Case{RevisedCatalogue(R"(, "revisions": {"sct-04": {"severity": "info"}})"), ".note"},
           Case{RevisedCatalogue("", R"("differences": [{"id": "REV-01", "sections": {},
                "statement": "s", "affects": ["RELAY-99"], "checked_by": []}],)"),
                "RELAY-99"},
           Case{unknown_tag, "revisions[1].tag"},
           Case{two_defaults, "second default"},
       }) {
    auto cat = Catalog::Parse(c.text, "r.json");
    ASSERT_FALSE(cat) << c.needle;
    EXPECT_TRUE(cat.error().Is(Errc::kConfigInvalid));
    EXPECT_NE(cat.error().detail.find(c.needle), std::string::npos) << cat.error().detail;
  }
}

TEST(CatalogRevisions, TheCommittedCatalogueLoadsForEveryRevisionItNames) {
  auto http = LoadCatalog(kCataloguePath, "http-00");
  auto sct = LoadCatalog(kCataloguePath, "sct-04");
  ASSERT_TRUE(http) << http.error().Message();
  ASSERT_TRUE(sct) << sct.error().Message();
  // The catalogue's revisions are protocol/revision.h's, default first.
  ASSERT_EQ(http->revisions().size(), AllRevisions().size());
  for (std::size_t i = 0; i < AllRevisions().size(); ++i) {
    EXPECT_EQ(http->revisions()[i].id, AllRevisions()[i].name);
    EXPECT_EQ(http->revisions()[i].tag, AllRevisions()[i].tag);
  }
  EXPECT_TRUE(http->revisions()[0].is_default);
  // Every override and every difference names a requirement that exists.
  int overridden = 0;
  for (const Requirement& r : http->requirements()) {
    for (const auto& [rev, ov] : r.revisions) {
      EXPECT_NE(http->FindRevision(rev), nullptr) << r.id;
      EXPECT_FALSE(ov.note.empty()) << r.id;
      ++overridden;
    }
    EXPECT_EQ(r.revision_note, "") << r.id;
    EXPECT_EQ(sct->Find(r.id)->id, r.id);
  }
  EXPECT_GT(overridden, 10);
  ASSERT_FALSE(http->differences().empty());
  for (const RevisionDifference& d : http->differences()) {
    for (const std::string& id : d.affects) EXPECT_NE(http->Find(id), nullptr) << d.id << " " << id;
  }
  // What the drafts say: back-to-back messages (http-00 §3.3) is info under
  // sct-04, exactly one recipient a SHOULD, endpoint sections map one to one.
  EXPECT_EQ(http->ViolationVerdict("RELAY-43"), Verdict::kFail);
  EXPECT_EQ(sct->ViolationVerdict("RELAY-43"), Verdict::kInfo);
  EXPECT_NE(sct->Find("RELAY-43")->revision_note.find("sct-04 has no such statement"),
            std::string::npos);
  EXPECT_EQ(sct->ViolationVerdict("RELAY-31"), Verdict::kWarn);
  EXPECT_EQ(sct->ViolationVerdict("RELAY-08"), Verdict::kInfo);
  EXPECT_EQ(http->Find("RELAY-19")->source, "[HTTP] §6.2.6");
  EXPECT_EQ(sct->Find("RELAY-19")->source, "[SCT04] §6.2.6");
  EXPECT_EQ(sct->Find("RELAY-03")->source, "[SCT04] §2, §6.1");
  EXPECT_EQ(sct->Find("RELAY-61")->source, http->Find("RELAY-61")->source);  // RFCs only
}

}  // namespace
}  // namespace tigress::reports
