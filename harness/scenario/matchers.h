// File: harness/scenario/matchers.h
//
// Evaluating expectations (harness/scenario/scenario.h) against what a step produced.
// Pure functions: the operand is already interpolated by the caller.
//
//   HttpView v{.status = 401, .headers = &hdrs, .body = &body, .json = nullptr};
//   MatchResult r = MatchHttp(expectation, v, operand);
//   if (!r.ok) ... r.expected / r.actual go into the report
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "harness/scenario/scenario.h"

namespace tigress::harness {

// `MatchResult` is the outcome of one expectation.
struct MatchResult {
  bool ok = false;
  std::string expected;  // human text, e.g. "status one of [400, 401]"
  std::string actual;    // human text, e.g. "200"
};

// `HttpView` is the response of an http step as the matchers see it.
struct HttpView {
  int status = 0;
  const std::vector<std::pair<std::string, std::string>>* headers = nullptr;
  const std::string* body = nullptr;
  const nlohmann::json* json = nullptr;  // the parsed body; nullptr when not JSON
};

// `MatchValue` applies `e.op` with `operand` to `actual` (nullopt = absent).
MatchResult MatchValue(const Expectation& e, const std::optional<nlohmann::json>& actual,
                       const nlohmann::json& operand);

// `MatchHttp` checks a status/header/json/body expectation on a response.
// Header names compare case-insensitively; a repeated header matches when any
// of its values does.
MatchResult MatchHttp(const Expectation& e, const HttpView& v, const nlohmann::json& operand);

// `MatchCall` checks an ok/error/json expectation on an adapter call whose
// document is {"result": ...} or {"error": {"code", "message", "data"}}.
MatchResult MatchCall(const Expectation& e, const nlohmann::json& doc,
                      const nlohmann::json& operand);

// `MatchCount` checks a count expectation on the statuses of a parallel group
// (0 for a request that got no response).
MatchResult MatchCount(const Expectation& e, const std::vector<int>& statuses);

// `HeaderValues` returns every value of header `name` (case-insensitive).
std::vector<std::string> HeaderValues(
    const std::vector<std::pair<std::string, std::string>>& headers, std::string_view name);

}  // namespace tigress::harness
