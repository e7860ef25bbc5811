// File: harness/oracles/identifier_checks.cc
#include <algorithm>
#include <cctype>
#include <optional>
#include <regex>
#include <set>

#include "harness/oracles/oracle_checks.h"
#include "protocol/text.h"

namespace tigress::harness {
namespace {

std::size_t CountDigits(const std::string& s) {
  return static_cast<std::size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }));
}

// What identifying information `text` holds ("an e-mail address", "a phone
// number", "declared personal data"), or "" for none. With `ids`, also a
// run of 15 digits (an IMEI) or a serial-number label, and no phone number.
std::string IdentifyingIn(const std::string& text, const std::vector<std::string>& personal_data,
                          bool ids) {
  static const std::regex kEmail(
      R"([A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})");
  static const std::regex kPhone(R"(\+?[0-9][0-9 ().-]{7,}[0-9])");
  static const std::regex kImei(R"((^|[^0-9])[0-9]{15}([^0-9]|$))");
  // Separators base64 never holds, so a random value cannot match by chance.
  static const std::regex kSerial(R"((serial|imei|udid)[ :=#])", std::regex::icase);
  std::smatch m;
  if (std::regex_search(text, m, kEmail)) {
    return "an e-mail address";
  }
  if (std::regex_search(text, m, kPhone) && CountDigits(m.str()) >= 10 && !ids) {
    return "a phone number";
  }
  if (ids && (std::regex_search(text, kImei) || std::regex_search(text, kSerial))) {
    return "a device identifier (IMEI or serial number)";
  }
  for (const auto& pd : personal_data) {
    if (!pd.empty() && text.find(pd) != std::string::npos) {
      return "declared personal data";
    }
  }
  return {};
}

// The notification token a request body carries (its tokenData, else the
// whole object, as JSON text).
std::optional<std::string> TokenOf(const ExchangeFacts& f) {
  const Json& b = f.body;
  if (b.is_discarded() || !b.is_object() || !b.contains("notificationToken") ||
      !b.at("notificationToken").is_object()) {
    return std::nullopt;
  }
  const Json& t = b.at("notificationToken");
  return t.contains("tokenData") ? t.at("tokenData").dump() : t.dump();
}

bool HasDisplayInformation(const ExchangeFacts& f) {
  return !f.body.is_discarded() && f.body.is_object() && f.body.contains("displayInformation");
}

// Every token with the mailboxes it is sent for and the devices that send it.
struct TokenUse {
  std::set<std::string> boxes;
  std::size_t first = 0;
  std::set<Sender> senders;
};

std::map<std::string, TokenUse> TokenUses(const OracleContext& ctx) {
  std::map<std::string, TokenUse> uses;
  for (std::size_t i = 0; i < ctx.ex.size(); ++i) {
    const auto token = TokenOf(ctx.ex[i]);
    if (!token) {
      continue;
    }
    TokenUse& u = uses[*token];
    if (u.boxes.insert(ctx.ex[i].mailbox).second && u.boxes.size() == 1) {
      u.first = i;
    }
    u.senders.insert(ctx.ex[i].sender);
  }
  return uses;
}

}  // namespace

void CheckTokenFresh(const OracleContext& ctx, Findings& out) {
  const std::map<std::string, TokenUse> uses = TokenUses(ctx);
  bool recipient_token_seen = false;
  for (const auto& [token, use] : uses) {
    recipient_token_seen |= use.senders.contains(Sender::kRecipient);
    if (use.boxes.size() <= 1) {
      continue;
    }
    const std::string count = std::to_string(use.boxes.size());
    out.Fail("token-fresh", "PRIV-07",
             "the notification token " + Redact(token) + " is sent for " + count +
                 " mailboxes (first at " + ctx.ex[use.first].name + ")",
             "a new notification token per share", "one token on " + count + " mailboxes");
    // The same finding for the device whose requirement it also is.
    for (Sender who : use.senders) {
      if (who != Sender::kUnknown) {
        out.Fail(who == Sender::kInitiator ? "initiator-identifiers" : "recipient-token-fresh",
                 who == Sender::kInitiator ? "INIT-14" : "RECIP-16",
                 std::string(SenderName(who)) + " sends the notification token " + Redact(token) +
                     " for " + count + " mailboxes",
                 "a new notification token per share", "one token on " + count + " mailboxes");
      }
    }
  }
  out.PassIfClean("recipient-token-fresh", "RECIP-16", recipient_token_seen,
                  "each notification token the recipient sent is used for one mailbox",
                  "a new notification token per share");
  out.PassIfClean("token-fresh", "PRIV-07", !uses.empty(),
                  std::to_string(uses.size()) + " notification token(s), each used for one mailbox",
                  "a new notification token per share");
}

void CheckDisplayNotIdentifying(const OracleContext& ctx, Findings& out) {
  bool display_seen = false;
  bool initiator_examined = false;  // a token or displayInformation the initiator sent
  for (const ExchangeFacts& f : ctx.ex) {
    const bool by_initiator = f.sender == Sender::kInitiator;
    initiator_examined |= by_initiator && TokenOf(f).has_value();
    if (!HasDisplayInformation(f)) {
      continue;
    }
    display_seen = true;
    initiator_examined |= by_initiator;
    std::vector<Place> leaves;
    JsonLeaves(f.body.at("displayInformation"), "displayInformation", leaves);
    for (const Place& p : leaves) {
      if (p.name == "body displayInformation.imageURL") {
        continue;  // a URL; its host is not personal data
      }
      const std::string what = IdentifyingIn(p.text, ctx.in->personal_data, false);
      if (what.empty()) {
        continue;
      }
      out.Fail("display-not-identifying", "PRIV-09",
               f.name + ", " + p.name + " holds " + what + " (" + Redact(p.text) + ")",
               "no identifying information in displayInformation", what);
      if (by_initiator) {
        out.Fail("initiator-identifiers", "INIT-14",
                 f.name + ", sent by the initiator: " + p.name + " holds " + what,
                 "no identifying information in displayInformation", what);
      }
    }
  }
  // initiator-identifiers passes here, once its tokens and display text are
  // judged; a reused attestation found later still fails it.
  out.PassIfClean("initiator-identifiers", "INIT-14", initiator_examined,
                  "the initiator's notification tokens are each used for one mailbox and its "
                  "displayInformation holds no identifying information",
                  "fresh tokens and no identifying information");
  out.PassIfClean("display-not-identifying", "PRIV-09", display_seen,
                  "displayInformation sent to the relay holds no e-mail address, phone number "
                  "or declared personal data",
                  "no identifying information in displayInformation");
}

void CheckAttestationFresh(const OracleContext& ctx, Findings& out) {
  std::map<std::string, std::set<std::string>> boxes_of;  // attestation -> mailboxes
  std::map<std::string, std::size_t> first;
  for (std::size_t i = 0; i < ctx.ex.size(); ++i) {
    const ExchangeFacts& f = ctx.ex[i];
    const std::string a =
        text::FindHeader(f.exchange->request_headers, "Mailbox-Device-Attestation").value_or("");
    if (a.empty() || !boxes_of[a].insert(f.mailbox).second || boxes_of[a].size() != 1) {
      continue;
    }
    first[a] = i;
    if (std::string what = IdentifyingIn(a, ctx.in->personal_data, true); !what.empty()) {
      out.Fail(
          "attestation-fresh", "PRIV-08",
          f.name + ", header Mailbox-Device-Attestation holds " + what + " (" + Redact(a) + ")",
          "no identifying information in attestation", what);
    }
  }
  for (const auto& [a, boxes] : boxes_of) {
    if (boxes.size() <= 1) {
      continue;
    }
    const ExchangeFacts& f = ctx.ex[first[a]];
    out.Fail("attestation-fresh", "PRIV-08",
             "the attestation " + Redact(a) + " is sent for " + std::to_string(boxes.size()) +
                 " mailboxes (first at " + f.name + ", " +
                 (f.sender == Sender::kUnknown ? std::string("a device")
                                               : std::string(SenderName(f.sender))) +
                 "): it links the shares",
             "an attestation value that changes per share",
             "one value on " + std::to_string(boxes.size()) + " mailboxes");
    if (f.sender == Sender::kInitiator) {
      out.Fail("initiator-identifiers", "INIT-14",
               "the initiator sends the attestation " + Redact(a) + " for " +
                   std::to_string(boxes.size()) + " mailboxes",
               "an attestation value that changes per share", "one value on several mailboxes");
    }
  }
  out.PassIfClean("attestation-fresh", "PRIV-08", !boxes_of.empty(),
                  std::to_string(boxes_of.size()) +
                      " attestation value(s), each on one mailbox, none identifying",
                  "no identifying information in attestation, a new value per share");
}

}  // namespace tigress::harness
