#include "harness/config/yaml_util.h"

#include <filesystem>
#include <fstream>
#include <unistd.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace tigress::harness {
namespace {

using ::testing::HasSubstr;
using Json = nlohmann::json;

constexpr char kText[] = R"(name: reference
version: 3
relay:
  command: [bin/relay, --port, "0"]
  strict: yes
  quiet: no
roles: [relay, initiator]
nested: [a, [b]]
)";

YamlDoc Doc(const std::string& text = kText) {
  auto doc = LoadYamlString(text, "impl.yaml", Errc::kManifestInvalid);
  EXPECT_TRUE(doc) << doc.error().Message();
  return *doc;
}

TEST(YamlDoc, WhereNamesTheFileAndTheOneBasedLineOfANode) {
  const YamlDoc doc = Doc();
  EXPECT_EQ(doc.Where(doc.root["name"]), "impl.yaml:1");
  EXPECT_EQ(doc.Where(doc.root["relay"]["strict"]), "impl.yaml:5");
  EXPECT_EQ(doc.Where(doc.root["missing"]), "impl.yaml") << "a missing node has no line";
}

TEST(YamlDoc, FailPrefixesFileAndLineAndUsesTheDocumentsCode) {
  const YamlDoc doc = Doc();
  const Error e = doc.Fail(doc.root["roles"], "bad roles");
  EXPECT_TRUE(e.Is(Errc::kManifestInvalid));
  EXPECT_EQ(e.detail, "impl.yaml:7: bad roles");
}

TEST(YamlDoc, CheckKeysNamesTheUnknownKeyItsLineAndTheAllowedOnes) {
  const YamlDoc doc = Doc();
  EXPECT_TRUE(doc.CheckKeys(doc.root["relay"], {"command", "strict", "quiet"}, "relay"));
  auto unknown = doc.CheckKeys(doc.root["relay"], {"command", "quiet"}, "relay");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().detail,
            "impl.yaml:5: unknown key 'strict' in relay (allowed: command, quiet)");
  auto not_map = doc.CheckKeys(doc.root["roles"], {"x"}, "roles");
  ASSERT_FALSE(not_map);
  EXPECT_EQ(not_map.error().detail, "impl.yaml:7: roles must be a mapping");
}

TEST(YamlDoc, StringAndIntRefuseTheWrongShapeNamingTheField) {
  const YamlDoc doc = Doc();
  EXPECT_EQ(*doc.String(doc.root["name"], "name"), "reference");
  EXPECT_EQ(*doc.Int(doc.root["version"], "version"), 3);
  auto list = doc.String(doc.root["roles"], "roles");
  ASSERT_FALSE(list);
  EXPECT_EQ(list.error().detail, "impl.yaml:7: roles must be a string");
  auto text = doc.Int(doc.root["name"], "version");
  ASSERT_FALSE(text);
  EXPECT_EQ(text.error().detail, "impl.yaml:1: version must be an integer, got 'reference'");
  auto map = doc.Int(doc.root["relay"], "relay");
  ASSERT_FALSE(map);
  EXPECT_EQ(map.error().detail, "impl.yaml:4: relay must be an integer");
}

TEST(YamlDoc, IntRefusesTrailingTextAndReadsNegatives) {
  const YamlDoc doc = Doc("a: 12ms\nb: -4\n");
  auto a = doc.Int(doc.root["a"], "a");
  ASSERT_FALSE(a);
  EXPECT_THAT(a.error().detail, HasSubstr("a must be an integer, got '12ms'"));
  EXPECT_EQ(*doc.Int(doc.root["b"], "b"), -4);
}

TEST(YamlDoc, BoolReadsTrueYesFalseNoAndNothingElse) {
  const YamlDoc doc = Doc("t: true\ny: yes\nf: false\nn: no\nx: 1\n");
  EXPECT_TRUE(*doc.Bool(doc.root["t"], "t"));
  EXPECT_TRUE(*doc.Bool(doc.root["y"], "y"));
  EXPECT_FALSE(*doc.Bool(doc.root["f"], "f"));
  EXPECT_FALSE(*doc.Bool(doc.root["n"], "n"));
  auto bad = doc.Bool(doc.root["x"], "ready.stdout");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().detail, "impl.yaml:5: ready.stdout must be true or false");
}

TEST(YamlDoc, StringListTakesOneScalarOrASequenceOfScalars) {
  const YamlDoc doc = Doc();
  EXPECT_EQ(*doc.StringList(doc.root["name"], "name"), std::vector<std::string>{"reference"});
  EXPECT_EQ(*doc.StringList(doc.root["roles"], "roles"),
            (std::vector<std::string>{"relay", "initiator"}));
  auto map = doc.StringList(doc.root["relay"], "relay");
  ASSERT_FALSE(map);
  EXPECT_EQ(map.error().detail, "impl.yaml:4: relay must be a list of strings");
  auto nested = doc.StringList(doc.root["nested"], "nested");
  ASSERT_FALSE(nested);
  EXPECT_EQ(nested.error().detail, "impl.yaml:8: nested must contain only strings");
}

TEST(LoadYaml, SyntaxErrorsNameFileLineAndColumn) {
  auto doc = LoadYamlString("a: 1\nb: [1, 2\n", "broken.yaml", Errc::kScenarioInvalid);
  ASSERT_FALSE(doc);
  EXPECT_TRUE(doc.error().Is(Errc::kScenarioInvalid));
  EXPECT_THAT(doc.error().detail, ::testing::MatchesRegex("broken\\.yaml:[0-9]+:[0-9]+: YAML "
                                                          "syntax error: .+"));
}

TEST(LoadYaml, ReadsAFileAndKeepsItsTextAndRefusesAMissingOne) {
  const auto path = std::filesystem::temp_directory_path() /
                    ("tigress-yaml-util-" + std::to_string(::getpid()) + ".yaml");
  std::ofstream(path) << kText;
  auto doc = LoadYamlFile(path, Errc::kConfigInvalid);
  std::filesystem::remove(path);
  ASSERT_TRUE(doc) << doc.error().Message();
  EXPECT_EQ(doc->text, kText);
  EXPECT_EQ(doc->Where(doc->root["roles"]), path.string() + ":7");

  auto missing = LoadYamlFile(path, Errc::kConfigInvalid);
  ASSERT_FALSE(missing);
  EXPECT_TRUE(missing.error().Is(Errc::kConfigInvalid));
  EXPECT_EQ(missing.error().detail, path.string() + ": cannot open file");
}

TEST(YamlToJson, PlainScalarsAreTypedAndQuotedOnesStayStrings) {
  const YamlDoc doc = Doc(
      "i: 42\nf: 1.5\ne: 1e3\nb: false\nn: null\nt: ~\ns: text\nq: \"42\"\nv: 1.2.3\nm: {a: [1, "
      "x]}\n");
  const Json j = YamlToJson(doc.root);
  EXPECT_EQ(j["i"], Json(42));
  EXPECT_EQ(j["f"], Json(1.5));
  EXPECT_EQ(j["e"], Json(1000.0));
  EXPECT_EQ(j["b"], Json(false));
  EXPECT_TRUE(j["n"].is_null());
  EXPECT_TRUE(j["t"].is_null());
  EXPECT_EQ(j["s"], Json("text"));
  EXPECT_EQ(j["q"], Json("42")) << "a quoted number is text";
  EXPECT_EQ(j["v"], Json("1.2.3"));
  EXPECT_EQ(j["m"], (Json{{"a", Json::array({1, "x"})}}));
}

TEST(YamlToJson, AKeyThatIsAMappingOrSequenceIsNamedByItsJson) {
  // Found by fuzz/scenario_fuzz.cc: `body: { {type: x}}` threw out of the scenario loader.
  const Json j = YamlToJson(Doc("{[a, 1]: x, {b: c}: y}\n").root);
  EXPECT_EQ(j, (Json{{"[\"a\",1]", "x"}, {"{\"b\":\"c\"}", "y"}}));
}

TEST(JsonToYaml, EmitsYamlThatReadsBackToTheSameJson) {
  const Json j = {{"s", "42"}, {"n", 7}, {"z", nullptr}, {"list", Json::array({true, "a: b"})}};
  const std::string text = JsonToYaml(j);
  EXPECT_EQ(text.back(), '\n');
  auto doc = LoadYamlString(text, "dump.yaml", Errc::kConfigInvalid);
  ASSERT_TRUE(doc) << doc.error().Message();
  EXPECT_EQ(YamlToJson(doc->root), j);
}

TEST(ParseDurationMs, ReadsMillisecondsSecondsMinutesAndBareSeconds) {
  EXPECT_EQ(ParseDurationMs("250ms"), 250);
  EXPECT_EQ(ParseDurationMs("10s"), 10'000);
  EXPECT_EQ(ParseDurationMs("2m"), 120'000);
  EXPECT_EQ(ParseDurationMs("5"), 5'000) << "a bare number is seconds";
  EXPECT_EQ(ParseDurationMs("0ms"), 0);
  for (const char* bad : {"", "-1s", "10h", "ms", "1.5s", "10 s"}) {
    EXPECT_EQ(ParseDurationMs(bad), std::nullopt) << bad;
  }
}

}  // namespace
}  // namespace tigress::harness
