// File: harness/net/proxy.h
//
// The observer: a TLS-terminating recording proxy the runner puts between the
// devices and the relay under test. Devices are given its URL as the relay's
// public URL; it forwards every request to the relay over TLS (verifying the
// relay's certificate against the run's test CA) and records each exchange,
// with timings, for cases/<case>/transcript.har and the privacy and replay
// oracles (harness/oracles/oracles.h). Probe steps talk to the relay directly (their
// requests are the harness's own, not evidence about a device).
//
//   ProxyOptions o{.cert_file = cert, .key_file = key, .ca_file = ca,
//                  .upstream = "https://127.0.0.1:4431"};
//   auto proxy = RecordingProxy::Start(o).value();
//   proxy->base_url();              // "https://127.0.0.1:<port>" for the devices
//   ...
//   proxy->Stop();                  // closes every connection, joins its threads
//   har::Transcript t = proxy->Transcript();
//
// One thread per device connection (a case has two devices and a handful of
// connections); each keeps one upstream connection, reopened when the relay
// closes it. Bodies are recorded whole, up to 16 MiB per message.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "harness/har/har.h"
#include "harness/har/hostile.h"
#include "protocol/result.h"

namespace tigress::harness {

struct ProxyOptions {
  std::string cert_file;  // PEM server certificate the proxy presents (the run's)
  std::string key_file;
  std::string ca_file;   // trust anchor for the upstream relay
  std::string upstream;  // the relay's base URL, "https://host:port" (a path is ignored)
};

class RecordingProxy {
 public:
  // `Start` listens on 127.0.0.1 at an OS-chosen port. Errors: kProxyFailed
  // (bad upstream URL, unreadable certificate or key, cannot listen).
  static Result<std::unique_ptr<RecordingProxy>> Start(const ProxyOptions& options);

  ~RecordingProxy();
  RecordingProxy(const RecordingProxy&) = delete;
  RecordingProxy& operator=(const RecordingProxy&) = delete;

  // `base_url` is "https://127.0.0.1:<port>".
  std::string base_url() const;

  // `SetUpstream` points the proxy at another relay URL (a relay that
  // reports the port it bound is known only once it is ready). Call it
  // before any device connects. Errors: kProxyFailed (not an https URL).
  Result<void> SetUpstream(const std::string& upstream);

  // `Stop` stops accepting, closes every open connection and joins the
  // connection threads. Idempotent; also done by the destructor.
  void Stop();

  // `SetHostile` changes how later answers reach the devices (the exchange
  // records what the device got, with a "hostile: MODE" comment). The
  // tampering of answers is ApplyHostile's (harness/har/hostile.h), applied
  // to every answer with the proxy's one HostileState; the proxy adds:
  //   kUntrustedCert  new device connections get a server certificate from a
  //                   fresh CA the devices do not trust (open connections
  //                   keep theirs); answers pass untouched
  // kOff (forward faithfully) is the default. Errors (kUntrustedCert only,
  // the first time): kProxyFailed (the untrusted certificate could not be
  // made), kCryptoFailure.
  Result<void> SetHostile(HostileMode mode);

  // `Transcript` is a copy of the exchanges recorded so far, in arrival order.
  // Pushes (below) are not in it.
  har::Transcript Transcript() const;
  // `ExchangeCount` is `Transcript().exchanges.size()` without the copy.
  std::size_t ExchangeCount() const;

  // The proxy is also the webhook receiver for relay push notifications
  // (the catalogue's H-PUSH): a request whose target starts with
  // `kPushPath` is not forwarded; it is answered 204 and kept as a push.
  static constexpr std::string_view kPushPath = "/.tigress-push/";
  // `push_url` is base_url() + kPushPath: the prefix of every notification
  // token URL a scenario hands out, and the relay's `{push_url}`.
  std::string push_url() const;
  // `Pushes` is every push received so far, in arrival order (method, url =
  // push_url() + the rest of the target, headers, body, started_ms).
  std::vector<har::Exchange> Pushes() const;

 private:
  struct Impl;
  static Result<void> ParseUpstream(const std::string& url, Impl& impl);
  explicit RecordingProxy(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace tigress::harness
