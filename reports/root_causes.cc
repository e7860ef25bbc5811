#include "reports/root_causes.h"

#include <algorithm>
#include <cctype>
#include <map>

#include <nlohmann/json.hpp>

#include "reports/escape.h"

namespace tigress::reports {
namespace {

using Json = nlohmann::json;

// Long enough to tell two refusals apart, short enough for one table cell.
constexpr std::size_t kErrorTextChars = 60;
constexpr std::size_t kMessageChars = 120;

bool IsHex(char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; }
bool IsDigit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }
bool IsAlnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }
bool IsPathChar(char c) { return IsAlnum(c) || c == '_' || c == '.' || c == '/' || c == '-'; }

// Length of a UUID (8-4-4-4-12 hex digits) starting at `i`, or 0.
std::size_t UuidAt(std::string_view s, std::size_t i) {
  static constexpr std::size_t kGroups[] = {8, 4, 4, 4, 12};
  std::size_t p = i;
  for (std::size_t g = 0; g < 5; ++g) {
    if (g > 0) {
      if (p >= s.size() || s[p] != '-') return 0;
      ++p;
    }
    for (std::size_t k = 0; k < kGroups[g]; ++k, ++p) {
      if (p >= s.size() || !IsHex(s[p])) return 0;
    }
  }
  if (p < s.size() && IsAlnum(s[p])) return 0;
  return p - i;
}

std::string ReplaceUuids(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size();) {
    const bool boundary = i == 0 || !IsAlnum(s[i - 1]);
    if (std::size_t n = boundary ? UuidAt(s, i) : 0; n > 0) {
      out += "{id}";
      i += n;
    } else {
      out.push_back(s[i++]);
    }
  }
  return out;
}

// A file:line reference ends at the digits after a ':' and starts at a path
// whose last dot segment begins with a letter ("a.yaml", "x.cc"), which keeps
// host:port ("127.0.0.1:8443") and times ("12:00") out.
std::string ReplaceFileLines(std::string_view s) {
  std::string out(s);
  for (std::size_t colon = out.find(':'); colon != std::string::npos;
       colon = out.find(':', colon + 1)) {
    if (colon + 1 >= out.size() || !IsDigit(out[colon + 1])) continue;
    std::size_t start = colon;
    while (start > 0 && IsPathChar(out[start - 1])) --start;
    const std::string_view path(out.data() + start, colon - start);
    const std::size_t dot = path.rfind('.');
    if (dot == std::string_view::npos || dot + 1 >= path.size() ||
        !std::isalpha(static_cast<unsigned char>(path[dot + 1])) ||
        path.find('/', dot) != std::string_view::npos) {
      continue;
    }
    std::size_t end = colon + 1;
    while (end < out.size() && IsDigit(out[end])) ++end;
    if (end + 1 < out.size() && out[end] == ':' && IsDigit(out[end + 1])) {
      ++end;
      while (end < out.size() && IsDigit(out[end])) ++end;
    }
    out.replace(start, end - start, "{where}");
    colon = start;
  }
  return out;
}

std::string ReplaceLongNumbers(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size();) {
    if (!IsDigit(s[i])) {
      out.push_back(s[i++]);
      continue;
    }
    std::size_t end = i;
    while (end < s.size() && IsDigit(s[end])) ++end;
    out += end - i >= 5 ? std::string("{n}") : std::string(s.substr(i, end - i));
    i = end;
  }
  return out;
}

// The path of a request target: no scheme and authority, query or fragment.
std::string_view PathOf(std::string_view target) {
  if (const std::size_t scheme = target.find("://"); scheme != std::string_view::npos) {
    const std::size_t slash = target.find('/', scheme + 3);
    target = slash == std::string_view::npos ? std::string_view("/") : target.substr(slash);
  }
  if (const std::size_t q = target.find_first_of("?#"); q != std::string_view::npos) {
    target = target.substr(0, q);
  }
  return target;
}

}  // namespace

std::string ErrorTextOf(const HttpExcerpt& h) {
  const Json doc = Json::parse(h.response_body, nullptr, false);
  if (!doc.is_discarded() && doc.is_object()) {
    for (const char* key : {"error", "message"}) {
      auto it = doc.find(key);
      if (it == doc.end() || it->is_null()) continue;
      if (it->is_string()) return it->get<std::string>();
      if (it->is_object()) {
        if (auto m = it->find("message"); m != it->end() && m->is_string()) {
          return m->get<std::string>();
        }
      }
      return it->dump(-1, ' ', false, Json::error_handler_t::replace);
    }
    return {};
  }
  return h.status >= 400 ? h.response_body : std::string();
}

namespace {

std::string HttpSignature(const HttpExcerpt& h) {
  const std::string_view line = h.request_line;
  const std::size_t sp = line.find(' ');
  const std::string_view method = line.substr(0, sp);
  std::string_view target;
  if (sp != std::string_view::npos) {
    target = line.substr(sp + 1);
    target = target.substr(0, target.find(' '));
  }
  std::string sig = OperationName(method, target);
  if (h.status == 0) {
    sig += " got no response";
  } else {
    sig += (h.status >= 400 ? " refused, " : " answered, ") + std::to_string(h.status);
  }
  // Normalised before the cut, so a UUID is never cut in half.
  const std::string text = OneLine(NormalizeVolatile(ErrorTextOf(h)), kErrorTextChars);
  if (!text.empty()) sig += " " + text;
  return sig;
}

std::string FieldValue(const Evidence& e, std::string_view key) {
  for (const auto& [k, v] : e.fields) {
    if (k == key) return v;
  }
  return {};
}

// The adapter's JSON-RPC error, or its broken/timed-out outcome; empty when
// the call returned a result.
std::string OutcomeSignature(const Evidence& e) {
  const std::string outcome = FieldValue(e, "outcome");
  if (outcome.empty()) return {};
  const std::string call = FieldValue(e, "call");
  const std::string prefix = call.empty() ? std::string() : call + ": ";
  const Json doc = Json::parse(outcome, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) {
    return prefix + OneLine(NormalizeVolatile(outcome), kErrorTextChars);
  }
  auto err = doc.find("error");
  if (err == doc.end() || !err->is_object()) return {};
  std::string sig = prefix + "error";
  if (auto code = err->find("code"); code != err->end() && code->is_number_integer()) {
    sig += " " + std::to_string(code->get<long long>());
  }
  if (auto m = err->find("message"); m != err->end() && m->is_string()) {
    sig += " " + OneLine(NormalizeVolatile(m->get<std::string>()), kErrorTextChars);
  }
  return sig;
}

std::string AssertionSignature(const Assertion& a) {
  const std::vector<HttpExcerpt>& http = a.evidence.http;
  if (!http.empty()) {
    auto refused = std::find_if(http.begin(), http.end(), [](const HttpExcerpt& h) {
      return h.status == 0 || h.status >= 400;
    });
    return HttpSignature(refused != http.end() ? *refused : http.back());
  }
  if (std::string sig = OutcomeSignature(a.evidence); !sig.empty()) return sig;
  return OneLine(NormalizeVolatile(a.message), kMessageChars);
}

}  // namespace

bool IsFailingCase(const CaseResult& c) { return c.Unexpected() || IsFailing(c.verdict); }

std::string FailureSignature(const CaseResult& c) {
  if (!IsFailingCase(c)) return {};
  if (!c.failure_signature.empty()) return OneLine(NormalizeVolatile(c.failure_signature));
  for (const Assertion& a : c.assertions) {
    if (IsFailing(a.verdict)) return AssertionSignature(a);
  }
  if (c.stale_expectation) return "known failure no longer fails (stale expectation)";
  if (!c.error_detail.empty()) return OneLine(NormalizeVolatile(c.error_detail), kMessageChars);
  return std::string(VerdictName(c.verdict));
}

std::string OperationName(std::string_view method, std::string_view target) {
  std::string_view path = PathOf(target);
  while (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
  constexpr std::string_view kCollection = "/v1/m";
  const bool collection = path.size() >= kCollection.size() &&
                          path.substr(path.size() - kCollection.size()) == kCollection;
  bool item = false;
  if (const std::size_t slash = path.rfind('/'); slash != std::string_view::npos && slash > 0) {
    const std::string_view parent = path.substr(0, slash);
    item = slash + 1 < path.size() && parent.size() >= kCollection.size() &&
           parent.substr(parent.size() - kCollection.size()) == kCollection;
  }
  if (collection && method == "POST") return "CreateMailbox";
  if (item) {
    if (method == "PUT") return "UpdateMailbox";
    if (method == "DELETE") return "DeleteMailbox";
    if (method == "GET") return "ReadDisplayInformation";
    if (method == "POST") return "ReadSecureContent";
    if (method == "PATCH") return "RelinquishMailbox";
  }
  return std::string(method) + " " + ReplaceUuids(PathOf(target));
}

std::string NormalizeVolatile(std::string_view text) {
  return ReplaceLongNumbers(ReplaceFileLines(ReplaceUuids(text)));
}

std::vector<FailureGroup> GroupFailures(std::span<const CaseResult> cases) {
  std::vector<FailureGroup> groups;
  std::map<std::string, std::size_t> by_signature;
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const CaseResult& c = cases[i];
    if (!IsFailingCase(c)) continue;
    std::string sig = FailureSignature(c);
    auto [it, added] = by_signature.emplace(sig, groups.size());
    if (added) {
      groups.push_back({std::move(sig), {}, {}, c.verdict});
    }
    FailureGroup& g = groups[it->second];
    g.cases.push_back(c.case_id);
    g.indexes.push_back(i);
    g.verdict = Worst(g.verdict, c.verdict);
  }
  std::stable_sort(groups.begin(), groups.end(), [](const FailureGroup& a, const FailureGroup& b) {
    return a.cases.size() > b.cases.size();
  });
  return groups;
}

std::vector<FailureGroup> GroupFailures(const RunResult& run) { return GroupFailures(run.cases); }

}  // namespace tigress::reports
