#include "harness/scenario/vars.h"

#include <chrono>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace tigress::harness {
namespace {

using Json = nlohmann::json;

TEST(Vars, InterpolationKeepsTypesAndSplicesText) {
  VarContext ctx(7);
  ctx.Set("create", Json{{"urlLink", "https://h/v1/m/1"}, {"n", 3}});
  EXPECT_EQ(*Interpolate(Json("${create.n}"), ctx), Json(3));
  EXPECT_EQ(*Interpolate(Json("n=${create.n};u=${create.urlLink}"), ctx),
            Json("n=3;u=https://h/v1/m/1"));
  auto missing = Interpolate(Json("${create.nope}"), ctx);
  ASSERT_FALSE(missing);
  EXPECT_TRUE(missing.error().Is(Errc::kVariableUndefined));
}

TEST(Vars, GeneratorsAreSeededAndNamedOnesAreStable) {
  VarContext a(42), b(42);
  const std::string ua = a.Eval("uuid:claim")->get<std::string>();
  EXPECT_EQ(ua, b.Eval("uuid:claim")->get<std::string>()) << "the same seed gives the same values";
  EXPECT_EQ(ua, a.Eval("uuid:claim")->get<std::string>()) << "a named UUID is stable within a case";
  EXPECT_NE(a.Eval("fresh_uuid")->get<std::string>(), a.Eval("fresh_uuid")->get<std::string>());
  EXPECT_THAT(ua, ::testing::MatchesRegex(
                      "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"));
  EXPECT_EQ(a.Eval("b64:30:p")->get<std::string>(), a.Eval("b64:30:p")->get<std::string>());
  EXPECT_EQ(a.Eval("b64:3")->get<std::string>().size(), 4u);
  EXPECT_THAT(a.Eval("time:+60")->get<std::string>(),
              ::testing::MatchesRegex("[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z"));
  VarContext child = a.Child(5);
  EXPECT_EQ(child.Eval("i")->get<int>(), 5);
  EXPECT_EQ(child.Eval("uuid:claim")->get<std::string>(), ua)
      << "named UUIDs are shared with lanes";
}

TEST(Vars, ANamedTimeIsTakenOnceAndStaysFixedWhileTheClockMoves) {
  VarContext a(7);
  const std::string first = a.Eval("time:+60:sent")->get<std::string>();
  // Wait for the next second, so an unnamed time would now differ.
  const auto start = std::chrono::system_clock::now();
  while (a.Eval("time:+60")->get<std::string>() == first &&
         std::chrono::system_clock::now() - start < std::chrono::seconds(3)) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_NE(a.Eval("time:+60")->get<std::string>(), first) << "the clock did not move";
  EXPECT_EQ(a.Eval("time:+60:sent")->get<std::string>(), first);
  EXPECT_EQ(a.Child(1).Eval("time:+60:sent")->get<std::string>(), first);
  EXPECT_FALSE(a.Eval("time:+x:other")) << "the seconds are still checked";
}

TEST(Vars, JsonPathsFollowFieldsAndIndicesAndMissOnAnyAbsentPart) {
  const Json doc = {{"a", {{"b", Json::array({Json{{"c", 1}}, Json{{"c", 2}}})}}}};
  EXPECT_EQ(JsonPathGet(doc, "a.b[1].c"), Json(2));
  EXPECT_EQ(JsonPathGet(doc, ""), doc);
  EXPECT_FALSE(JsonPathGet(doc, "a.b[2].c"));
  EXPECT_FALSE(JsonPathGet(doc, "a.x"));
  EXPECT_FALSE(JsonPathGet(doc, "a.b[x]"));
  EXPECT_FALSE(JsonPathGet(doc, "a.b[0"));
  EXPECT_FALSE(JsonPathGet(doc, "a[0]")) << "an index into an object";
}

TEST(Vars, ReferencesAreFoundAndGeneratorsHaveNoRoot) {
  EXPECT_EQ(FindVarRefs("${a.b}/x/${uuid:c}"), (std::vector<std::string>{"a.b", "uuid:c"}));
  EXPECT_EQ(FindVarRefs("x ${open"), std::vector<std::string>{"open"})
      << "an unterminated reference is reported, not dropped";
  EXPECT_TRUE(FindVarRefs("no references").empty());
  EXPECT_EQ(VarRoot("share.shareUrl"), "share");
  EXPECT_EQ(VarRoot("list[0].x"), "list");
  for (const char* g : {"fresh_uuid", "uuid:x", "b64:16", "time:+60"}) {
    EXPECT_TRUE(IsGenerator(g)) << g;
    EXPECT_EQ(VarRoot(g), "") << g;
  }
  EXPECT_FALSE(IsGenerator("uuid")) << "the parallel lane's uuid is a variable";
}

TEST(Vars, StringsStayStringsAndUnterminatedReferencesAreErrors) {
  VarContext ctx(1);
  ctx.Set("n", Json(3));
  EXPECT_EQ(*InterpolateString("${n}", ctx), "3");
  auto bad = InterpolateString("x ${n", ctx);
  ASSERT_FALSE(bad);
  EXPECT_TRUE(bad.error().Is(Errc::kVariableUndefined));
  EXPECT_EQ(FormatUtcSeconds(0), "1970-01-01T00:00:00Z");
}

}  // namespace
}  // namespace tigress::harness
