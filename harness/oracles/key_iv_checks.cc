// File: harness/oracles/key_iv_checks.cc
#include "harness/oracles/oracle_context.h"
#include "protocol/payload.h"

namespace tigress::harness {

std::vector<Finding> IvLedger::Add(const std::string& case_id, const OracleInput& in) {
  std::vector<Finding> out;
  if (in.transcript == nullptr) {
    return out;
  }
  std::size_t examined = 0;
  std::size_t reused = 0;
  const auto& ex = in.transcript->exchanges;
  for (std::size_t i = 0; i < ex.size(); ++i) {
    const har::Exchange& e = ex[i];
    Json b = Json::parse(e.request_body, nullptr, false);
    if (b.is_discarded()) {
      continue;
    }
    const std::string data = PayloadData(b);
    auto raw = Base64DecodeLenient(data);
    if (data.empty() || !raw || raw->size() < kMinDataLength) {
      continue;
    }
    if (JsonTextKind(*raw) != nullptr) {
      continue;  // not a ciphertext at all: plaintext-never-sent reports it
    }
    const auto opener = OpeningSecret(in.secrets, b);
    const std::string key = opener ? "secret:" + HexEncode(in.secrets[*opener])
                                   : "mailbox:" + case_id + ":" + LastSegment(PathOnly(e.url));
    const std::string iv = HexEncode(ByteView(raw->data(), kIvLength));
    ++examined;
    auto [it, fresh] = seen_.emplace(key + "/" + iv, Seen{case_id, i, data});
    if (fresh || it->second.data == data) {
      continue;  // first use, or the same message sent again
    }
    if (++reused > kMaxFindingsPerCheck) {
      continue;
    }
    const std::string earlier = it->second.case_id == case_id
                                    ? "exchange #" + std::to_string(it->second.exchange + 1)
                                    : "exchange #" + std::to_string(it->second.exchange + 1) +
                                          " of case " + it->second.case_id;
    out.push_back({"iv-unique", "PAYLOAD-04", false,
                   ExchangeName(i, e) + ", body payload.data: IV " + iv.substr(0, 8) +
                       "… under the same key was already used by " + earlier,
                   "a fresh random 96-bit IV for every encryption", "IV reused under one key"});
  }
  if (examined > 0 && reused == 0) {
    out.push_back(
        {"iv-unique", "PAYLOAD-04", true,
         std::to_string(examined) + " payload write(s): every (key, IV) pair is new in the run",
         "a fresh random 96-bit IV for every encryption",
         "a fresh random 96-bit IV for every encryption"});
  }
  return out;
}

}  // namespace tigress::harness
