// File: protocol/share_url.h
//
// The Share URL (spec-catalog A.9, interpretations C-26, C-27, C-33):
//   https://{host[:port]}/v{N}/m/{mailbox-uuid}[?v={a|h|c}][#{Secret}]
// Parsed and built with Boost.URL.
//
//   ShareUrl u = ParseShareUrl(
//       "https://relayserver.example.com/v1/m/2bba630e-519b-11ec-bf63-0242ac130002"
//       "?v=c#hXlr6aRC7KgJpOLTNZaLsw==").value();
//   u.relay_host == "relayserver.example.com"; u.api_version == "v1";
//   u.vertical == "c"; u.secret->size() == 16
//   StripFragment(url) drops "#…" and keeps the query.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "protocol/encoding.h"

namespace tigress {

// `ShareUrl` is a parsed Share URL.
struct ShareUrl {
  std::string relay_host;               // authority: host, and ":port" when present
  std::string api_version;              // path segment as written, "v1"
  std::string mailbox_id;               // UUID text as written
  std::optional<std::string> vertical;  // `v` query value ("a", "h", "c"); absent = general
  std::optional<Bytes> secret;          // decoded fragment; absent when no fragment

  // `ResourceUrl` is the mailbox's API URL: https://host/v1/m/id (no query,
  // no fragment).
  std::string ResourceUrl() const;
  // `RelayBaseUrl` is https://host[:port].
  std::string RelayBaseUrl() const;
};

// `ParseShareUrl` parses and validates a Share URL. The fragment may hold the
// Secret in standard or URL-safe base64, padded or not, percent-encoded; it
// must decode to 16 or 32 octets. The mailbox id may be any RFC 4122 UUID
// (C-25: the draft's own example is version 1).
// Errors, each naming the part that is wrong: kUrlInvalid, kUrlNotHttps,
// kUrlBadHost, kUrlBadPath, kUrlBadMailboxId, kUrlBadVertical, kUrlBadSecret.
Result<ShareUrl> ParseShareUrl(std::string_view url);

// `StripFragment` removes the fragment (and its '#') and keeps everything
// else byte for byte. Errors: kUrlInvalid.
Result<std::string> StripFragment(std::string_view url);

// `SecretDelivery` says where the Secret travels.
enum class SecretDelivery { kFragment, kSeparate };

// `BuildShareUrl` makes a Share URL from the relay's `url_link` (kept as
// returned, URL-10), an optional vertical and an optional Secret (standard
// padded base64 in the fragment, C-27). Errors: kUrlInvalid,
// kUrlBadVertical, kUrlBadSecret (not 16 or 32 octets).
Result<std::string> BuildShareUrl(std::string_view url_link,
                                  const std::optional<std::string>& vertical,
                                  const std::optional<Bytes>& secret);

// `MailboxUrl` is `relay_base_url` + "/v1/m/" + id, for building from parts
// (adapter method shareUrl.build). Errors: kUrlInvalid, kUrlBadMailboxId.
Result<std::string> MailboxUrl(std::string_view relay_base_url, std::string_view mailbox_id);

}  // namespace tigress
