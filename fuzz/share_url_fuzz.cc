// Fuzz target: the Share URL parser (protocol/share_url.h). Besides not
// crashing, a URL it accepts keeps its promises: a Secret of 16 or 32 octets,
// StripFragment keeps the same mailbox, and a Share URL built again from the
// parsed parts reads back as the same parts.
#include "fuzz/fuzz_check.h"
#include "protocol/share_url.h"
#include "protocol/uuid.h"

namespace {

using tigress::ShareUrl;

bool SameParts(const ShareUrl& a, const ShareUrl& b) {
  return a.relay_host == b.relay_host && a.api_version == b.api_version &&
         a.mailbox_id == b.mailbox_id && a.vertical == b.vertical;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view url = tigress::fuzz::Text(data, size);
  (void)tigress::StripFragment(url);
  auto parsed = tigress::ParseShareUrl(url);
  if (!parsed) return 0;
  const ShareUrl& u = *parsed;
  FUZZ_CHECK(!u.secret || u.secret->size() == 16 || u.secret->size() == 32,
             "an accepted Secret is 16 or 32 octets");
  FUZZ_CHECK(tigress::IsUuid(u.mailbox_id), "an accepted mailbox id is a UUID");

  auto stripped = tigress::StripFragment(url);
  FUZZ_CHECK(stripped.has_value(), "an accepted URL has a fragment that can be stripped");
  auto bare = tigress::ParseShareUrl(*stripped);
  FUZZ_CHECK(bare.has_value() && SameParts(*bare, u) && !bare->secret,
             "the URL without its fragment names the same mailbox and no Secret");

  auto rebuilt = tigress::BuildShareUrl(u.ResourceUrl(), u.vertical, u.secret);
  FUZZ_CHECK(rebuilt.has_value(), "the parsed parts build a Share URL again");
  auto again = tigress::ParseShareUrl(*rebuilt);
  FUZZ_CHECK(again.has_value() && SameParts(*again, u) && again->secret == u.secret,
             "a rebuilt Share URL reads back as the same parts");
  return 0;
}
