// relay_bench: drives a real tigress-relay over TLS with N concurrent
// keep-alive connections through full share cycles (create, recipient read,
// update, initiator read, delete) and prints cycles/s, requests/s, p50/p99
// latency, and the relay's peak RSS after filling it with live mailboxes; for
// the sqlite and memory stores. When an nginx binary is found it also serves a
// same-size static JSON body over TLS as a baseline and prints our throughput
// as a ratio of nginx's. Not a test: figures depend on the machine.
//
//   relay_bench [--threads 8] [--cycles 200] [--live 100000] [--stores sqlite,sqlite-normal,memory]
//               [--relay PATH] [--relay-threads N] [--nginx PATH|none]
//
// The last lines give each store's requests/s as a share of nginx's, with
// the goals where there is one: "memory/nginx 0.73 (goal 0.5, met)".
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <latch>
#include <mutex>
#include <signal.h>
#include <sstream>
#include <thread>
#include <unistd.h>

#include <CLI/CLI.hpp>

#include "protocol/messages.h"
#include "protocol/rfc3339.h"
#include "protocol/uuid.h"
#include "tests/support/relay_process.h"
#include "tests/support/scratch_dir.h"
#include "tests/support/tls_clients.h"
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

namespace {

using tigress::test_support::ChildProcess;
using tigress::test_support::HttpsClient;
using tigress::test_support::PkiFiles;
using tigress::test_support::ScratchDir;
using Clock = std::chrono::steady_clock;
using Headers = std::vector<std::pair<std::string, std::string>>;

struct Figures {
  double seconds = 0;
  std::size_t requests = 0;
  std::size_t cycles = 0;
  std::size_t errors = 0;
  std::vector<double> latencies_ms;
  double Percentile(double p) {
    if (latencies_ms.empty()) return 0;
    std::sort(latencies_ms.begin(), latencies_ms.end());
    auto i = static_cast<std::size_t>(p * static_cast<double>(latencies_ms.size() - 1));
    return latencies_ms[i];
  }
};

std::string CreateBody() {
  tigress::Json j{
      {"payload",
       {{"type", "AEAD_AES_128_GCM"}, {"data", tigress::Base64Encode(tigress::Bytes(200, 7))}}},
      {"displayInformation",
       {{"title", "Car key"}, {"description", "bench"}, {"imageURL", "https://i/x.png"}}},
      {"mailboxConfiguration",
       {{"accessRights", "RWD"},
        {"expiration",
         tigress::FormatUtc(std::chrono::system_clock::now() + std::chrono::hours(2))}}}};
  return j.dump();
}

std::string UpdateBody() {
  return tigress::Json{
      {"payload",
       {{"type", "AEAD_AES_128_GCM"}, {"data", tigress::Base64Encode(tigress::Bytes(200, 9))}}}}
      .dump();
}

long PeakRssKb(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stol(line.substr(6));
  }
  return -1;
}

// Runs `work(client, figures)` on `threads` threads, each with its own
// keep-alive connection, and merges the figures.
template <class Work>
Figures RunThreads(int threads, const std::string& ca, const std::string& warm_url, Work work) {
  std::vector<Figures> per(static_cast<std::size_t>(threads));
  std::latch start(threads + 1);
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      HttpsClient client(ca);
      (void)client.Send("GET", warm_url, {});  // TLS handshake outside the timing
      start.arrive_and_wait();
      work(client, per[static_cast<std::size_t>(t)]);
    });
  }
  auto begin = Clock::now();
  start.arrive_and_wait();
  for (auto& th : pool) th.join();
  Figures all;
  all.seconds = std::chrono::duration<double>(Clock::now() - begin).count();
  for (Figures& f : per) {
    all.requests += f.requests;
    all.cycles += f.cycles;
    all.errors += f.errors;
    all.latencies_ms.insert(all.latencies_ms.end(), f.latencies_ms.begin(), f.latencies_ms.end());
  }
  return all;
}

// One timed request; counts it and checks the status.
bool Timed(HttpsClient& c, Figures& f, const std::string& method, const std::string& url,
           const Headers& h, const std::string& body, long expect, std::string* out = nullptr) {
  auto t0 = Clock::now();
  auto r = c.Send(method, url, h, body);
  f.latencies_ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
  ++f.requests;
  if (!r || r->status != expect) {
    ++f.errors;
    return false;
  }
  if (out != nullptr) *out = r->body;
  return true;
}

void PrintRow(const std::string& name, Figures& f, const std::string& extra) {
  std::printf("%-22s %9zu %9zu %10.1f %10.1f %8.2f %8.2f %6zu  %s\n", name.c_str(), f.cycles,
              f.requests, static_cast<double>(f.cycles) / f.seconds,
              static_cast<double>(f.requests) / f.seconds, f.Percentile(0.5), f.Percentile(0.99),
              f.errors, extra.c_str());
}

std::optional<double> NginxBaseline(const std::string& nginx, const PkiFiles& pki,
                                    const std::filesystem::path& dir, int threads,
                                    std::size_t requests_per_thread, std::size_t body_size) {
  std::filesystem::create_directories(dir / "www");
  std::filesystem::create_directories(dir / "logs");
  {
    std::ofstream body(dir / "www" / "r.json");
    body << "{\"x\":\"" << std::string(body_size > 8 ? body_size - 8 : 1, 'a') << "\"}";
  }
  // Port 0 is not possible in an nginx config: take a free port from the OS.
  int port = 0;
  {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    port = ntohs(addr.sin_port);
    close(fd);
  }
  std::ofstream conf(dir / "nginx.conf");
  // Run as root the workers would drop to nobody, who cannot read the 0700
  // temporary directory.
  if (geteuid() == 0) conf << "user root;\n";
  conf << "daemon off;\nworker_processes 2;\npid " << (dir / "nginx.pid").string()
       << ";\nerror_log " << (dir / "logs" / "error.log").string()
       << ";\nevents { worker_connections 1024; }\nhttp {\n"
       << "  access_log off;\n  server {\n    listen 127.0.0.1:" << port << " ssl;\n"
       << "    ssl_certificate " << pki.cert << ";\n    ssl_certificate_key " << pki.key << ";\n"
       << "    ssl_protocols TLSv1.2 TLSv1.3;\n    keepalive_requests 1000000;\n"
       << "    location / { root " << (dir / "www").string()
       << "; default_type application/json; }\n  }\n}\n";
  conf.close();
  // nginx prints no READY line; the wrapper script does once the port answers.
  std::string script = "\"" + nginx + "\" -p \"" + dir.string() + "\" -c \"" +
                       (dir / "nginx.conf").string() +
                       "\" & pid=$!; for i in $(seq 100); do if (exec 3<>/dev/tcp/127.0.0.1/" +
                       std::to_string(port) + ") 2>/dev/null; then echo READY " +
                       std::to_string(port) + "; wait $pid; exit; fi; sleep 0.05; done; kill $pid";
  auto proc = ChildProcess::StartAndWaitReady({"/bin/bash", "-c", script}, dir / "nginx.stderr");
  if (!proc) {
    std::cerr << "nginx baseline: " << proc.error().Message() << '\n';
    return std::nullopt;
  }
  std::string url = "https://127.0.0.1:" + std::to_string(port) + "/r.json";
  Figures f = RunThreads(threads, pki.pki.ca_cert_pem, url, [&](HttpsClient& c, Figures& fig) {
    for (std::size_t i = 0; i < requests_per_thread; ++i) Timed(c, fig, "GET", url, {}, "", 200);
  });
  PrintRow("nginx static GET", f, "");
  // bash forwards nothing: end nginx through its pid file, then bash exits.
  std::ifstream pidf(dir / "nginx.pid");
  pid_t nginx_pid = 0;
  if (pidf >> nginx_pid && nginx_pid > 0) kill(nginx_pid, SIGQUIT);
  (void)proc.value()->WaitExit(std::chrono::seconds(10));
  return static_cast<double>(f.requests) / f.seconds;
}

// The goals of issue 16 for the default builds of each store, as shares of
// nginx's static-file requests/s measured in the same run.
std::optional<double> GoalFor(const std::string& store) {
  if (store == "memory") return 0.5;
  if (store == "sqlite") return 0.2;  // synchronous=FULL, the default
  return std::nullopt;
}

void PrintRatios(const std::vector<std::pair<std::string, double>>& relay_rps, double nginx_rps) {
  bool all_met = true;
  for (const auto& [store, rps] : relay_rps) {
    double ratio = rps / nginx_rps;
    std::optional<double> goal = GoalFor(store);
    if (goal) {
      all_met = all_met && ratio >= *goal;
      std::printf("%s/nginx %.2f (goal %.1f%s)\n", store.c_str(), ratio, *goal,
                  ratio >= *goal ? ", met" : ", NOT met");
    } else {
      std::printf("%s/nginx %.2f\n", store.c_str(), ratio);
    }
  }
  std::printf("ratio goals %s\n", all_met ? "met" : "not met");
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"relay_bench: throughput, latency and memory of tigress-relay over TLS"};
  int threads = 8;
  std::size_t cycles = 200, live = 100000;
  std::string stores = "sqlite,sqlite-normal,memory";
  std::string relay = (std::filesystem::path(argv[0]).parent_path() / "tigress-relay").string();
  std::string nginx;
  app.add_option("--threads", threads, "concurrent keep-alive connections")
      ->check(CLI::Range(1, 256));
  app.add_option("--cycles", cycles, "share cycles per connection (5 requests each)");
  app.add_option("--live", live,
                 "live mailboxes created before reading the relay's peak RSS (0: skip)");
  app.add_option(
      "--stores", stores,
      "comma-separated stores to measure: sqlite, sqlite-normal (synchronous=NORMAL), memory");
  app.add_option("--relay", relay, "tigress-relay binary");
  // The relay's io threads only move bytes (sqlite requests wait for their
  // commit on its workers), so like nginx's worker processes they default to
  // the CPU count; the relay gets a worker per connection, so a sqlite group
  // commit can take every connection's write.
  int relay_threads = 0;
  app.add_option("--relay-threads", relay_threads,
                 "the relay's io threads (--threads); default: the number of CPUs")
      ->check(CLI::Range(0, 64));
  app.add_option("--nginx", nginx,
                 "nginx binary for the baseline (default: search /usr/sbin; 'none' to skip)");
  CLI11_PARSE(app, argc, argv);
  if (relay_threads == 0) {
    relay_threads = std::clamp(static_cast<int>(std::thread::hardware_concurrency()), 1, 64);
  }
  std::setvbuf(stdout, nullptr, _IOLBF, 0);  // rows appear as they are measured
  if (nginx.empty()) {
    for (const char* p : {"/usr/sbin/nginx", "/usr/bin/nginx"}) {
      if (access(p, X_OK) == 0) nginx = p;
    }
  }

  ScratchDir dir("tigress-relay-bench");
  PkiFiles pki = PkiFiles::Write(dir.path()).value();
  std::printf(
      "relay_bench: %d connections x %zu cycles, TLS keep-alive, loopback; relay --threads %d; "
      "%u CPUs\n",
      threads, cycles, relay_threads, std::thread::hardware_concurrency());
  std::printf("%-22s %9s %9s %10s %10s %8s %8s %6s  %s\n", "run", "cycles", "requests", "cycles/s",
              "req/s", "p50 ms", "p99 ms", "errors", "peak RSS");
  std::size_t read_body_size = 0;
  std::vector<std::pair<std::string, double>> relay_rps;  // (store, requests/s) in run order
  std::stringstream ss(stores);
  std::string store;
  while (std::getline(ss, store, ',')) {
    std::filesystem::path data = dir.path() / ("data-" + store);
    std::vector<std::string> args{relay,
                                  "--listen",
                                  "127.0.0.1:0",
                                  "--tls-cert",
                                  pki.cert,
                                  "--tls-key",
                                  pki.key,
                                  "--public-url",
                                  "https://localhost",
                                  "--data-dir",
                                  data.string(),
                                  "--threads",
                                  std::to_string(relay_threads),
                                  "--workers",
                                  std::to_string(std::clamp(threads, 4, 256))};
    if (store == "sqlite-normal") {
      args.insert(args.end(), {"--store", "sqlite", "--sqlite-sync", "normal"});
    } else {
      args.insert(args.end(), {"--store", store});
    }
    auto proc = ChildProcess::StartAndWaitReady(args, dir.path() / ("relay-" + store + ".stderr"));
    if (!proc) {
      std::cerr << "cannot start relay: " << proc.error().Message() << '\n';
      return 1;
    }
    std::string base = (*proc)->BaseUrl();
    std::string create = CreateBody(), update = UpdateBody();
    std::string warm = base + "/v1/m/" + tigress::NewUuidV4();
    Figures f = RunThreads(threads, pki.pki.ca_cert_pem, warm, [&](HttpsClient& c, Figures& fig) {
      for (std::size_t i = 0; i < cycles; ++i) {
        std::string initiator = tigress::NewUuidV4(), recipient = tigress::NewUuidV4(), out;
        if (!Timed(
                c, fig, "POST", base + "/v1/m",
                {{"Mailbox-Device-Claim", initiator}, {"Mailbox-Request-ID", tigress::NewUuidV4()}},
                create, 200, &out)) {
          continue;
        }
        std::string url = tigress::Json::parse(out).at("urlLink").get<std::string>();
        std::string path = base + url.substr(url.find("/v1/m/"));
        Timed(c, fig, "POST", path, {{"Mailbox-Device-Claim", recipient}}, "", 200, &out);
        if (read_body_size == 0) read_body_size = out.size();
        Timed(c, fig, "PUT", path,
              {{"Mailbox-Device-Claim", recipient}, {"Mailbox-Request-ID", tigress::NewUuidV4()}},
              update, 200);
        Timed(c, fig, "POST", path, {{"Mailbox-Device-Claim", initiator}}, "", 200);
        if (Timed(
                c, fig, "DELETE", path,
                {{"Mailbox-Device-Claim", initiator}, {"Mailbox-Request-ID", tigress::NewUuidV4()}},
                "", 200)) {
          ++fig.cycles;
        }
      }
    });
    relay_rps.emplace_back(store, static_cast<double>(f.requests) / f.seconds);
    std::string rss = std::to_string(PeakRssKb((*proc)->pid()) / 1024) + " MiB after cycles";
    PrintRow("relay " + store + " cycles", f, rss);
    if (live > 0) {
      std::size_t per =
          (live + static_cast<std::size_t>(threads) - 1) / static_cast<std::size_t>(threads);
      Figures fill =
          RunThreads(threads, pki.pki.ca_cert_pem, warm, [&](HttpsClient& c, Figures& fig) {
            for (std::size_t i = 0; i < per; ++i) {
              if (Timed(c, fig, "POST", base + "/v1/m",
                        {{"Mailbox-Device-Claim", tigress::NewUuidV4()},
                         {"Mailbox-Request-ID", tigress::NewUuidV4()}},
                        create, 200)) {
                ++fig.cycles;
              }
            }
          });
      PrintRow("relay " + store + " fill", fill,
               std::to_string(PeakRssKb((*proc)->pid()) / 1024) + " MiB with " +
                   std::to_string(fill.cycles) + " live mailboxes");
    }
    (*proc)->Signal(SIGTERM);
    (void)(*proc)->WaitExit();
  }
  if (nginx != "none" && !nginx.empty()) {
    auto nginx_rps = NginxBaseline(nginx, pki, dir.path() / "nginx", threads, cycles * 5,
                                   read_body_size > 0 ? read_body_size : 400);
    if (nginx_rps && *nginx_rps > 0) PrintRatios(relay_rps, *nginx_rps);
  } else {
    std::printf(
        "nginx baseline skipped (no nginx binary; install Debian's nginx or pass --nginx PATH)\n");
  }
  return 0;
}
