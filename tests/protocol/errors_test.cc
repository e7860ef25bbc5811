#include "protocol/errors.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <string_view>
#include <utility>

#include "protocol/result.h"

namespace tigress {
namespace {

struct CatalogueEntry {
  Errc code;
  int value;
  const char* token;
  const char* message;
};

constexpr CatalogueEntry kCatalogue[] = {
#define X(name, value, token, message) {Errc::k##name, value, token, message},
#include "protocol/errors.def"
#undef X
};

TEST(ErrorCatalogue, GivesEveryEntryAUniqueTokenAndValue) {
  std::set<std::string> tokens;
  std::set<int> values;
  for (const CatalogueEntry& entry : kCatalogue) {
    EXPECT_TRUE(tokens.insert(entry.token).second) << entry.token;
    EXPECT_TRUE(values.insert(entry.value).second) << entry.value;
    EXPECT_EQ(static_cast<int>(entry.code), entry.value);
    EXPECT_EQ(ErrcToken(entry.code), std::string(entry.token));
    EXPECT_EQ(make_error_code(entry.code).message(), std::string(entry.message));
  }
  EXPECT_GT(tokens.size(), 20U);
}

// The relay's error bodies carry these tokens; peers and recorded transcripts
// match on them, so renaming one is a wire change this test makes visible.
TEST(ErrorCatalogue, KeepsTheRelayWireTokensByteForByte) {
  const std::pair<Errc, std::string_view> kWire[] = {
      {Errc::kMailboxNotFound, "relay.not_found"},
      {Errc::kClaimUnauthorized, "relay.unauthorized"},
      {Errc::kMethodNotAllowed, "relay.method_not_allowed"},
      {Errc::kRelayInternal, "relay.internal"},
      {Errc::kBodyTooLarge, "relay.body_too_large"},
      {Errc::kMethodNotImplemented, "relay.not_implemented"},
      {Errc::kNoRoute, "relay.no_route"},
      {Errc::kHeadersTooLarge, "relay.headers_too_large"},
      {Errc::kBadHttp, "relay.bad_http"},
      {Errc::kClaimQuotaExceeded, "relay.claim_quota"},
      {Errc::kStoreFull, "relay.store_full"},
      {Errc::kStoreFailure, "relay.store_failure"},
      {Errc::kFieldInvalid, "json.field_invalid"},
  };
  for (const auto& [code, token] : kWire) {
    EXPECT_EQ(ErrcToken(code), token);
  }
}

TEST(ErrorCatalogue, KeepsEveryComponentInsideItsOwnRange) {
  for (const CatalogueEntry& entry : kCatalogue) {
    const std::string token(entry.token);
    if (token.rfind("relay.", 0) == 0) {
      EXPECT_TRUE(entry.value >= 100 && entry.value < 200) << token;
    } else if (token.rfind("device.", 0) == 0) {
      EXPECT_TRUE(entry.value >= 200 && entry.value < 300) << token;
    } else if (token.rfind("harness.", 0) == 0) {
      EXPECT_TRUE(entry.value >= 300 && entry.value < 400) << token;
    } else {
      EXPECT_TRUE(entry.value >= 1 && entry.value < 100) << token;
    }
  }
}

TEST(ErrorCatalogue, MessageJoinsTokenAndDetail) {
  const Error e = MakeError(Errc::kFieldMissing, "payload.type: required field is missing");
  EXPECT_EQ(e.Message(), "json.field_missing: payload.type: required field is missing");
  EXPECT_TRUE(e.Is(Errc::kFieldMissing));
  EXPECT_FALSE(e.Is(Errc::kFieldWrongType));
}

TEST(ErrorCatalogue, MessageFallsBackToCategoryTextWithoutDetail) {
  EXPECT_EQ(MakeError(Errc::kUrlNotHttps).Message(),
            "url.not_https: Share URL scheme is not https");
}

Result<int> Half(int v) {
  if (v % 2 != 0) return MakeError(Errc::kFieldInvalid, "odd");
  return v / 2;
}

Result<int> Quarter(int v) {
  TIGRESS_ASSIGN_OR_RETURN(int h, Half(v));
  return Half(h);
}

TEST(ResultMacros, PropagateTheFirstError) {
  EXPECT_EQ(Quarter(8).value(), 2);
  const auto r = Quarter(6);
  ASSERT_FALSE(r);
  EXPECT_TRUE(r.error().Is(Errc::kFieldInvalid));
}

TEST(ResultValue, ThrowsErrorExceptionCarryingTheError) {
  try {
    (void)Half(3).value();
    FAIL() << "value() of an error did not throw";
  } catch (const ErrorException& e) {
    EXPECT_TRUE(e.error().Is(Errc::kFieldInvalid));
    EXPECT_STREQ(e.what(), "json.field_invalid: odd");
  }
}

}  // namespace
}  // namespace tigress
