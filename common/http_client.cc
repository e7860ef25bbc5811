#include "common/http_client.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <mutex>
#include <thread>
#include <utility>

#include <curl/curl.h>

namespace tigress::http {

namespace {

using Easy = std::unique_ptr<CURL, decltype(&curl_easy_cleanup)>;
using Slist = std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)>;

std::once_flag g_curl_init;

std::size_t OnBody(char* data, std::size_t size, std::size_t n, void* user) {
  static_cast<std::string*>(user)->append(data, size * n);
  return size * n;
}

// Where header lines go; `complete` tells a cut-off header section apart.
struct HeaderSink {
  Response* resp = nullptr;
  bool complete = false;
};

std::size_t OnHeader(char* data, std::size_t size, std::size_t n, void* user) {
  auto* sink = static_cast<HeaderSink*>(user);
  std::string_view line(data, size * n);
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  if (line.rfind("HTTP/", 0) == 0) {
    // A new response (e.g. after a 100 Continue): start over.
    sink->resp->headers.clear();
    sink->resp->http_version = std::string(line.substr(0, line.find(' ')));
    sink->complete = false;
    return size * n;
  }
  if (line.empty()) {
    sink->complete = true;
    return size * n;
  }
  const std::size_t colon = line.find(':');
  if (colon == std::string_view::npos) return size * n;
  std::string_view value = line.substr(colon + 1);
  const std::size_t first = value.find_first_not_of(" \t");
  value = first == std::string_view::npos ? std::string_view() : value.substr(first);
  sink->resp->headers.emplace_back(std::string(line.substr(0, colon)), std::string(value));
  return size * n;
}

// The upload of a slow or abandoned body.
struct Upload {
  const std::string* body = nullptr;
  std::size_t sent = 0;
  std::size_t chunk = 0;  // 0: as much as curl asks for
  std::chrono::milliseconds pause{0};
  std::optional<std::size_t> abort_after;
};

std::size_t OnRead(char* buffer, std::size_t size, std::size_t n, void* user) {
  auto* up = static_cast<Upload*>(user);
  if (up->abort_after && up->sent >= *up->abort_after) return CURL_READFUNC_ABORT;
  if (up->sent > 0 && up->pause.count() > 0) std::this_thread::sleep_for(up->pause);
  std::size_t want = size * n;
  if (up->chunk > 0) want = std::min(want, up->chunk);
  if (up->abort_after) want = std::min(want, *up->abort_after - up->sent);
  want = std::min(want, up->body->size() - up->sent);
  std::memcpy(buffer, up->body->data() + up->sent, want);
  up->sent += want;
  return want;
}

// What happened to the transport after the status line arrived, in words a
// report reader can act on.
std::string TransportNote(CURLcode rc) {
  switch (rc) {
    case CURLE_SEND_ERROR:
      return "connection closed by the server while the request body was being sent";
    case CURLE_RECV_ERROR:
      return "connection failed while the response was being received";
    case CURLE_PARTIAL_FILE:
      return "connection closed before the whole response body arrived";
    case CURLE_GOT_NOTHING:
      return "connection closed before the response was complete";
    case CURLE_ABORTED_BY_CALLBACK:
      return "the probe abandoned the upload as the step asked";
    default:
      return "the exchange ended in a transport error after the response status arrived";
  }
}

// libcurl's header list for the request; nullptr when out of memory.
Slist BuildHeaders(const Request& request) {
  Slist list(nullptr, &curl_slist_free_all);
  bool ok = true;
  auto append = [&](const std::string& line) {
    curl_slist* next = curl_slist_append(list.get(), line.c_str());
    ok = ok && next != nullptr;
    if (next != nullptr) {
      (void)list.release();  // `next` is the same list, one node longer
      list.reset(next);
    }
  };
  bool has_content_type = false;
  bool has_expect = false;
  for (const auto& [name, value] : request.headers) {
    // "Name;" is curl's way to send a header with an empty value.
    append(value.empty() ? name + ";" : name + ": " + value);
    has_content_type = has_content_type || text::EqualsIgnoreCase(name, "Content-Type");
    has_expect = has_expect || text::EqualsIgnoreCase(name, "Expect");
  }
  if (!has_expect) {
    // "Expect:" removes curl's own; an explicit 100-continue makes curl wait
    // for the interim answer whatever the size.
    const bool large = request.body && request.expect_continue_from &&
                       request.body->size() >= *request.expect_continue_from;
    append(large ? "Expect: 100-continue" : "Expect:");
  }
  if (!has_content_type) append("Content-Type:");
  if (!ok) list.reset();
  return list;
}

void SetBody(CURL* h, const Request& request, Upload* upload) {
  if (request.method == "HEAD") curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
  if (!request.body) return;
  if (request.chunk_size > 0 || request.abort_after) {
    *upload = Upload{.body = &*request.body,
                     .chunk = request.chunk_size,
                     .pause = request.chunk_pause,
                     .abort_after = request.abort_after};
    curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(request.body->size()));
    curl_easy_setopt(h, CURLOPT_READFUNCTION, OnRead);
    curl_easy_setopt(h, CURLOPT_READDATA, upload);
    return;
  }
  curl_easy_setopt(h, CURLOPT_POSTFIELDS, request.body->data());
  curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body->size()));
}

void SetTls(CURL* h, const ClientOptions& options, const Request& request, curl_blob* blob) {
  const Trust& trust = options.trust;
  if (!trust.ca_file.empty()) {
    curl_easy_setopt(h, CURLOPT_CAINFO, trust.ca_file.c_str());
    curl_easy_setopt(h, CURLOPT_CAPATH, nullptr);
  } else if (!trust.ca_pem.empty() || !trust.system_store) {
    *blob = curl_blob{const_cast<char*>(trust.ca_pem.data()), trust.ca_pem.size(), CURL_BLOB_COPY};
    curl_easy_setopt(h, CURLOPT_CAINFO_BLOB, blob);
    curl_easy_setopt(h, CURLOPT_CAPATH, nullptr);
  }  // else libcurl's defaults: the system's CA bundle and directory
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, trust.verify_peer ? 1L : 0L);
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, trust.verify_peer ? 2L : 0L);
  if (request.tls_max.empty()) return;
  long version = CURL_SSLVERSION_MAX_DEFAULT;  // NOLINT(google-runtime-int): curl wants a long
  if (request.tls_max == "1.0") {
    version = CURL_SSLVERSION_MAX_TLSv1_0;
  } else if (request.tls_max == "1.1") {
    version = CURL_SSLVERSION_MAX_TLSv1_1;
  } else if (request.tls_max == "1.2") {
    version = CURL_SSLVERSION_MAX_TLSv1_2;
  } else if (request.tls_max == "1.3") {
    version = CURL_SSLVERSION_MAX_TLSv1_3;
  }
  if (request.tls_max == "1.0" || request.tls_max == "1.1") {
    version |= CURL_SSLVERSION_TLSv1_0;
    curl_easy_setopt(h, CURLOPT_SSL_CIPHER_LIST, "DEFAULT:@SECLEVEL=0");
  }
  curl_easy_setopt(h, CURLOPT_SSLVERSION, version);
}

// One exchange on `h` (fresh, or reset by the caller).
Result<Response> Perform(CURL* h, const ClientOptions& options, const Request& request) {
  Response resp;
  const std::string url = StripFragment(request.url);
  const std::string named =
      request.method + " " + (options.redact_query ? url.substr(0, url.find('?')) : url);
  Slist headers = BuildHeaders(request);
  if (!headers) return MakeError(Errc::kHttpTransport, named + ": out of memory building headers");

  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  Upload upload;
  SetBody(h, request, &upload);
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers.get());
  curl_blob ca_blob{};
  SetTls(h, options, request, &ca_blob);
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, request.allow_http ? "https,http" : "https");
  if (request.path_as_is) curl_easy_setopt(h, CURLOPT_PATH_AS_IS, 1L);
  if (request.http1_only) curl_easy_setopt(h, CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_1_1);
  curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  if (!options.keep_alive) curl_easy_setopt(h, CURLOPT_FORBID_REUSE, 1L);
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(request.timeout.count()));
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(request.connect_timeout.count()));
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, OnBody);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &resp.body);
  curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, OnHeader);
  HeaderSink header_sink{.resp = &resp};
  curl_easy_setopt(h, CURLOPT_HEADERDATA, &header_sink);
  std::array<char, CURL_ERROR_SIZE> errbuf{};
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf.data());
  if (request.connect_only.count() > 0) curl_easy_setopt(h, CURLOPT_CONNECT_ONLY, 1L);

  const CURLcode rc = curl_easy_perform(h);
  // A kept handle must not point at this frame's buffers once it returns.
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, nullptr);
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, nullptr);
  if (rc == CURLE_OK && request.connect_only.count() > 0) {
    std::this_thread::sleep_for(request.connect_only);
    return MakeError(Errc::kHttpTransport, "connect only: connection opened, idle for " +
                                               std::to_string(request.connect_only.count()) +
                                               " ms, closed without a request");
  }
  double total = 0;
  curl_easy_getinfo(h, CURLINFO_TOTAL_TIME, &total);
  resp.elapsed_ms = total * 1000.0;
  long status = 0;  // NOLINT(google-runtime-int): curl's getinfo wants a long
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
  resp.status = static_cast<int>(status);
  if (rc == CURLE_OK) return resp;
  const std::string reason =
      std::string(curl_easy_strerror(rc)) +
      (errbuf[0] != 0 ? std::string(" (") + errbuf.data() + ")" : std::string());
  // A 1xx is only an interim answer: without a final status there is no
  // response to judge.
  if (rc == CURLE_OPERATION_TIMEDOUT || status < 200) {
    return MakeError(Errc::kHttpTransport, named + ": " + reason);
  }
  resp.transport_note = TransportNote(rc) + ": " + reason;
  if (!header_sink.complete) resp.transport_note += "; the header section was cut off";
  return resp;
}

}  // namespace

struct Client::Connection {
  std::mutex mu;
  Easy easy{nullptr, &curl_easy_cleanup};
};

std::string StripFragment(const std::string& url) { return url.substr(0, url.find('#')); }

Client::Client(ClientOptions options) : options_(std::move(options)) {
  std::call_once(g_curl_init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  if (options_.keep_alive) {
    connection_ = std::make_unique<Connection>();
    connection_->easy.reset(curl_easy_init());
  }
}

Client::~Client() = default;
Client::Client(Client&&) noexcept = default;
Client& Client::operator=(Client&&) noexcept = default;

Result<Response> Client::Send(const Request& request) const {
  if (connection_) {
    std::lock_guard lock(connection_->mu);
    CURL* h = connection_->easy.get();
    if (h == nullptr) return MakeError(Errc::kHttpTransport, "curl_easy_init failed");
    // reset keeps the connection cache, so the connection is reused.
    curl_easy_reset(h);
    return Perform(h, options_, request);
  }
  Easy easy(curl_easy_init(), &curl_easy_cleanup);
  if (!easy) return MakeError(Errc::kHttpTransport, "curl_easy_init failed");
  return Perform(easy.get(), options_, request);
}

}  // namespace tigress::http
