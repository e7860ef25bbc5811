// File: reference/relay/webhook_allow.h
//
// `WebhookAllowList`: which webhook URLs the relay may call (--webhook-allow).
// An entry and a candidate URL are both parsed with libcurl's URL API (the
// parser the notifier's requests go through), then compared part by part:
// scheme (https only), host (case-insensitive) and port exactly, with the
// default port made explicit; the candidate's path must equal the entry's
// path or continue it after a `/` (segment boundary). A URL with userinfo
// (`user@`, `user:pass@`) is refused, entry or candidate, and so is a
// candidate path with an encoded dot, slash or backslash (%2e, %2f, %5c),
// which a receiver could decode into another path than the one compared.
//
//   auto allow = WebhookAllowList::Parse({"https://hooks.example/push/"}).value();
//   allow.Allows("https://hooks.example/push/abc");             // true
//   allow.Allows("https://hooks.example.evil.com/push/abc");    // false: host
//   allow.Allows("https://hooks.example@10.0.0.5/push/abc");    // false: userinfo
//   allow.Allows("https://hooks.example/pushy");                // false: segment
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "protocol/result.h"

namespace tigress::relay {

// `WebhookUrl` is a URL reduced to the parts the allow-list compares.
struct WebhookUrl {
  std::string scheme;  // lower case
  std::string host;    // lower case; an IPv6 literal keeps its brackets
  std::string port;    // always explicit ("443" for https without a port)
  std::string path;    // dot segments removed, never empty ("/")
};

// `ParseWebhookUrl` parses `url` as an https URL without userinfo. Errors:
// kFieldInvalid saying which part is wrong.
Result<WebhookUrl> ParseWebhookUrl(std::string_view url);

class WebhookAllowList {
 public:
  WebhookAllowList() = default;

  // `Parse` reads every entry. Errors: kFieldInvalid naming the first entry
  // that is not an https URL without userinfo.
  static Result<WebhookAllowList> Parse(const std::vector<std::string>& entries);

  // `Allows` tells whether `url` falls under one of the entries.
  bool Allows(std::string_view url) const;

  bool empty() const { return entries_.empty(); }

 private:
  std::vector<WebhookUrl> entries_;
};

}  // namespace tigress::relay
