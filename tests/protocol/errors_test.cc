#include "protocol/errors.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

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
