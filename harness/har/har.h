// File: harness/har/har.h
//
// The recorded HTTP transcript of a case: every exchange the relay under test
// saw through the recording proxy (harness/net/proxy.h), written as HAR 1.2 to
// cases/<case>/transcript.har so browser dev tools and HAR viewers open it.
//
//   har::Transcript t;
//   t.exchanges.push_back(ex);                       // from RecordingProxy
//   std::string text = har::WriteHar(t);            // HAR 1.2 JSON
//   har::Transcript back = har::ReadHar(text).value();
//
// Only what the harness records is modelled (no cookies table, cache or
// page objects: those are written empty, as HAR requires). Bodies are kept
// as octets; a body that is not valid UTF-8 is written with
// "encoding": "base64" and decoded again by `ReadHar`.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "protocol/result.h"
#include "protocol/revision.h"
#include "tigress/version.h"

namespace tigress::harness::har {

using Headers = std::vector<std::pair<std::string, std::string>>;

// `Exchange` is one request the relay saw and its answer.
struct Exchange {
  std::int64_t started_ms = 0;  // wall clock, milliseconds since the Unix epoch
  double send_ms = 0;           // receiving the request from the device, forwarding it
  double wait_ms = 0;           // until the relay's response head arrived
  double receive_ms = 0;        // reading the relay's response body
  std::string method;
  std::string url;  // absolute: the relay's origin plus the request target
  std::string http_version = "HTTP/1.1";
  Headers request_headers;
  std::string request_body;  // empty: no body
  int status = 0;            // 0: the relay did not answer (see `error`)
  std::string status_text;
  Headers response_headers;
  std::string response_body;
  std::string error;  // HAR "comment": why no response was recorded, or "hostile: MODE"
};

// `Transcript` is a case's exchanges in the order their requests arrived.
struct Transcript {
  std::string creator_version{tigress::kVersion};
  std::vector<Exchange> exchanges;
};

// `WriteHar` renders HAR 1.2 (log.version "1.2", creator "tigress-harness",
// one entry per exchange with request, response, timings and cache).
std::string WriteHar(const Transcript& t);

// `ReadHar` parses HAR 1.2 text as written by `WriteHar` (and by other tools:
// unknown members are ignored; an entry without a response or without
// response.status reads as unanswered, status 0). postData.text and
// content.text marked "encoding": "base64" are decoded to their octets.
// Errors: kTranscriptInvalid naming the JSON path (not JSON, no log.entries,
// an entry without request.method/url, a response that is not an object or
// whose status is not an integer, a text marked base64 that is not).
Result<Transcript> ReadHar(std::string_view text);

// `CanonicalView` is `t` with every request and response header renamed to
// its canonical (http-00) name under `revision` (protocol/revision.h:
// CanonicalHeaderName), values and order kept: what the oracles read, so
// they look for one set of names whatever revision was spoken. Another
// revision's claim or attestation header keeps a name no check looks for
// ("Mailbox-Device-Claim (http-00)" under sct-04).
Transcript CanonicalView(const Transcript& t, const RevisionInfo& revision);

// `SpokenRevisions` is each revision whose own claim or attestation header
// name (one no other revision uses) some request of `t` carries, in the
// order first seen, with the name as sent: how a device shows which draft
// it speaks.
std::vector<std::pair<Revision, std::string>> SpokenRevisions(const Transcript& t);

}  // namespace tigress::harness::har
