// File: harness/run/evidence.h
//
// How a case's exchanges appear in reports and case files: bodies truncated,
// device claims and attestations shortened, request targets without the
// scheme and authority. Pure functions.
//
//   reports::HttpExcerpt ex = ExcerptOf(exchange, "initiator->relay");
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "harness/har/har.h"
#include "harness/net/probe_client.h"
#include "protocol/text.h"
#include "reports/results.h"

namespace tigress::harness {

// `Truncate` keeps the first `max` octets and says how long `s` was.
std::string Truncate(const std::string& s, std::size_t max = 2048);

// `RedactHeaders` shortens the values of the claim and attestation headers of
// every revision (Mailbox-Device-Claim, Device-Claim, ...; any case); other
// fields are kept.
text::HeaderList RedactHeaders(const text::HeaderList& headers);

// `TargetOf` is the request target of an absolute URL: its path and query
// ("/" when it has none); a string without "://" is returned as is.
std::string TargetOf(const std::string& url);

// `ExcerptOf` is one exchange the recording proxy saw, as report evidence
// (headers redacted, bodies truncated).
reports::HttpExcerpt ExcerptOf(const har::Exchange& x, const std::string& vantage);

// `ProbeExchange` is one probe request and how it ended, as a transcript
// exchange (the relay-only cases' transcript.har): `started_ms` is when it
// was sent (wall clock, ms since the epoch); a transport error with no
// response is status 0 with the error as its comment.
har::Exchange ProbeExchange(const HttpRequest& request, const Result<HttpResponse>& response,
                            std::int64_t started_ms);

// `SafeDirName` is a case id usable as one directory name ('/', '#' and ' '
// become '_').
std::string SafeDirName(const std::string& id);

}  // namespace tigress::harness
