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

har::Exchange ProbeExchange(const HttpRequest& request, const Result<HttpResponse>& response,
                            std::int64_t started_ms) {
  har::Exchange x;
  x.started_ms = started_ms;
  x.method = request.method;
  x.url = request.url;
  x.request_headers = request.headers;
  x.request_body = request.body.value_or("");
  // Oversized-body probes send megabytes on purpose; the transcript keeps
  // their length, not their filler.
  constexpr std::size_t kMaxBody = std::size_t{256} * 1024;
  if (x.request_body.size() > kMaxBody) {
    x.request_body.resize(kMaxBody);
    x.error = "request body cut to " + std::to_string(kMaxBody) + " of " +
              std::to_string(request.body->size()) + " octets";
  }
  if (!response) {
    x.error += (x.error.empty() ? "" : "; ") + response.error().Message();
    return x;
  }
  x.status = response->status;
  if (!response->http_version.empty()) x.http_version = response->http_version;
  x.response_headers = response->headers;
  x.response_body = response->body;
  x.wait_ms = response->elapsed_ms;
  if (!response->transport_note.empty()) {
    x.error += (x.error.empty() ? "" : "; ") + response->transport_note;
  }
  return x;
}

std::string SafeDirName(const std::string& id) {
  std::string out;
  for (char c : id) {
    out += (c == '/' || c == '#' || c == ' ') ? '_' : c;
  }
  return out;
}

}  // namespace tigress::harness
