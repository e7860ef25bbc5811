#include "reference/relay/webhook.h"

#include <condition_variable>
#include <deque>
#include <iostream>
#include <mutex>
#include <thread>

#include <curl/curl.h>

namespace tigress::relay {
namespace {

// Only scheme and authority reach the log: the path of a webhook URL is
// usually a per-device secret.
std::string HostPart(const std::string& url) {
  std::size_t start = url.find("://");
  start = start == std::string::npos ? 0 : start + 3;
  std::size_t end = url.find('/', start);
  return url.substr(0, end);
}

std::size_t Discard(char*, std::size_t size, std::size_t n, void*) { return size * n; }

}  // namespace

struct WebhookNotifier::Impl {
  WebhookOptions options;
  std::mutex mu;
  std::condition_variable cv;
  std::deque<std::pair<std::string, std::string>> queue;  // url, body
  bool stopping = false;
  std::thread worker;

  void Run() {
    for (;;) {
      std::pair<std::string, std::string> push;
      {
        std::unique_lock lock(mu);
        cv.wait(lock, [&] { return stopping || !queue.empty(); });
        if (stopping) return;
        push = std::move(queue.front());
        queue.pop_front();
      }
      Post(push.first, push.second);
    }
  }

  void Post(const std::string& url, const std::string& body) {
    std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), &curl_easy_cleanup);
    if (!curl) return;
    CURL* h = curl.get();
    curl_easy_setopt(h, CURLOPT_URL, url.c_str());
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "https");
    curl_easy_setopt(h, CURLOPT_POST, 1L);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, body.c_str());
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(options.timeout.count()));
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &Discard);
    if (!options.ca_file.empty()) curl_easy_setopt(h, CURLOPT_CAINFO, options.ca_file.c_str());
    struct curl_slist* headers = curl_slist_append(
        nullptr, body.empty() ? "Content-Type:" : "Content-Type: application/json");
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
    CURLcode rc = curl_easy_perform(h);
    long status = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    curl_slist_free_all(headers);
    options.log("relay: push to " + HostPart(url) + " " +
                (rc == CURLE_OK ? std::to_string(status)
                                : std::string("failed: ") + curl_easy_strerror(rc)));
  }
};

WebhookNotifier::WebhookNotifier(WebhookOptions options) : impl_(std::make_unique<Impl>()) {
  impl_->options = std::move(options);
  if (!impl_->options.log) {
    impl_->options.log = [](std::string_view line) { std::cerr << line << '\n' << std::flush; };
  }
  impl_->worker = std::thread([impl = impl_.get()] { impl->Run(); });
}

WebhookNotifier::~WebhookNotifier() {
  {
    std::lock_guard lock(impl_->mu);
    impl_->stopping = true;
  }
  impl_->cv.notify_all();
  impl_->worker.join();
}

void WebhookNotifier::Notify(const NotificationToken& token, std::string_view body) {
  {
    std::lock_guard lock(impl_->mu);
    if (impl_->queue.size() >= impl_->options.max_queue) return;
    impl_->queue.emplace_back(token.token_data, std::string(body));
  }
  impl_->cv.notify_one();
}

}  // namespace tigress::relay
