#include "protocol/json_depth.h"

#include <string>

#include <gtest/gtest.h>

namespace tigress {
namespace {

TEST(JsonDepth, CountsBracketsOutsideStringsOnly) {
  EXPECT_EQ(JsonNestingDepth("1"), 0U);
  EXPECT_EQ(JsonNestingDepth(R"({"a":[1,{"b":[]}]})"), 4U);
  EXPECT_EQ(JsonNestingDepth(R"({"a":"[[[[{{{{"})"), 1U);
  EXPECT_EQ(JsonNestingDepth(R"({"a":"\"[[[\\","b":[]})"), 2U);  // escaped quote, then a backslash
  EXPECT_EQ(JsonNestingDepth("[][][]"), 1U);
}

TEST(JsonDepth, StopsOnePastTheBound) {
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  EXPECT_EQ(JsonNestingDepth(deep), kMaxJsonDepth + 1);
  EXPECT_EQ(JsonNestingDepth(deep, 10), 11U);
  const std::string at_bound = std::string(kMaxJsonDepth, '{') + std::string(kMaxJsonDepth, '}');
  EXPECT_EQ(JsonNestingDepth(at_bound), kMaxJsonDepth);
}

}  // namespace
}  // namespace tigress
