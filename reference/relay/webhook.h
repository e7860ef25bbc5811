// File: reference/relay/webhook.h
//
// `WebhookNotifier`: the PushNotifier for tokens of type "webhook". Each
// notification is an HTTPS POST to the token's URL with the body it is given:
// empty, because the call itself is the whole message (nothing about the
// mailbox is sent; only the push-with-payload fault gives a body). Posts
// run on one worker thread with libcurl, verifying the receiver's certificate
// against the system store or the CA file given; a failed post is logged
// (host only) and dropped.
//
//   WebhookNotifier notifier({.ca_file = "ca.pem"});
//   notifier.Notify({"webhook", "https://127.0.0.1:4443/push/abc"}, "");
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "reference/relay/relay_service.h"

namespace tigress::relay {

struct WebhookOptions {
  std::string ca_file;  // PEM trust anchors; empty: the system store
  std::chrono::milliseconds timeout = std::chrono::seconds(5);
  std::size_t max_queue = 1024;  // more pending posts are dropped
  LogSink log;                   // default: stderr
};

class WebhookNotifier final : public PushNotifier {
 public:
  explicit WebhookNotifier(WebhookOptions options);
  // Stops the worker after at most the post in flight (bounded by `timeout`);
  // queued posts that have not started are dropped.
  ~WebhookNotifier() override;
  WebhookNotifier(const WebhookNotifier&) = delete;
  WebhookNotifier& operator=(const WebhookNotifier&) = delete;

  void Notify(const NotificationToken& token, std::string_view body) override;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tigress::relay
