// Fuzz target: the reference relay's request handler (RelayService::Handle,
// reference/relay/relay_service.h) over a memory store, with a fixed clock and
// sequential mailbox ids. The input is a sequence of requests separated by
// lines "=====", each written as
//
//   POST /v1/m                        method, one space, target
//   Mailbox-Device-Claim: <uuid>      header lines "Name: value"
//                                     an empty line
//   {"payload": ...}                  the body, to the separator
//
// A first line "spec: sct-04" speaks that revision. After every request the
// invariants the relay promises are checked: Handle returns (it never
// throws), the status is 100..599 and not 500 (a 500 is an internal error or a
// store failure, and the memory store with unique ids does not fail), a fresh
// create (200) leaves a mailbox that can be read under the returned id with
// the caller's claim, and no mailbox other than the one the target names
// changes.
#include <cstdio>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "fuzz/fuzz_check.h"
#include "protocol/text.h"
#include "reference/relay/memory_store.h"
#include "reference/relay/relay_service.h"

namespace {

using namespace tigress;
using namespace tigress::relay;

constexpr std::string_view kSeparator = "\n=====\n";
constexpr std::size_t kMaxRequests = 64;

std::string_view NextLine(std::string_view& rest) {
  const std::size_t nl = rest.find('\n');
  std::string_view line = rest.substr(0, nl);
  rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

HttpRequest ParseRequest(std::string_view text) {
  HttpRequest r;
  std::string_view first = NextLine(text);
  const std::size_t sp = first.find(' ');
  r.method = std::string(first.substr(0, sp));
  if (sp != std::string_view::npos) r.target = std::string(first.substr(sp + 1));
  while (!text.empty()) {
    std::string_view line = NextLine(text);
    if (line.empty()) break;
    const std::size_t colon = line.find(':');
    std::string_view value = colon == std::string_view::npos ? "" : line.substr(colon + 1);
    if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    r.headers.emplace_back(std::string(line.substr(0, colon)), std::string(value));
  }
  r.body = std::string(text);
  return r;
}

// Every mailbox the run created, as the store holds it now (nullopt: gone).
using Snapshot = std::map<std::string, std::optional<Mailbox>>;

Snapshot Take(MailboxStore& store, const Snapshot& ids, SysSeconds now) {
  Snapshot out;
  for (const auto& [id, unused] : ids) {
    auto m = store.Get(id, now);
    FUZZ_CHECK(m.has_value(), "the memory store reads without failing");
    out[id] = *m;
  }
  return out;
}

struct Relay {
  explicit Relay(Revision revision) : store(MakeMemoryStore()) {
    RelayOptions o;
    o.public_url = "https://relay.test";
    o.webhook_allow = {"https://push.test/"};
    o.max_body = 4096;
    o.clock = [] { return std::chrono::system_clock::time_point(kNow); };
    o.log = [](std::string_view) {};
    o.revision = revision;
    o.new_mailbox_id = [this] {
      char buf[40];
      std::snprintf(buf, sizeof buf, "00000000-0000-4000-8000-%012llx", ++issued);
      last_id = buf;
      return last_id;
    };
    service.emplace(*store, std::move(o));
  }

  static constexpr std::chrono::seconds kNow{1'796'000'000};  // 2026-11-30
  std::unique_ptr<MailboxStore> store;
  std::optional<RelayService> service;
  unsigned long long issued = 0;
  std::string last_id;
};

void CheckOne(Relay& relay, Snapshot& known, const HttpRequest& request) {
  const SysSeconds now{Relay::kNow};
  const Snapshot before = Take(*relay.store, known, now);
  const unsigned long long issued = relay.issued;
  const HttpResponse response = relay.service->Handle(request);
  FUZZ_CHECK(response.status >= 100 && response.status <= 599, "the status is 100..599");
  FUZZ_CHECK(response.status != 500, "no internal error or store failure (500)");

  const bool created = relay.issued != issued && response.status == 200;
  if (created) {
    auto m = relay.store->Get(relay.last_id, now);
    FUZZ_CHECK(m.has_value() && m->has_value(), "a fresh create leaves a readable mailbox");
    FUZZ_CHECK(response.body.find(relay.last_id) != std::string::npos,
               "a fresh create answers with the new mailbox's id");
    const std::string claim(
        FindHeader(request.headers, RevisionOf(relay.service->options().revision).claim_header)
            .value_or(""));
    FUZZ_CHECK(text::EqualsIgnoreCase((*m)->initiator_claim, claim),
               "the creator's claim is the initiator's");
    known[relay.last_id] = *m;
  }
  const std::string target = text::ToLowerAscii(request.target);
  const Snapshot after = Take(*relay.store, before, now);
  for (const auto& [id, state] : before) {
    if (target.find(id) == std::string::npos) {
      FUZZ_CHECK(after.at(id) == state, "a request changes no mailbox it does not name");
    }
  }
  for (const auto& [id, state] : after) known[id] = state;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view rest = tigress::fuzz::Text(data, size);
  Revision revision = kDefaultRevision;
  if (rest.starts_with("spec: ")) {
    std::string_view line = NextLine(rest);
    revision = ParseRevision(line.substr(6)).value_or(kDefaultRevision);
  }
  Relay relay(revision);
  Snapshot known;
  for (std::size_t n = 0; n < kMaxRequests && !rest.empty(); ++n) {
    const std::size_t sep = rest.find(kSeparator);
    CheckOne(relay, known, ParseRequest(rest.substr(0, sep)));
    rest =
        sep == std::string_view::npos ? std::string_view() : rest.substr(sep + kSeparator.size());
  }
  return 0;
}
