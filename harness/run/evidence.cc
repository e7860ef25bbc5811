#include "harness/run/evidence.h"

#include "protocol/encoding.h"
#include "protocol/revision.h"

namespace tigress::harness {

std::string Truncate(const std::string& s, std::size_t max) {
  return s.size() <= max
             ? s
             : s.substr(0, max) + "\n...(" + std::to_string(s.size()) + " bytes in all)";
}

text::HeaderList RedactHeaders(const text::HeaderList& headers) {
  auto out = headers;
  for (auto& [k, v] : out) {
    const bool sensitive = IsAnyClaimHeader(k) || IsAnyAttestationHeader(k);
    if (sensitive && !v.empty()) {
      v = Redact(v);
    }
  }
  return out;
}

std::string TargetOf(const std::string& url) {
  const auto scheme = url.find("://");
  if (scheme == std::string::npos) {
    return url;
  }
  const auto slash = url.find('/', scheme + 3);
  return slash == std::string::npos ? "/" : url.substr(slash);
}

reports::HttpExcerpt ExcerptOf(const har::Exchange& x, const std::string& vantage) {
  reports::HttpExcerpt ex;
  ex.vantage = vantage;
  ex.request_line = x.method + " " + TargetOf(x.url) + " " + x.http_version;
  ex.request_headers = RedactHeaders(x.request_headers);
  ex.request_body = Truncate(x.request_body);
  ex.status = x.status;
  ex.response_headers = RedactHeaders(x.response_headers);
  ex.response_body = Truncate(x.response_body);
  return ex;
}

std::string SafeDirName(const std::string& id) {
  std::string out;
  for (char c : id) {
    out += (c == '/' || c == '#' || c == ' ') ? '_' : c;
  }
  return out;
}

}  // namespace tigress::harness
