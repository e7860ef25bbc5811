#include "harness/net/probe_client.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>
#include <mutex>
#include <optional>
#include <string_view>
#include <strings.h>
#include <thread>

#include <curl/curl.h>

namespace tigress::harness {

namespace {

std::once_flag g_curl_init;

std::size_t OnBody(char* data, std::size_t size, std::size_t n, void* user) {
  static_cast<std::string*>(user)->append(data, size * n);
  return size * n;
}

// Where header lines go; `complete` tells a cut-off header section apart.
struct HeaderSink {
  HttpResponse* resp = nullptr;
  bool complete = false;
};

std::size_t OnHeader(char* data, std::size_t size, std::size_t n, void* user) {
  auto* sink = static_cast<HeaderSink*>(user);
  HttpResponse* resp = sink->resp;
  std::string line(data, size * n);
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) {
    line.pop_back();
  }
  if (line.rfind("HTTP/", 0) == 0) {
    // A new response (e.g. after a 100 Continue): start over.
    resp->headers.clear();
    resp->http_version = line.substr(0, line.find(' '));
    sink->complete = false;
    return size * n;
  }
  if (line.empty()) {
    sink->complete = true;
    return size * n;
  }
  auto colon = line.find(':');
  if (colon == std::string::npos) {
    return size * n;
  }
  std::string name = line.substr(0, colon);
  std::string value = line.substr(colon + 1);
  auto first = value.find_first_not_of(" \t");
  value = first == std::string::npos ? "" : value.substr(first);
  resp->headers.emplace_back(std::move(name), std::move(value));
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
  if (up->abort_after && up->sent >= *up->abort_after) {
    return CURL_READFUNC_ABORT;
  }
  if (up->sent > 0 && up->pause.count() > 0) {
    std::this_thread::sleep_for(up->pause);
  }
  std::size_t want = size * n;
  if (up->chunk > 0) {
    want = std::min(want, up->chunk);
  }
  if (up->abort_after) {
    want = std::min(want, *up->abort_after - up->sent);
  }
  want = std::min(want, up->body->size() - up->sent);
  std::memcpy(buffer, up->body->data() + up->sent, want);
  up->sent += want;
  return want;
}

bool IsHeader(const std::string& name, std::string_view wanted) {
  return name.size() == wanted.size() &&
         strncasecmp(name.c_str(), wanted.data(), wanted.size()) == 0;
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

}  // namespace

std::string StripFragment(const std::string& url) { return url.substr(0, url.find('#')); }

ProbeClient::ProbeClient(std::string ca_file) : ca_file_(std::move(ca_file)) {
  std::call_once(g_curl_init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

Result<HttpResponse> ProbeClient::Send(const HttpRequest& request) const {
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), &curl_easy_cleanup);
  if (!curl) {
    return MakeError(Errc::kHttpTransport, "curl_easy_init failed");
  }
  CURL* h = curl.get();
  HttpResponse resp;
  const std::string url = StripFragment(request.url);

  curl_slist* raw_headers = nullptr;
  bool has_content_type = false;
  bool has_expect = false;
  for (const auto& [name, value] : request.headers) {
    // "Name;" is curl's way to send a header with an empty value.
    std::string line = value.empty() ? name + ";" : name + ": " + value;
    raw_headers = curl_slist_append(raw_headers, line.c_str());
    has_content_type = has_content_type || IsHeader(name, "Content-Type");
    has_expect = has_expect || IsHeader(name, "Expect");
  }
  if (!has_expect) {
    // An explicit "Expect: 100-continue" makes curl wait for the interim
    // answer whatever the size; "Expect:" removes curl's own.
    const bool large = request.body && request.body->size() >= kExpectContinueThreshold;
    raw_headers = curl_slist_append(raw_headers, large ? "Expect: 100-continue" : "Expect:");
  }
  if (!has_content_type) {
    raw_headers = curl_slist_append(raw_headers, "Content-Type:");
  }
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> headers(raw_headers,
                                                                      &curl_slist_free_all);

  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  if (request.method == "HEAD") {
    curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
  }
  Upload upload{.body = request.body ? &*request.body : nullptr,
                .chunk = request.chunk_size,
                .pause = request.chunk_pause,
                .abort_after = request.abort_after};
  if (request.body && (request.chunk_size > 0 || request.abort_after)) {
    curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(request.body->size()));
    curl_easy_setopt(h, CURLOPT_READFUNCTION, OnRead);
    curl_easy_setopt(h, CURLOPT_READDATA, &upload);
  } else if (request.body) {
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, request.body->data());
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body->size()));
  } else if (request.method == "POST" || request.method == "PUT" || request.method == "PATCH") {
    // An empty body with Content-Length: 0, rather than curl waiting on stdin.
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, "");
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(0));
  }
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(h, CURLOPT_CAINFO, ca_file_.c_str());
  curl_easy_setopt(h, CURLOPT_CAPATH, nullptr);
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
  // http only when the scenario's URL says so (the TLS-only checks); dot
  // segments and encoded slashes go out as written.
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "https,http");
  curl_easy_setopt(h, CURLOPT_PATH_AS_IS, 1L);
  curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_FORBID_REUSE, 1L);
  curl_easy_setopt(h, CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_1_1);
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(request.timeout.count()));
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(std::min<std::int64_t>(request.timeout.count(), 5000)));
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, OnBody);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &resp.body);
  curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, OnHeader);
  HeaderSink header_sink{.resp = &resp};
  curl_easy_setopt(h, CURLOPT_HEADERDATA, &header_sink);
  char errbuf[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);

  if (!request.tls_max.empty()) {
    long version = CURL_SSLVERSION_MAX_DEFAULT;
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
  if (request.connect_only.count() > 0) {
    curl_easy_setopt(h, CURLOPT_CONNECT_ONLY, 1L);
  }
  CURLcode rc = curl_easy_perform(h);
  if (rc == CURLE_OK && request.connect_only.count() > 0) {
    std::this_thread::sleep_for(request.connect_only);
    return MakeError(Errc::kHttpTransport, "connect only: connection opened, idle for " +
                                               std::to_string(request.connect_only.count()) +
                                               " ms, closed without a request");
  }
  double total = 0;
  curl_easy_getinfo(h, CURLINFO_TOTAL_TIME, &total);
  resp.elapsed_ms = total * 1000.0;
  long status = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
  resp.status = static_cast<int>(status);
  if (rc != CURLE_OK) {
    const std::string reason = std::string(curl_easy_strerror(rc)) +
                               (errbuf[0] != 0 ? std::string(" (") + errbuf + ")" : std::string());
    // A 1xx is only an interim answer: without a final status there is no
    // response to judge. A timeout stays an error even after a status: the
    // step's time bound is part of what it checks.
    if (rc == CURLE_OPERATION_TIMEDOUT || status < 200) {
      return MakeError(Errc::kHttpTransport, request.method + " " + url + ": " + reason);
    }
    resp.transport_note = TransportNote(rc) + ": " + reason;
    if (!header_sink.complete) {
      resp.transport_note += "; the header section was cut off";
    }
  }
  return resp;
}

}  // namespace tigress::harness
