// tigress-relay: the reference TIGRESS relay server. See docs/relay.md.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <pthread.h>
#include <signal.h>
#include <sstream>

#include <CLI/CLI.hpp>

#include "reference/relay/https_server.h"
#include "reference/relay/memory_store.h"
#include "reference/relay/relay_service.h"
#include "reference/relay/sqlite_store.h"
#include "reference/relay/webhook.h"

namespace {

using tigress::relay::Fault;
using tigress::relay::Quirk;

constexpr int kExitUsage = 2;
constexpr int kExitFailure = 1;

tigress::Result<std::string> ReadFile(const std::string& path, std::string_view flag) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return tigress::MakeError(tigress::Errc::kRelayUsage,
                              std::string(flag) + ": cannot read '" + path + "'");
  }
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// "127.0.0.1:8443", "[::1]:0" or "::1:0" (last colon separates the port).
tigress::Result<std::pair<std::string, std::uint16_t>> ParseListen(const std::string& text) {
  auto bad = [&](std::string_view why) {
    return tigress::MakeError(tigress::Errc::kRelayUsage,
                              "--listen '" + text + "': " + std::string(why));
  };
  std::size_t colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0) return bad("expected HOST:PORT");
  std::string host = text.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  std::string port_text = text.substr(colon + 1);
  if (port_text.empty() || port_text.size() > 5 ||
      port_text.find_first_not_of("0123456789") != std::string::npos) {
    return bad("port is not a number");
  }
  unsigned long port = std::stoul(port_text);
  if (port > 65535) return bad("port is above 65535");
  if (host == "localhost") host = "127.0.0.1";
  return std::make_pair(host, static_cast<std::uint16_t>(port));
}

std::string FaultHelp() {
  std::string out = "Deliberate spec violation for negative tests (at most one):";
  for (const auto& f : tigress::relay::AllFaults()) {
    out += "\n  ";
    out += f.name;
    out += ": ";
    out += f.description;
  }
  return out;
}

std::string QuirkHelp() {
  std::string out =
      "Legal but unusual behaviour (repeatable), to prove a conformance harness accepts it:";
  for (const auto& q : tigress::relay::AllQuirks()) {
    out += "\n  ";
    out += q.name;
    out += ": ";
    out += q.description;
    out += " (";
    out += q.allowed_by;
    out += ")";
  }
  return out;
}

int Run(int argc, char** argv) {
  // Block the termination signals before any thread starts (the webhook
  // worker, the io threads), so every thread inherits the mask and only the
  // sigwait at the end receives them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  CLI::App app{
      "tigress-relay: reference TIGRESS relay server (HTTPS mailbox store-and-forward).\n"
      "Prints 'READY <port>' on stdout once it accepts connections; exits 0 on SIGTERM/SIGINT."};
  std::string listen, cert_file, key_file, public_url, data_dir, store_kind = "sqlite", webhook_ca,
                                                                 fault_name;
  std::string spec_name{tigress::RevisionOf(tigress::kDefaultRevision).name};
  std::vector<std::string> webhook_allow, quirk_names;
  std::size_t max_body = 65536;
  long sweep_seconds = 60, default_ttl = 24 * 3600;
  int threads = 4;
  int workers = 0;  // ServerOptions: twice --threads, at least 4
  long handshake_timeout = 10, idle_timeout = 30;
  tigress::relay::RelayOptions defaults;
  tigress::relay::ServerOptions server_defaults;
  long max_lifetime = static_cast<long>(defaults.max_lifetime.count());
  tigress::relay::QuotaLimits quota = defaults.quota;
  std::size_t max_connections = server_defaults.max_connections;
  app.add_option("--listen", listen, "HOST:PORT to listen on (IP literal; port 0 lets the OS pick)")
      ->required();
  app.add_option("--tls-cert", cert_file, "PEM file: server certificate chain")->required();
  app.add_option("--tls-key", key_file, "PEM file: the certificate's private key")->required();
  app.add_option("--public-url", public_url,
                 "https base URL clients reach this relay at; urlLink = URL/v1/m/<id>")
      ->required();
  app.add_option("--data-dir", data_dir, "directory for the SQLite database (relay.sqlite3)")
      ->required();
  std::string sqlite_sync = "full";
  app.add_option(
         "--sqlite-sync", sqlite_sync,
         "full: fsync every commit (survives power loss); normal: survives a relay crash or "
         "SIGKILL but not a power loss, much faster")
      ->check(CLI::IsMember({"full", "normal"}));
  app.add_option("--store", store_kind, "mailbox store: sqlite (durable, default) or memory")
      ->check(CLI::IsMember({"sqlite", "memory"}));
  app.add_option("--webhook-allow", webhook_allow,
                 "https URL that webhook notification tokens may point at or under: same "
                 "scheme, host and port, path on a segment boundary (repeatable; none: push off)");
  app.add_option("--webhook-ca", webhook_ca,
                 "PEM file of CAs trusted for webhook receivers (default: system)");
  app.add_option("--max-body", max_body, "largest accepted request body in octets (413 above)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{64} * 1024 * 1024));
  app.add_option("--sweep-interval", sweep_seconds, "seconds between expired-mailbox sweeps")
      ->check(CLI::Range(1L, 86400L));
  app.add_option("--default-ttl", default_ttl,
                 "mailbox lifetime in seconds when the create gives no expiration")
      ->check(CLI::Range(1L, 365L * 86400L));
  app.add_option("--max-lifetime", max_lifetime,
                 "longest mailbox lifetime in seconds a create may ask for (400 beyond)")
      ->check(CLI::Range(1L, 100L * 365 * 86400))
      ->capture_default_str();
  app.add_option("--max-mailboxes-per-claim", quota.per_claim,
                 "live mailboxes one initiator claim may hold (429 beyond)")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--max-mailboxes", quota.mailboxes, "live mailboxes in total (507 beyond)")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--max-store-bytes", quota.bytes,
                 "octets of all live mailboxes' payloads, display texts and tokens (507 beyond)")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--max-connections", max_connections,
                 "concurrent client connections; more wait in the listen backlog")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--threads", threads, "io threads")->check(CLI::Range(1, 64));
  app.add_option("--workers", workers,
                 "threads that run requests and the sweeper off the io threads (default: twice "
                 "--threads, at least 4); with --store memory requests run on the io threads, "
                 "which they never block")
      ->check(CLI::Range(1, 256));
  app.add_option("--handshake-timeout", handshake_timeout,
                 "seconds a client has to complete the TLS handshake")
      ->check(CLI::Range(1L, 3600L));
  app.add_option("--idle-timeout", idle_timeout,
                 "seconds a connection may stay idle or take to send one request (slow clients are "
                 "cut off)")
      ->check(CLI::Range(1L, 3600L));
  app.add_option("--spec", spec_name,
                 "draft revision whose header names the relay speaks:" + tigress::RevisionHelp())
      ->capture_default_str();
  app.add_option("--fault", fault_name, FaultHelp());
  app.add_option("--quirk", quirk_names, QuirkHelp());
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return kExitUsage;
  }

  auto fail = [](const tigress::Error& e, int code) {
    std::cerr << "tigress-relay: " << e.Message() << '\n';
    return code;
  };
  std::optional<tigress::Revision> revision = tigress::ParseRevision(spec_name);
  if (!revision) {
    return fail(tigress::MakeError(tigress::Errc::kRelayUsage,
                                   "--spec: unknown revision '" + spec_name +
                                       "' (accepted: " + tigress::RevisionNames() + ")"),
                kExitUsage);
  }
  if (*revision != tigress::kDefaultRevision) {
    std::cerr << "tigress-relay: speaking " << tigress::RevisionOf(*revision).draft << '\n';
  }
  Fault fault = Fault::kNone;
  if (!fault_name.empty()) {
    auto f = tigress::relay::ParseFault(fault_name);
    if (!f) return fail(f.error(), kExitUsage);
    fault = *f;
    std::cerr << "tigress-relay: DELIBERATE FAULT ENABLED: " << fault_name << '\n';
  }
  tigress::relay::QuirkSet quirks;
  for (const std::string& name : quirk_names) {
    auto q = tigress::relay::ParseQuirk(name);
    if (!q) return fail(q.error(), kExitUsage);
    if (quirks.Has(*q)) continue;
    quirks.Add(*q);
    std::cerr << "tigress-relay: QUIRK ENABLED: " << name << '\n';
  }
  if (default_ttl > max_lifetime) {
    return fail(
        tigress::MakeError(tigress::Errc::kRelayUsage, "--default-ttl: longer than --max-lifetime"),
        kExitUsage);
  }
  if (auto allow = tigress::relay::WebhookAllowList::Parse(webhook_allow); !allow) {
    return fail(tigress::MakeError(tigress::Errc::kRelayUsage, allow.error().detail), kExitUsage);
  }
  auto hostport = ParseListen(listen);
  if (!hostport) return fail(hostport.error(), kExitUsage);
  if (public_url.rfind("https://", 0) != 0 && public_url.rfind("http://", 0) != 0) {
    return fail(tigress::MakeError(tigress::Errc::kRelayUsage,
                                   "--public-url: must be an https:// (or http://) URL"),
                kExitUsage);
  }
  auto cert = ReadFile(cert_file, "--tls-cert");
  if (!cert) return fail(cert.error(), kExitUsage);
  auto key = ReadFile(key_file, "--tls-key");
  if (!key) return fail(key.error(), kExitUsage);
  std::error_code fs_ec;
  std::filesystem::create_directories(data_dir, fs_ec);
  if (fs_ec) {
    return fail(tigress::MakeError(tigress::Errc::kRelayUsage,
                                   "--data-dir '" + data_dir + "': " + fs_ec.message()),
                kExitUsage);
  }

  std::unique_ptr<tigress::relay::MailboxStore> store;
  if (store_kind == "memory") {
    store = tigress::relay::MakeMemoryStore();
  } else {
    auto opened = tigress::relay::OpenSqliteStore(
        (std::filesystem::path(data_dir) / "relay.sqlite3").string(),
        sqlite_sync == "full" ? tigress::relay::SqliteSync::kFull
                              : tigress::relay::SqliteSync::kNormal);
    if (!opened) return fail(opened.error(), kExitFailure);
    store = std::move(*opened);
  }

  tigress::relay::WebhookOptions webhook_options;
  webhook_options.ca_file = webhook_ca;
  auto notifier = std::make_unique<tigress::relay::WebhookNotifier>(webhook_options);

  tigress::relay::RelayOptions options;
  options.public_url = public_url;
  options.webhook_allow = webhook_allow;
  options.max_body = max_body;
  options.default_ttl = std::chrono::seconds(default_ttl);
  options.max_lifetime = std::chrono::seconds(max_lifetime);
  options.quota = quota;
  options.notifier = notifier.get();
  options.fault = fault;
  options.quirks = quirks;
  options.revision = *revision;
  tigress::relay::RelayService relay(*store, options);

  tigress::relay::ServerOptions server_options;
  server_options.host = hostport->first;
  server_options.port = hostport->second;
  server_options.cert_chain_pem = std::move(*cert);
  server_options.key_pem = std::move(*key);
  server_options.tls = fault != Fault::kPlainHttp;
  server_options.allow_tls10 = fault == Fault::kAllowTls10;
  server_options.max_body = fault == Fault::kNoBodyLimit ? std::size_t{64} * 1024 * 1024 : max_body;
  server_options.early_413_close = quirks.Has(Quirk::kEarly413Close);
  server_options.request_id_header = tigress::RevisionOf(*revision).request_id_header;
  if (quirks.Has(Quirk::kLargeHeaders)) {
    server_options.max_header = std::max(server_options.max_header, std::size_t{1024 * 1024});
  }
  server_options.threads = threads;
  server_options.workers = workers;
  // The memory store answers from a map under a mutex, with nothing to wait
  // for: handing its requests to a worker would only add two thread hops.
  server_options.inline_handler = store_kind == "memory";
  server_options.max_connections = max_connections;
  server_options.handshake_timeout = std::chrono::seconds(handshake_timeout);
  server_options.idle_timeout = std::chrono::seconds(idle_timeout);
  server_options.periodic_interval = std::chrono::seconds(sweep_seconds);
  server_options.periodic = [&relay] {
    if (auto swept = relay.Sweep(); !swept) {
      std::cerr << "relay: sweep failed: " << swept.error().Message() << '\n';
    } else if (*swept > 0) {
      std::cerr << "relay: swept " << *swept << " expired mailbox(es)\n";
    }
  };
  auto server = tigress::relay::HttpsServer::Start(
      server_options, [&relay](const tigress::relay::HttpRequest& r) { return relay.Handle(r); });
  if (!server) return fail(server.error(), kExitFailure);
  std::cout << "READY " << (*server)->port() << std::endl;

  int received = 0;
  sigwait(&signals, &received);
  std::cerr << "tigress-relay: signal " << received << ", shutting down\n";
  (*server)->Stop();
  notifier.reset();
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return Run(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "tigress-relay: " << e.what() << '\n';
    return kExitFailure;
  }
}
