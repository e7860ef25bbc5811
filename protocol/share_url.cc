#include "protocol/share_url.h"

#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>

#include "protocol/uuid.h"

namespace tigress {
namespace {

namespace urls = boost::urls;

bool IsKnownVertical(std::string_view v) { return v == "a" || v == "h" || v == "c"; }

bool IsApiVersion(std::string_view seg) {
  if (seg.size() < 2 || seg[0] != 'v') return false;
  for (std::size_t i = 1; i < seg.size(); ++i) {
    if (seg[i] < '0' || seg[i] > '9') return false;
  }
  return true;
}

std::vector<std::string_view> SplitPath(std::string_view path) {
  std::vector<std::string_view> out;
  std::size_t start = 1;  // skip the leading '/'
  while (true) {
    const auto slash = path.find('/', start);
    out.push_back(path.substr(start, slash == std::string_view::npos ? slash : slash - start));
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return out;
}

Result<urls::url_view> ParseAbsolute(std::string_view url) {
  auto parsed = urls::parse_uri(url);
  if (!parsed) {
    return MakeError(Errc::kUrlInvalid, "not an absolute URI: " + parsed.error().message());
  }
  return *parsed;
}

}  // namespace

std::string ShareUrl::ResourceUrl() const {
  return RelayBaseUrl() + "/" + api_version + "/m/" + mailbox_id;
}

std::string ShareUrl::RelayBaseUrl() const { return "https://" + relay_host; }

Result<ShareUrl> ParseShareUrl(std::string_view url) {
  TIGRESS_ASSIGN_OR_RETURN(urls::url_view u, ParseAbsolute(url));
  if (u.scheme_id() != urls::scheme::https) {
    return MakeError(Errc::kUrlNotHttps, "scheme is '" + std::string(u.scheme()) +
                                             "', a Share URL must use https");
  }
  if (!u.has_authority() || u.encoded_host().empty()) {
    return MakeError(Errc::kUrlBadHost, "the URL has no host");
  }
  if (u.has_userinfo()) {
    return MakeError(Errc::kUrlBadHost, "the URL carries user information before the host");
  }
  if (u.has_port() && u.port_number() == 0) {
    return MakeError(Errc::kUrlBadHost, "port '" + std::string(u.port()) + "' is not valid");
  }
  ShareUrl out;
  out.relay_host = std::string(u.encoded_host_and_port());

  const std::string_view path = u.encoded_path();
  const auto segs = path.empty() ? std::vector<std::string_view>{} : SplitPath(path);
  if (segs.size() != 3 || !IsApiVersion(segs[0]) || segs[1] != "m") {
    return MakeError(Errc::kUrlBadPath, "path '" + std::string(path.substr(0, 80)) +
                                            "' is not /v<N>/m/<mailbox-id>");
  }
  out.api_version = std::string(segs[0]);
  if (!IsUuid(segs[2])) {
    return MakeError(Errc::kUrlBadMailboxId,
                     "mailbox id '" + std::string(segs[2].substr(0, 60)) + "' is not a UUID");
  }
  out.mailbox_id = std::string(segs[2]);

  // An empty query is skipped: Boost.URL 1.81 crashes iterating the params of "?#".
  if (u.has_query() && !u.encoded_query().empty()) {
    for (const auto& param : u.params()) {
      if (param.key != "v") continue;  // other parameters are undefined; ignored (C-34)
      if (!param.has_value || !IsKnownVertical(param.value)) {
        return MakeError(Errc::kUrlBadVertical, "query parameter v='" +
                                                    std::string(param.value).substr(0, 20) +
                                                    "' is not a, h or c");
      }
      out.vertical = param.value;
    }
  }

  if (u.has_fragment()) {
    const std::string fragment = u.fragment();  // percent-decoded; '+' stays '+'
    auto key = Base64DecodeLenient(fragment);
    if (!key) {
      return MakeError(Errc::kUrlBadSecret, "fragment is not base64: " + key.error().detail);
    }
    if (key->size() != 16 && key->size() != 32) {
      return MakeError(Errc::kUrlBadSecret, "fragment decodes to " +
                                                std::to_string(key->size()) +
                                                " octets; a Secret is 16 or 32");
    }
    out.secret = std::move(*key);
  }
  return out;
}

Result<std::string> StripFragment(std::string_view url) {
  const auto hash = url.find('#');
  const std::string_view kept = url.substr(0, hash);
  TIGRESS_RETURN_IF_ERROR(ParseAbsolute(kept));
  return std::string(kept);
}

Result<std::string> BuildShareUrl(std::string_view url_link,
                                  const std::optional<std::string>& vertical,
                                  const std::optional<Bytes>& secret) {
  TIGRESS_ASSIGN_OR_RETURN(urls::url_view link, ParseAbsolute(url_link));
  urls::url u(link);
  if (vertical) {
    if (!IsKnownVertical(*vertical)) {
      return MakeError(Errc::kUrlBadVertical,
                       "vertical '" + vertical->substr(0, 20) + "' is not a, h or c");
    }
    if (u.encoded_query().empty()) u.remove_query();  // "?#": see ParseShareUrl
    u.params().set("v", *vertical);
  }
  if (secret) {
    if (secret->size() != 16 && secret->size() != 32) {
      return MakeError(Errc::kUrlBadSecret,
                       "a Secret is 16 or 32 octets, got " + std::to_string(secret->size()));
    }
    // '+', '/' and '=' are legal in a fragment, so standard base64 goes in as is.
    u.set_encoded_fragment(Base64Encode(*secret));
  }
  return std::string(u.buffer());
}

Result<std::string> MailboxUrl(std::string_view relay_base_url, std::string_view mailbox_id) {
  TIGRESS_ASSIGN_OR_RETURN(urls::url_view base, ParseAbsolute(relay_base_url));
  if (!IsUuid(mailbox_id)) {
    return MakeError(Errc::kUrlBadMailboxId,
                     "mailbox id '" + std::string(mailbox_id.substr(0, 60)) + "' is not a UUID");
  }
  std::string out(base.scheme());
  out += "://";
  out += base.encoded_host_and_port();
  std::string prefix(base.encoded_path());
  while (!prefix.empty() && prefix.back() == '/') prefix.pop_back();
  out += prefix + "/v1/m/" + std::string(mailbox_id);
  return out;
}

}  // namespace tigress
