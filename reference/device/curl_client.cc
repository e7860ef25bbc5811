#include "reference/device/curl_client.h"

#include <array>
#include <cctype>
#include <fstream>
#include <mutex>
#include <strings.h>

#include <curl/curl.h>

namespace tigress::device {
namespace {

struct CurlEasyDeleter {
  void operator()(CURL* h) const { curl_easy_cleanup(h); }
};
struct CurlSlistDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};
using CurlEasy = std::unique_ptr<CURL, CurlEasyDeleter>;
using CurlSlist = std::unique_ptr<curl_slist, CurlSlistDeleter>;

std::size_t OnBody(char* data, std::size_t size, std::size_t n, void* user) {
  static_cast<std::string*>(user)->append(data, size * n);
  return size * n;
}

std::size_t OnHeader(char* data, std::size_t size, std::size_t n, void* user) {
  std::string_view line(data, size * n);
  auto* headers = static_cast<HeaderList*>(user);
  // A status line starts a new response (after a 100 Continue, say).
  if (line.rfind("HTTP/", 0) == 0) headers->clear();
  std::size_t colon = line.find(':');
  if (colon == std::string_view::npos) return size * n;
  std::string_view value = line.substr(colon + 1);
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && std::isspace(static_cast<unsigned char>(value.back())) != 0) {
    value.remove_suffix(1);
  }
  headers->emplace_back(std::string(line.substr(0, colon)), std::string(value));
  return size * n;
}

class CurlTransport final : public Transport {
 public:
  CurlTransport(TransportOptions options, CurlEasy easy)
      : options_(std::move(options)), easy_(std::move(easy)) {}

  Result<HttpResponse> Send(const HttpRequest& request) override {
    CURL* h = easy_.get();
    curl_easy_reset(h);
    HttpResponse response;
    // Errors name the request without its query: under the fragment-to-relay
    // fault the query holds the Secret, and logs must not.
    auto what = [&] {
      return request.method + " " + request.url.substr(0, request.url.find('?')) + ": ";
    };
    curl_easy_setopt(h, CURLOPT_URL, request.url.c_str());
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "https");
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.timeout.count()));
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS,
                     static_cast<long>(options_.connect_timeout.count()));
    // The given CA is the only trust anchor: no CA directory, no system store.
    curl_easy_setopt(h, CURLOPT_CAINFO, options_.ca_file.c_str());
    curl_easy_setopt(h, CURLOPT_CAPATH, nullptr);
    curl_easy_setopt(h, CURLOPT_SSL_OPTIONS, 0L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, options_.verify_peer ? 1L : 0L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, options_.verify_peer ? 2L : 0L);
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    if (request.method == "POST" || request.method == "PUT" || !request.body.empty()) {
      curl_easy_setopt(h, CURLOPT_POSTFIELDS, request.body.data());
      curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE,
                       static_cast<curl_off_t>(request.body.size()));
    } else {
      curl_easy_setopt(h, CURLOPT_NOBODY, 0L);
    }
    // Expect: 100-continue would add a round trip; libcurl's default form
    // Content-Type must not leak onto JSON or empty bodies.
    CurlSlist list;
    auto append = [&list](const std::string& line) {
      curl_slist* next = curl_slist_append(list.get(), line.c_str());
      if (next == nullptr) return false;
      (void)list.release();  // `next` is the same list, one node longer
      list.reset(next);
      return true;
    };
    bool ok = append("Expect:");
    bool has_type = false;
    for (const auto& [name, value] : request.headers) {
      if (strcasecmp(name.c_str(), "Content-Type") == 0) has_type = true;
      std::string line = name;
      line += ": ";
      line += value;
      ok = ok && append(line);
    }
    if (!has_type) ok = ok && append("Content-Type:");
    if (!ok) return MakeError(Errc::kTransportFailure, what() + "out of memory building headers");
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, list.get());
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &OnBody);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &response.body);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, &OnHeader);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, &response.headers);
    std::array<char, CURL_ERROR_SIZE> error_buffer{};
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error_buffer.data());
    CURLcode rc = curl_easy_perform(h);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, nullptr);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, nullptr);
    if (rc != CURLE_OK) {
      std::string detail = error_buffer[0] != '\0' ? error_buffer.data() : curl_easy_strerror(rc);
      return MakeError(Errc::kTransportFailure, what() + detail);
    }
    long status = 0;  // NOLINT(google-runtime-int): curl's getinfo wants a long
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    response.status = static_cast<int>(status);
    return response;
  }

 private:
  TransportOptions options_;
  CurlEasy easy_;
};

}  // namespace

Result<std::unique_ptr<Transport>> MakeCurlTransport(const TransportOptions& options) {
  std::ifstream probe(options.ca_file);
  if (options.ca_file.empty() || !probe) {
    return MakeError(Errc::kDeviceUsage, "caFile '" + options.ca_file + "' cannot be read");
  }
  static std::once_flag init_once;
  std::call_once(init_once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  CurlEasy easy(curl_easy_init());
  if (!easy) return MakeError(Errc::kTransportFailure, "curl_easy_init failed");
  return std::unique_ptr<Transport>(new CurlTransport(options, std::move(easy)));
}

}  // namespace tigress::device
