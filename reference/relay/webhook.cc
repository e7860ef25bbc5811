#include "reference/relay/webhook.h"

#include <condition_variable>
#include <deque>
#include <iostream>
#include <mutex>
#include <thread>

#include "common/http_client.h"

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
    http::Request request;  // https only, no redirects: the client's defaults
    request.method = "POST";
    request.url = url;
    if (!body.empty()) request.headers.emplace_back("Content-Type", "application/json");
    request.body = body;
    request.timeout = options.timeout;
    auto response = client.Send(request);
    options.log("relay: push to " + HostPart(url) + " " +
                (response ? std::to_string(response->status)
                          : std::string("failed: ") + response.error().Message()));
  }
  // One fresh connection per push: a push endpoint belongs to whoever the
  // device named, so nothing is kept open to it.
  http::Client client{http::ClientOptions{}};
};

WebhookNotifier::WebhookNotifier(WebhookOptions options) : impl_(std::make_unique<Impl>()) {
  impl_->options = std::move(options);
  // No --webhook-ca: push endpoints are public services, checked against the
  // system's store.
  impl_->client = http::Client(http::ClientOptions{
      .trust = {.ca_file = impl_->options.ca_file, .system_store = impl_->options.ca_file.empty()}});
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
