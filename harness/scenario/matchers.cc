#include "harness/scenario/matchers.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <map>
#include <regex>

#include "harness/scenario/vars.h"
#include "protocol/text.h"

namespace tigress::harness {

namespace {

using Json = nlohmann::json;

std::string Short(const std::string& s, std::size_t max = 300) {
  return s.size() <= max ? s : s.substr(0, max) + "...(" + std::to_string(s.size()) + " bytes)";
}

std::string Show(const std::optional<Json>& v) {
  if (!v) {
    return "(absent)";
  }
  return Short(v->is_string() ? "\"" + v->get<std::string>() + "\"" : v->dump());
}

bool RegexSearch(const std::string& re, const std::string& text, std::string* error) {
  try {
    return std::regex_search(text, std::regex(re, std::regex::ECMAScript));
  } catch (const std::regex_error& e) {
    *error = std::string("invalid regular expression: ") + e.what();
    return false;
  }
}

// Numbers compare by value (200 == 200.0); everything else structurally.
bool JsonEquals(const Json& a, const Json& b) {
  if (a.is_number() && b.is_number()) {
    return a.get<double>() == b.get<double>();
  }
  return a == b;
}

std::string TypeName(const Json& v) {
  if (v.is_string()) {
    return "string";
  }
  if (v.is_boolean()) {
    return "boolean";
  }
  if (v.is_number_integer() || v.is_number_unsigned()) {
    return "integer";
  }
  if (v.is_number()) {
    return "number";
  }
  if (v.is_object()) {
    return "object";
  }
  if (v.is_array()) {
    return "array";
  }
  return "null";
}

std::string CodesText(const std::vector<int>& codes) {
  std::string s;
  for (int c : codes) {
    s += (s.empty() ? "" : ", ") + std::to_string(c);
  }
  return codes.size() == 1 ? s : "one of [" + s + "]";
}

}  // namespace

MatchResult MatchValue(const Expectation& e, const std::optional<Json>& actual,
                       const Json& operand) {
  MatchResult r;
  r.actual = Show(actual);
  switch (e.op) {
    case Expectation::Op::kPresent:
      r.expected = "present";
      r.ok = actual.has_value();
      return r;
    case Expectation::Op::kAbsent:
      r.expected = "absent";
      r.ok = !actual.has_value();
      return r;
    case Expectation::Op::kEquals:
      r.expected = Show(operand);
      r.ok = actual && JsonEquals(*actual, operand);
      return r;
    case Expectation::Op::kOneOf:
      r.expected = "one of " + Short(operand.dump());
      r.ok = actual && std::any_of(operand.begin(), operand.end(),
                                   [&](const Json& alt) { return JsonEquals(*actual, alt); });
      return r;
    case Expectation::Op::kMatches: {
      const std::string re = operand.is_string() ? operand.get<std::string>() : operand.dump();
      r.expected = "matches /" + re + "/";
      if (!actual) {
        return r;
      }
      std::string err;
      r.ok =
          RegexSearch(re, actual->is_string() ? actual->get<std::string>() : actual->dump(), &err);
      if (!err.empty()) {
        r.actual = err;
      }
      return r;
    }
    case Expectation::Op::kContains:
    case Expectation::Op::kNotContains: {
      const std::string needle = operand.is_string() ? operand.get<std::string>() : operand.dump();
      const bool want = e.op == Expectation::Op::kContains;
      r.expected = (want ? "contains \"" : "does not contain \"") + Short(needle, 80) + "\"";
      if (!actual) {
        r.ok = !want;
        return r;
      }
      const std::string hay = actual->is_string() ? actual->get<std::string>() : actual->dump();
      r.ok = (hay.find(needle) != std::string::npos) == want;
      if (!want && !r.ok) {
        r.actual = "the value contains it";
      }
      return r;
    }
    case Expectation::Op::kType: {
      const std::string t = operand.get<std::string>();
      r.expected = "a JSON " + t;
      if (!actual) {
        return r;
      }
      const std::string at = TypeName(*actual);
      r.actual = at + " " + Show(actual);
      r.ok = at == t || (t == "number" && actual->is_number());
      return r;
    }
    default:
      r.expected = "?";
      return r;
  }
}

std::vector<std::string> HeaderValues(
    const std::vector<std::pair<std::string, std::string>>& headers, std::string_view name) {
  return text::HeaderValues(headers, name);
}

MatchResult MatchHttp(const Expectation& e, const HttpView& v, const Json& operand) {
  MatchResult r;
  switch (e.subject) {
    case Expectation::Subject::kStatus:
      r.expected = "status " + CodesText(e.codes);
      r.actual = v.status == 0 ? "no response" : std::to_string(v.status);
      r.ok = std::find(e.codes.begin(), e.codes.end(), v.status) != e.codes.end();
      return r;
    case Expectation::Subject::kHeader: {
      std::vector<std::string> values =
          v.headers != nullptr ? HeaderValues(*v.headers, e.target) : std::vector<std::string>{};
      if (values.empty()) {
        r = MatchValue(e, std::nullopt, operand);
      } else {
        // Absent/not_contains must hold for every value; the others for any.
        const bool all = e.op == Expectation::Op::kAbsent || e.op == Expectation::Op::kNotContains;
        for (const auto& value : values) {
          r = MatchValue(e, Json(value), operand);
          if (r.ok != all) {
            break;
          }
        }
      }
      r.expected = e.target + ": " + r.expected;
      return r;
    }
    case Expectation::Subject::kJson: {
      std::optional<Json> actual;
      if (v.json != nullptr) {
        actual = JsonPathGet(*v.json, e.target);
      }
      r = MatchValue(e, actual, operand);
      if ((v.json == nullptr) && e.op != Expectation::Op::kAbsent) {
        r.actual = "the body is not JSON";
      }
      r.expected = (e.target.empty() ? std::string("$") : e.target) + " " + r.expected;
      return r;
    }
    case Expectation::Subject::kBody: {
      r = MatchValue(e, v.body != nullptr ? std::optional<Json>(Json(*v.body)) : std::nullopt,
                     operand);
      r.expected = "body " + r.expected;
      return r;
    }
    default:
      r.expected = ExpectationToString(e);
      r.actual = "(not applicable to an http step)";
      return r;
  }
}

MatchResult MatchCall(const Expectation& e, const Json& doc, const Json& operand) {
  MatchResult r;
  const Json* err = doc.contains("error") ? &doc["error"] : nullptr;
  auto describe = [&]() -> std::string {
    if (err == nullptr) {
      return "success";
    }
    std::string s = "error " + (err->contains("code") ? (*err)["code"].dump() : std::string("?"));
    if (err->contains("message") && (*err)["message"].is_string()) {
      s += " (" + Short((*err)["message"].get<std::string>(), 160) + ")";
    }
    if (err->contains("data")) {
      s += " data " + Short((*err)["data"].dump(), 160);
    }
    return s;
  };
  switch (e.subject) {
    case Expectation::Subject::kOk:
      r.expected = "the call succeeds";
      r.actual = describe();
      r.ok = err == nullptr;
      return r;
    case Expectation::Subject::kError: {
      r.expected = "error " + CodesText(e.codes);
      r.actual = describe();
      if ((err != nullptr) && err->contains("code") && (*err)["code"].is_number_integer()) {
        int code = (*err)["code"].get<int>();
        r.ok = std::find(e.codes.begin(), e.codes.end(), code) != e.codes.end();
      } else if (err == nullptr) {
        // 0 stands for success, for steps where either a result or one of
        // the listed refusals is acceptable.
        r.ok = std::find(e.codes.begin(), e.codes.end(), 0) != e.codes.end();
      }
      return r;
    }
    case Expectation::Subject::kJson: {
      r = MatchValue(e, JsonPathGet(doc, e.target), operand);
      r.expected = e.target + " " + r.expected;
      return r;
    }
    default:
      r.expected = ExpectationToString(e);
      r.actual = "(not applicable to a call step)";
      return r;
  }
}

MatchResult MatchCount(const Expectation& e, const std::vector<int>& statuses) {
  MatchResult r;
  std::int64_t n = std::count_if(statuses.begin(), statuses.end(), [&](int s) {
    return std::find(e.codes.begin(), e.codes.end(), s) != e.codes.end();
  });
  r.expected = ExpectationToString(e);
  std::map<int, int> histogram;
  for (int s : statuses) {
    ++histogram[s];
  }
  std::string hist;
  for (const auto& [s, c] : histogram) {
    hist += (hist.empty() ? "" : ", ") + std::to_string(c) + "x " +
            (s == 0 ? std::string("no response") : std::to_string(s));
  }
  r.actual = std::to_string(n) + " (" + hist + ")";
  r.ok = (!e.min || n >= *e.min) && (!e.max || n <= *e.max);
  return r;
}

}  // namespace tigress::harness
