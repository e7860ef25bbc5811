// File: reference/device/curl_client.h
//
// The implementation of `Transport` over the project's one HTTP client
// (common/http_client.h: libcurl with the OpenSSL backend). TLS trusts
// only the CA file it is given (no CA path, no system store); peer and host
// verification stay on unless `verify_peer` is false (the
// accept-untrusted-cert fault). Connections are kept alive between requests.
//
//   auto t = MakeCurlTransport({.ca_file = ca}).value();
#pragma once

#include <memory>

#include "reference/device/transport.h"

namespace tigress::device {

// `MakeCurlTransport` checks that `options.ca_file` is readable and returns a
// transport. Errors: kDeviceUsage naming the file.
Result<std::unique_ptr<Transport>> MakeCurlTransport(const TransportOptions& options);

}  // namespace tigress::device
