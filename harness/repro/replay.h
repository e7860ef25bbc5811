// File: harness/repro/replay.h
//
// `tigress-harness replay TRANSCRIPT.har --relay MANIFEST`: send the requests
// of a recorded HTTP transcript (HAR 1.2, as the recording proxy writes
// cases/<case>/transcript.har) one by one, in file order, to a freshly
// started relay, and show where its answers differ from the recorded ones.
//
//   har::Transcript t = har::ReadHar(text).value();
//   IdMap ids;                                   // recorded -> replayed ids
//   HttpRequest req = ids.MapRequest(t.exchanges[0], relay_base_url);
//   ... send ..., then:
//   ExchangeDiff d = CompareExchange(t.exchanges[0], req, response, ids);  // also learns ids
//
// Identifiers the relay chooses (mailbox ids, in URLs and JSON bodies) differ
// between the recording and the replay: `IdMap` learns them pairwise from
// each recorded and replayed response (the UUIDs found at the same place in
// both, in order) and substitutes them in every later request and recorded
// body. Device claims in a transcript are usually shortened for privacy
// ("c2…(36 chars)"); each distinct recorded claim that is not a whole UUID
// becomes a fresh v4 UUID, the same one every time it recurs, so bindings
// still line up. Compared per exchange: the status, whether the response
// echoes the request's Mailbox-Request-ID (and whether the recording did),
// and the bodies: JSON structurally (paths of differing values, after id
// mapping), other text by equality after id mapping.
//
// The transcript is read with harness/har/har.h, so a body recorded as
// base64 (not UTF-8) is replayed as its original octets.
//
// Limits (documented in docs/harness.md): exchanges that raced in the
// recording are replayed sequentially; a body the recorder truncated is sent
// truncated; an empty recorded body is no body (POST, PUT and PATCH still go
// out with Content-Length: 0).
#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "harness/har/har.h"
#include "harness/config/defaults.h"
#include "harness/net/probe_client.h"
#include "protocol/result.h"

namespace tigress::harness {

// `PathAndQuery` is the part of an absolute URL after the authority ("/" when
// empty), without any fragment.
std::string PathAndQuery(std::string_view url);

// `IdMap` maps recorded identifiers to the ones of the replay.
class IdMap {
 public:
  // `Learn` pairs the UUIDs of a recorded and a replayed text (a JSON body is
  // walked in parallel; other text pairs UUIDs in order of appearance when
  // both hold the same number).
  void Learn(std::string_view recorded, std::string_view replayed);

  // `Apply` replaces every recorded origin (scheme://host:port of a request
  // mapped so far) with the replay's and every learned recorded UUID.
  std::string Apply(std::string_view original) const;

  // `Claim` is the value to send for a recorded claim header (any revision).
  std::string Claim(const std::string& recorded);

  // `MapRequest` builds the request to send (and maps the recorded URL's
  // origin to `base_url`'s): the recorded method, `base_url` plus the mapped
  // path and query, the recorded headers minus Host,
  // Content-Length, Connection, Transfer-Encoding and Accept-Encoding, with
  // ids and claims mapped, and the mapped body.
  HttpRequest MapRequest(const har::Exchange& e, const std::string& base_url);

  const std::map<std::string, std::string>& ids() const { return ids_; }

 private:
  std::map<std::string, std::string> ids_;      // recorded -> replayed UUID (lower case)
  std::map<std::string, std::string> claims_;   // recorded (shortened) claim -> fresh UUID
  std::map<std::string, std::string> origins_;  // recorded origin -> replay origin
};

// `ExchangeDiff` is what differs in one exchange (empty: nothing).
struct ExchangeDiff {
  std::vector<std::string> differences;  // one line each, values shortened
  bool same() const { return differences.empty(); }
};

// `CompareExchange` compares a recorded exchange with the replayed response
// to `sent` (status 0 / no response when `replayed` is an error), learning ids
// from the pair first.
ExchangeDiff CompareExchange(const har::Exchange& recorded, const HttpRequest& sent,
                             const Result<HttpResponse>& replayed, IdMap& ids);

// `ReplayOptions` is the `replay` command line.
struct ReplayOptions {
  std::filesystem::path transcript;
  std::filesystem::path relay_manifest;
  std::filesystem::path bindir;
  std::chrono::milliseconds http_timeout{kDefaultHttpTimeoutMs};
  bool keep = false;  // keep the relay's work directory (its path is printed)
};

// `RunReplay` starts the manifest's relay (fresh test CA, free loopback port,
// temporary work directory), replays every exchange and prints one line per
// exchange ("same" or its differences) and a total. Returns 0 when every
// answer matches, 1 when some answer differs. Errors: kIoFailure (the
// transcript cannot be read, no directory, certificate or port for the
// relay), kTranscriptInvalid, kManifestInvalid (also: the manifest has no
// relay), the supervisor's errors when the relay does not start.
Result<int> RunReplay(const ReplayOptions& opt, std::ostream& out);

}  // namespace tigress::harness
