#include "harness/kat/outcome.h"

namespace tigress::kat {

Outcome Pass(std::string detail) { return {Verdict::kPass, std::move(detail)}; }
Outcome Fail(std::string detail) { return {Verdict::kFail, std::move(detail)}; }

std::string Mismatch(std::string_view what, std::string_view got, std::string_view want) {
  std::size_t i = 0;
  while (i < got.size() && i < want.size() && got[i] == want[i]) ++i;
  return what == "plaintext" || what == "secret"
             ? std::string(what) + " differs at octet " + std::to_string(i) + " (got " +
                   std::to_string(got.size()) + " octets, expected " + std::to_string(want.size()) +
                   ")"
             : std::string(what) + " differs at character " + std::to_string(i) + " (got " +
                   std::to_string(got.size()) + " characters, expected " +
                   std::to_string(want.size()) + ")";
}

std::string RedactUrl(std::string_view url) {
  const auto hash = url.find('#');
  if (hash == std::string_view::npos) return std::string(url);
  return std::string(url.substr(0, hash + 1)) + Redact(url.substr(hash + 1));
}

std::string Describe(const BackendError& e) {
  return e.token.empty() ? e.detail : e.token + ": " + e.detail;
}

Outcome Unexpected(const BackendError& e) {
  switch (e.kind) {
    case BackendError::Kind::kUnsupported:
      return {Verdict::kUnsupported, e.detail};
    case BackendError::Kind::kBroken:
      return Fail("backend failed: " + e.detail);
    case BackendError::Kind::kRejected:
      break;
  }
  return Fail("rejected a valid input: " + Describe(e));
}

bool NamesField(std::string_view detail, std::string_view field) {
  const std::string needle = std::string(field) + ":";
  for (std::size_t pos = detail.find(needle); pos != std::string_view::npos;
       pos = detail.find(needle, pos + 1)) {
    if (pos == 0 || detail[pos - 1] == ' ') return true;
  }
  return false;
}

}  // namespace tigress::kat
