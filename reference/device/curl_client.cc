#include "reference/device/curl_client.h"

#include <fstream>

#include "common/http_client.h"

namespace tigress::device {
namespace {

// The device's policy over the shared client: https only, one kept-alive
// connection, no Expect round trip, errors without the URL's query (under the
// fragment-to-relay fault it holds the Secret), and a response whose
// transport failed part-way is no response at all.
class CurlTransport final : public Transport {
 public:
  explicit CurlTransport(const TransportOptions& options)
      : options_(options),
        client_({.trust = {.ca_file = options.ca_file, .verify_peer = options.verify_peer},
                 .keep_alive = true,
                 .redact_query = true}) {}

  Result<HttpResponse> Send(const HttpRequest& request) override {
    http::Request shared{.method = request.method,
                         .url = request.url,
                         .timeout = options_.timeout,
                         .connect_timeout = options_.connect_timeout};
    for (const auto& header : request.headers) {
      // An empty value was never sent (libcurl drops "Name: "); an unset
      // claim must stay absent rather than arrive empty.
      if (!header.second.empty()) shared.headers.push_back(header);
    }
    // POST and PUT always carry a length (Content-Length: 0 when empty);
    // DELETE and PATCH only when there is a body.
    if (request.method == "POST" || request.method == "PUT" || !request.body.empty()) {
      shared.body = request.body;
    }
    Result<http::Response> got = client_.Send(shared);
    if (!got) return MakeError(Errc::kTransportFailure, got.error().detail);
    if (!got->transport_note.empty()) {
      return MakeError(Errc::kTransportFailure, request.method + " " +
                                                    request.url.substr(0, request.url.find('?')) +
                                                    ": " + got->transport_note);
    }
    HttpResponse response{.status = got->status, .headers = {}, .body = std::move(got->body)};
    for (auto& [name, value] : got->headers) {
      value.erase(value.find_last_not_of(" \t") + 1);  // the device ignores trailing blanks
      response.headers.emplace_back(std::move(name), std::move(value));
    }
    return response;
  }

 private:
  TransportOptions options_;
  http::Client client_;
};

}  // namespace

Result<std::unique_ptr<Transport>> MakeCurlTransport(const TransportOptions& options) {
  std::ifstream probe(options.ca_file);
  if (options.ca_file.empty() || !probe) {
    return MakeError(Errc::kDeviceUsage, "caFile '" + options.ca_file + "' cannot be read");
  }
  return std::unique_ptr<Transport>(new CurlTransport(options));
}

}  // namespace tigress::device
