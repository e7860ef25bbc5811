// The runner's shared pieces on their own: typed field reads and the verdict
// rules every family applies (harness/kat/vector_fields.h, outcome.h), and the
// Wycheproof judgements the shipped fixture does not reach.
#include "harness/kat/outcome.h"

#include <gtest/gtest.h>

#include "harness/kat/core_backend.h"
#include "harness/kat/vector_fields.h"

namespace tigress::kat {
namespace {

using Json = nlohmann::json;

TEST(VectorFields, KeepsOnlyTheFirstProblemAndNamesItsField) {
  const Json t = Json::parse(R"({"keyHex": "0g", "count": "1", "flags": ["a", 2]})");
  VectorFields f(t);
  EXPECT_TRUE(f.Hex("keyHex").empty());
  EXPECT_EQ(f.Int("count"), 0);
  EXPECT_TRUE(f.StrList("flags").size() <= 1);
  EXPECT_FALSE(f.Ok());
  EXPECT_EQ(f.FirstProblem().rfind("keyHex: ", 0), 0U) << f.FirstProblem();
}

TEST(VectorFields, TreatsAbsentOptionalFieldsAsUnsetAndMissingRequiredOnesAsProblems) {
  const Json t = Json::parse(R"({"strict": true})");
  VectorFields f(t);
  EXPECT_EQ(f.OptStr("vertical"), std::nullopt);
  EXPECT_EQ(f.OptBase64("secretBase64"), std::nullopt);
  EXPECT_TRUE(f.StrList("requirements").empty());
  EXPECT_TRUE(f.OptBool("strict"));
  EXPECT_TRUE(f.Ok());
  EXPECT_EQ(f.Str("url"), "");
  EXPECT_EQ(f.FirstProblem(), "url: required field is missing");
}

TEST(VectorFields, NamesTheFirstFieldOutsideTheAllowedSet) {
  const Json t = Json::parse(R"({"id": "x", "nonceHex": "00", "zeta": 1})");
  EXPECT_EQ(VectorFields(t).UnknownField({"id", "zeta"}), "nonceHex");
  EXPECT_EQ(VectorFields(t).UnknownField({"id", "nonceHex", "zeta"}), std::nullopt);
}

TEST(Outcome, MismatchSaysWhereAndHowLongWithoutEitherValue) {
  EXPECT_EQ(Mismatch("plaintext", "SECRETaX", "SECRETbXY"),
            "plaintext differs at octet 6 (got 8 octets, expected 9)");
  EXPECT_EQ(Mismatch("url", "abc", "abd"),
            "url differs at character 2 (got 3 characters, "
            "expected 3)");
}

TEST(Outcome, RedactUrlHidesOnlyTheFragment) {
  const std::string url = "https://relay.example/v1/m/abc#c2VjcmV0LXNlY3JldA";
  const std::string shown = RedactUrl(url);
  EXPECT_EQ(shown.rfind("https://relay.example/v1/m/abc#", 0), 0U);
  EXPECT_EQ(shown.find("c2VjcmV0LXNlY3JldA"), std::string::npos) << shown;
  EXPECT_EQ(RedactUrl("https://relay.example/v1/m/abc"), "https://relay.example/v1/m/abc");
}

TEST(Outcome, NamesFieldMatchesAPathAtTheStartOrAfterASpaceOnly) {
  EXPECT_TRUE(NamesField("plaintext: content: expected an object", "plaintext"));
  EXPECT_TRUE(NamesField("plaintext: content: expected an object", "content"));
  EXPECT_FALSE(NamesField("plaintext: subcontent: expected an object", "content"));
  EXPECT_FALSE(NamesField("content is wrong", "content"));
}

TEST(Outcome, UnexpectedErrorsOfAValidVectorAreUnsupportedOrFailures) {
  EXPECT_EQ(Unexpected(Unsupported("no such method")).verdict, Verdict::kUnsupported);
  const Outcome broken = Unexpected(Broken("timed out"));
  EXPECT_EQ(broken.verdict, Verdict::kFail);
  EXPECT_EQ(broken.detail, "backend failed: timed out");
  EXPECT_EQ(Unexpected(Rejected("payload.auth_failed", "tag")).detail,
            "rejected a valid input: payload.auth_failed: tag");
}

// A core that reports no tokens, as adapters do.
class TokenlessBackend : public CoreBackend {
 public:
  bool ReportsErrorTokens() const override { return false; }
};

TEST(Outcome, ExpectRejectedChecksTokenAndFieldOnlyWhenTheBackendReportsTokens) {
  const BackendResult<std::string> wrong = Rejected("json.field_type", "body: expected a string");
  CoreBackend core;
  EXPECT_EQ(ExpectRejected(wrong, "json.field_missing", "", core).detail,
            "rejected with json.field_type: body: expected a string; expected json.field_missing");
  EXPECT_EQ(ExpectRejected(wrong, "json.field_type", "mailboxId", core).verdict, Verdict::kFail);
  EXPECT_EQ(ExpectRejected(wrong, "json.field_type", "body", core).verdict, Verdict::kPass);
  TokenlessBackend tokenless;
  EXPECT_EQ(ExpectRejected(wrong, "json.field_missing", "mailboxId", tokenless).verdict,
            Verdict::kPass);
  const BackendResult<std::string> accepted = std::string("ok");
  EXPECT_EQ(ExpectRejected(accepted, "url.invalid", "", core).detail,
            "accepted an invalid input; expected rejection url.invalid");
}

// One usable AES-128-GCM group holding `test` (the key, IV and tag of the
// empty plaintext under the all-zero key and IV).
Json WycheproofWith(Json test) {
  Json base = {{"tcId", 1},
               {"key", "00000000000000000000000000000000"},
               {"iv", "000000000000000000000000"},
               {"aad", ""},
               {"msg", ""},
               {"ct", ""},
               {"tag", "58e2fccefa7e3061367f1d57a4e7455a"},
               {"result", "valid"}};
  base.update(test);
  return {
      {"algorithm", "AES-GCM"},
      {"testGroups", {{{"keySize", 128}, {"ivSize", 96}, {"tagSize", 128}, {"tests", {base}}}}}};
}

TEST(WycheproofJudgement, PassesTheKnownAnswerAndSkipsSizesThatDisagreeWithTheGroup) {
  CoreBackend core;
  FileReport r = RunVectorDocument(WycheproofWith(Json::object()), "w.json", core);
  ASSERT_EQ(r.results.size(), 1U);
  EXPECT_EQ(r.results[0].verdict, Verdict::kPass) << r.results[0].detail;
  r = RunVectorDocument(WycheproofWith({{"iv", "0000000000000000"}}), "w.json", core);
  ASSERT_EQ(r.results.size(), 1U);
  EXPECT_EQ(r.results[0].verdict, Verdict::kSkip);
  EXPECT_EQ(r.results[0].detail, "key, iv or tag length differs from the group's sizes");
}

TEST(WycheproofJudgement, AcceptableNeedsARejectionOrAcceptanceNotABrokenBackend) {
  class BrokenOpen : public CoreBackend {
   public:
    BackendResult<Bytes> PayloadOpen(const OpenRequest& /*req*/) override {
      return Broken("adapter crashed");
    }
  };
  CoreBackend core;
  FileReport r = RunVectorDocument(WycheproofWith({{"result", "acceptable"}}), "w.json", core);
  EXPECT_EQ(r.results[0].detail, "acceptable: accepted");
  BrokenOpen broken;
  r = RunVectorDocument(WycheproofWith({{"result", "acceptable"}}), "w.json", broken);
  EXPECT_EQ(r.results[0].verdict, Verdict::kFail);
  EXPECT_EQ(r.results[0].detail, "backend failed: adapter crashed");
  r = RunVectorDocument(WycheproofWith({{"result", "maybe"}}), "w.json", core);
  EXPECT_EQ(r.results[0].detail,
            "vector format: result 'maybe' is not valid, invalid or acceptable");
}

}  // namespace
}  // namespace tigress::kat
