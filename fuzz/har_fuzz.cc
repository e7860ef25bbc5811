// Fuzz target: the HAR reader (harness/har/har.h, ReadHar). A transcript it
// accepts can be written again, and what WriteHar writes ReadHar reads back
// with the same exchanges: methods, URLs, statuses, headers and bodies (as
// octets, base64 or not).
#include <string>

#include "fuzz/fuzz_check.h"
#include "harness/har/har.h"

namespace {

namespace har = tigress::harness::har;

bool SameExchange(const har::Exchange& a, const har::Exchange& b) {
  return a.method == b.method && a.url == b.url && a.status == b.status &&
         a.request_headers == b.request_headers && a.response_headers == b.response_headers &&
         a.request_body == b.request_body && a.response_body == b.response_body;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto t = har::ReadHar(tigress::fuzz::Text(data, size));
  if (!t) return 0;
  for (tigress::Revision r : {tigress::Revision::kHttp00, tigress::Revision::kSct04}) {
    const har::Transcript view = har::CanonicalView(*t, tigress::RevisionOf(r));
    FUZZ_CHECK(view.exchanges.size() == t->exchanges.size(),
               "the canonical view keeps every exchange");
  }
  (void)har::SpokenRevisions(*t);

  const std::string written = har::WriteHar(*t);
  auto back = har::ReadHar(written);
  FUZZ_CHECK(back.has_value(), "ReadHar reads what WriteHar wrote");
  FUZZ_CHECK(back->exchanges.size() == t->exchanges.size(), "the written HAR keeps every exchange");
  for (std::size_t i = 0; i < t->exchanges.size(); ++i) {
    FUZZ_CHECK(SameExchange(back->exchanges[i], t->exchanges[i]),
               "an exchange reads back as it was written");
  }
  return 0;
}
