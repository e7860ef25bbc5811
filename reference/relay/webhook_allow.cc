#include "reference/relay/webhook_allow.h"

#include <algorithm>
#include <memory>
#include <optional>

#include <curl/curl.h>

#include "protocol/text.h"

namespace tigress::relay {
namespace {

using UrlHandle = std::unique_ptr<CURLU, decltype(&curl_url_cleanup)>;

// One part of a parsed URL; nullopt when the URL has no such part.
std::optional<std::string> Part(CURLU* url, CURLUPart part, unsigned flags = 0) {
  char* value = nullptr;
  if (curl_url_get(url, part, &value, flags) != CURLUE_OK || value == nullptr) return std::nullopt;
  std::string out(value);
  curl_free(value);
  return out;
}

// The URL itself stays out of the message: its path is often a device secret.
Error Invalid(std::string_view why) {
  return MakeError(Errc::kFieldInvalid, "webhook URL: " + std::string(why));
}

bool HasEncodedSeparator(std::string_view path) {
  for (std::string_view bad : {"%2e", "%2f", "%5c"}) {
    for (std::size_t i = 0; i + bad.size() <= path.size(); ++i) {
      if (text::EqualsIgnoreCase(path.substr(i, bad.size()), bad)) return true;
    }
  }
  return false;
}

// `under` is an entry's path: "/" allows everything, "/push" and "/push/"
// allow "/push" and whatever follows "/push/".
bool PathIsUnder(std::string_view path, std::string_view under) {
  while (!under.empty() && under.back() == '/') under.remove_suffix(1);
  if (path.substr(0, under.size()) != under) return false;
  return path.size() == under.size() || path[under.size()] == '/';
}

}  // namespace

Result<WebhookUrl> ParseWebhookUrl(std::string_view url) {
  UrlHandle handle(curl_url(), &curl_url_cleanup);
  if (!handle) return MakeError(Errc::kFieldInvalid, "webhook URL: out of memory");
  // No CURLU_GUESS_SCHEME and no CURLU_NON_SUPPORT_SCHEME: the text must name
  // its scheme and curl must know it.
  if (curl_url_set(handle.get(), CURLUPART_URL, std::string(url).c_str(), 0) != CURLUE_OK) {
    return Invalid("is not a URL");
  }
  WebhookUrl out;
  out.scheme = text::ToLowerAscii(Part(handle.get(), CURLUPART_SCHEME).value_or(""));
  if (out.scheme != "https") return Invalid("is not https");
  if (Part(handle.get(), CURLUPART_USER) || Part(handle.get(), CURLUPART_PASSWORD) ||
      Part(handle.get(), CURLUPART_OPTIONS)) {
    return Invalid("carries userinfo");
  }
  out.host = text::ToLowerAscii(Part(handle.get(), CURLUPART_HOST).value_or(""));
  if (out.host.empty()) return Invalid("has no host");
  out.port = Part(handle.get(), CURLUPART_PORT, CURLU_DEFAULT_PORT).value_or("");
  out.path = Part(handle.get(), CURLUPART_PATH).value_or("/");
  if (out.path.empty()) out.path = "/";
  return out;
}

Result<WebhookAllowList> WebhookAllowList::Parse(const std::vector<std::string>& entries) {
  WebhookAllowList list;
  for (const std::string& entry : entries) {
    Result<WebhookUrl> parsed = ParseWebhookUrl(entry);
    if (!parsed) {
      return MakeError(Errc::kFieldInvalid,
                       "--webhook-allow '" + entry + "': " + parsed.error().detail);
    }
    list.entries_.push_back(std::move(*parsed));
  }
  return list;
}

bool WebhookAllowList::Allows(std::string_view url) const {
  if (entries_.empty()) return false;
  Result<WebhookUrl> candidate = ParseWebhookUrl(url);
  if (!candidate || HasEncodedSeparator(candidate->path)) return false;
  return std::any_of(entries_.begin(), entries_.end(), [&](const WebhookUrl& entry) {
    return entry.scheme == candidate->scheme && entry.host == candidate->host &&
           entry.port == candidate->port && PathIsUnder(candidate->path, entry.path);
  });
}

}  // namespace tigress::relay
