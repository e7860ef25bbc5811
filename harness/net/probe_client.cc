#include "harness/net/probe_client.h"

#include <algorithm>
#include <cstdint>

#include "common/http_client.h"

namespace tigress::harness {

namespace {

// The probe's wire policy over the shared client: http allowed (the TLS-only
// checks), paths as written, HTTP/1.1 only, 100-continue for large bodies,
// and an absent body on POST, PUT and PATCH sent as Content-Length: 0 rather
// than no length at all.
http::Request ToShared(const HttpRequest& request) {
  http::Request out{.method = request.method,
                    .url = request.url,
                    .headers = request.headers,
                    .body = request.body,
                    .timeout = request.timeout,
                    .connect_timeout = std::chrono::milliseconds(
                        std::min<std::int64_t>(request.timeout.count(), 5000)),
                    .allow_http = true,
                    .path_as_is = true,
                    .http1_only = true,
                    .expect_continue_from = kExpectContinueThreshold,
                    .chunk_size = request.chunk_size,
                    .chunk_pause = request.chunk_pause,
                    .abort_after = request.abort_after,
                    .connect_only = request.connect_only,
                    .tls_max = request.tls_max};
  if (!out.body &&
      (request.method == "POST" || request.method == "PUT" || request.method == "PATCH")) {
    out.body.emplace();
  }
  return out;
}

}  // namespace

std::string StripFragment(const std::string& url) { return http::StripFragment(url); }

ProbeClient::ProbeClient(std::string ca_file) : ca_file_(std::move(ca_file)) {}

Result<HttpResponse> ProbeClient::Send(const HttpRequest& request) const {
  const http::Client client({.trust = {.ca_file = ca_file_}});
  TIGRESS_ASSIGN_OR_RETURN(http::Response shared, client.Send(ToShared(request)));
  return HttpResponse{.status = shared.status,
                      .http_version = std::move(shared.http_version),
                      .headers = std::move(shared.headers),
                      .body = std::move(shared.body),
                      .elapsed_ms = shared.elapsed_ms,
                      .transport_note = std::move(shared.transport_note)};
}

}  // namespace tigress::harness
